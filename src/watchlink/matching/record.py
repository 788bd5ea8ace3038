"""A subject prepared once for matching: names, dates, documents, addresses in comparable form.

Queries and watchlist candidates are both :class:`Subject` objects; :func:`prepare` does all
the text work up front so that scoring a pair touches only precomputed strings and numbers.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from watchlink.model import DocumentStatus, DocumentType, Gender, NameKind, PartialDate, Subject
from watchlink.normalize.addresses import AddressParts, PlaceParts, address_parts, place_parts
from watchlink.normalize.contacts import email_address, phone_number
from watchlink.normalize.documents import document_number, ocr_fold
from watchlink.normalize.names import NameForm, name_form

__all__ = ["PreparedDocument", "PreparedName", "PreparedRecord", "prepare"]


@dataclass(frozen=True, slots=True)
class PreparedName:
    """One name of a record, ready to compare (``form``), with its kind (primary, alias...)."""

    form: NameForm
    kind: NameKind

    @property
    def original(self) -> str:
        """The name as written."""
        return self.form.original

    @property
    def script(self) -> str:
        """The script the name is written in (``latin``, ``arabic``, ``cyrillic``...)."""
        return self.form.script

    @property
    def tokens(self) -> tuple[str, ...]:
        """Romanised tokens, particles and honorifics removed, Arabic compounds joined."""
        return self.form.tokens

    @property
    def skeletons(self) -> tuple[str, ...]:
        """Consonant skeleton of each token (``mohammed`` → ``mhmd``)."""
        return self.form.skeletons


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """An identity document number in normalised and OCR-folded form, with type and status."""

    number: str  # upper case, letters and digits only
    folded: str  # with O→0, I→1, ... for OCR-tolerant comparison
    original: str
    type: DocumentType
    country: str | None
    status: DocumentStatus


@dataclass(slots=True)
class PreparedRecord:
    """Everything the scorer compares about one subject (query or candidate)."""

    id: str
    names: tuple[PreparedName, ...]
    birth_dates: tuple[PartialDate, ...]
    nationalities: frozenset[str]
    gender: Gender | None
    documents: tuple[PreparedDocument, ...]
    addresses: tuple[AddressParts, ...] = ()
    birth_places: tuple[PlaceParts, ...] = ()
    phones: tuple[str, ...] = ()  # last nine digits, sorted, each once
    emails: tuple[str, ...] = ()  # case-folded, sorted, each once


def prepare(subject: Subject) -> PreparedRecord:
    """Normalise a subject's names, dates, nationalities, documents and contacts for matching."""
    names: list[PreparedName] = []
    seen: set[str] = set()
    for name in subject.names:
        form = name_form(name.full, name.given, name.family)
        if not form.tokens or form.sorted_key + "|" + form.script in seen:
            continue
        seen.add(form.sorted_key + "|" + form.script)
        names.append(PreparedName(form, name.kind))
    documents: list[PreparedDocument] = []
    for doc in subject.documents:
        number = document_number(doc.number)
        if number:
            number = doc.number if number == doc.number else number  # one copy when the same
            folded = ocr_fold(number)
            documents.append(
                PreparedDocument(
                    number=number,
                    folded=number if folded == number else folded,
                    original=doc.number,
                    type=doc.type,
                    country=sys.intern(doc.country.upper()) if doc.country else None,
                    status=doc.status,
                )
            )
    return PreparedRecord(
        id=subject.id,
        names=tuple(names),
        birth_dates=tuple(sorted({b.date for b in subject.birth_dates})),
        nationalities=frozenset(v.value.strip().upper() for v in subject.nationalities if v.value),
        gender=subject.gender,
        documents=tuple(documents),
        addresses=tuple(
            parts
            for parts in (address_parts(a.value) for a in subject.addresses)
            if not parts.empty
        ),
        birth_places=tuple(
            place
            for place in (place_parts(p.value) for p in subject.birth_places)
            if place.town or place.region
        ),
        phones=tuple(sorted({n for n in (phone_number(p.value) for p in subject.phones) if n})),
        emails=tuple(sorted({e for e in (email_address(m.value) for m in subject.emails) if e})),
    )
