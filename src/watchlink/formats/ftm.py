"""FollowTheMoney / OpenSanctions entity JSON (schema ``Person``) to and from :class:`Subject`.

One entity is ``{"id", "schema": "Person", "properties": {name: [values]}}``. What
FollowTheMoney has no property for (level of concern, action on a hit, status, legal
basis, review date, sharing, document type/country/status) travels in a top-level
``"watchlink"`` object that other FtM tools ignore; ``docs/csv-layout.md`` describes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

from watchlink.errors import InputError, InputProblem
from watchlink.formats._values import (
    Problems,
    clean_country,
    parse_concern,
    parse_date,
    parse_enum,
    parse_partial_date,
    unique,
)
from watchlink.model import (
    ActionOnHit,
    BirthDate,
    Distribution,
    DocumentStatus,
    DocumentType,
    Gender,
    HandlingCode,
    IdentityDocument,
    Name,
    NameKind,
    Provenance,
    Sharing,
    Subject,
    SubjectStatus,
    Value,
)

__all__ = [
    "NAME_PROPERTIES",
    "SUPPORTED_PROPERTIES",
    "WATCHLINK_KEY",
    "parse_ftm_entity",
    "read_ftm_lines",
    "subject_from_ftm",
    "subject_to_ftm",
    "write_ftm_lines",
]

WATCHLINK_KEY = "watchlink"

#: FtM name properties and the kind of :class:`Name` each becomes (and comes from).
NAME_PROPERTIES: dict[str, NameKind] = {
    "name": NameKind.PRIMARY,
    "alias": NameKind.ALIAS,
    "weakAlias": NameKind.WEAK_ALIAS,
    "previousName": NameKind.BIRTH_NAME,
}

#: Properties that survive FtM in → FtM out unchanged (values deduplicated, order kept).
SUPPORTED_PROPERTIES: tuple[str, ...] = (
    *NAME_PROPERTIES,
    "firstName",
    "lastName",
    "birthDate",
    "birthPlace",
    "nationality",
    "gender",
    "passportNumber",
    "idNumber",
    "phone",
    "email",
    "address",
    "notes",
)

_ID_PROPERTIES = {"passportNumber": DocumentType.PASSPORT, "idNumber": DocumentType.ID_CARD}
_GENDER_ALIASES = {"m": Gender.MALE, "f": Gender.FEMALE}
_WATCHLINK_FIELDS = frozenset(
    {
        "agency",
        "concern",
        "action_on_hit",
        "status",
        "legal_basis",
        "review_date",
        "distribution",
        "partner_group",
        "handling",
        "documents",
    }
)


@lru_cache(maxsize=1)
def _person_properties() -> frozenset[str]:
    """Every property name the FtM ``Person`` schema knows (read once)."""
    from followthemoney import model

    schema = model.get("Person")
    assert schema is not None
    return frozenset(schema.properties)


def _values(props: dict[str, Any], key: str, problems: Problems) -> list[str]:
    raw = props.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        problems.add(key, "values must be a list of strings")
        return []
    return unique(v.strip() for v in raw if v.strip())


def _seen(entity: dict[str, Any], key: str, problems: Problems) -> datetime | None:
    raw = entity.get(key)
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        problems.add(key, f"{raw!r} is not an ISO timestamp")
        return None


def _names(props: dict[str, Any], prov: Provenance, problems: Problems) -> list[Name]:
    names = [
        Name(full=value, kind=kind, provenance=prov)
        for prop, kind in NAME_PROPERTIES.items()
        for value in _values(props, prop, problems)
    ]
    given = _values(props, "firstName", problems)
    family = _values(props, "lastName", problems)
    if not names and (given or family):
        middle = _values(props, "middleName", problems)[:1]
        full = " ".join([*given[:1], *middle, *family[:1]])
        names.append(Name(full=full, kind=NameKind.PRIMARY, provenance=prov))
    # The i-th firstName/lastName belongs to the i-th name (primary names come first).
    for index, name in enumerate(names):
        name.given = given[index] if index < len(given) else None
        name.family = family[index] if index < len(family) else None
    if not names:
        problems.add("name", "a person needs at least one name (name, alias or firstName)")
    return names


def _documents(
    props: dict[str, Any], extra: dict[str, Any], prov: Provenance, problems: Problems
) -> list[IdentityDocument]:
    documents: list[IdentityDocument] = []
    raw_docs = extra.get("documents", [])
    if not isinstance(raw_docs, list):
        problems.add(f"{WATCHLINK_KEY}.documents", "must be a list of objects")
        raw_docs = []
    for index, raw in enumerate(raw_docs):
        field = f"{WATCHLINK_KEY}.documents[{index}]"
        if not isinstance(raw, dict) or not str(raw.get("number", "")).strip():
            problems.add(field, "each document is an object with at least a number")
            continue
        kind = parse_enum(DocumentType, str(raw.get("type", "passport")), f"{field}.type", problems)
        status = parse_enum(
            DocumentStatus, str(raw.get("status", "valid")), f"{field}.status", problems
        )
        country = raw.get("country")
        code = None if country in (None, "") else clean_country(str(country), field, problems)
        if kind is not None and status is not None:
            documents.append(
                IdentityDocument(str(raw["number"]).strip(), kind, code, status, provenance=prov)
            )
    known = {(d.type, d.number) for d in documents}
    for prop, kind in _ID_PROPERTIES.items():
        for number in _values(props, prop, problems):
            if (kind, number) not in known:
                documents.append(IdentityDocument(number, kind, provenance=prov))
    return documents


def _apply_extra(subject: Subject, extra: dict[str, Any], problems: Problems) -> None:
    """Read the ``watchlink`` object: the fields FollowTheMoney has no property for."""
    for key in sorted(set(extra) - _WATCHLINK_FIELDS):
        problems.add(f"{WATCHLINK_KEY}.{key}", "unknown field")

    def text(key: str) -> str | None:
        value = extra.get(key)
        return None if value in (None, "") else str(value)

    if (raw := text("concern")) is not None:
        concern = parse_concern(raw, f"{WATCHLINK_KEY}.concern", problems)
        subject.concern = concern if concern is not None else subject.concern
    if (raw := text("action_on_hit")) is not None:
        action = parse_enum(ActionOnHit, raw, f"{WATCHLINK_KEY}.action_on_hit", problems)
        subject.action_on_hit = action if action is not None else subject.action_on_hit
    if (raw := text("status")) is not None:
        status = parse_enum(SubjectStatus, raw, f"{WATCHLINK_KEY}.status", problems)
        subject.status = status if status is not None else subject.status
    subject.legal_basis = text("legal_basis")
    if (raw := text("review_date")) is not None:
        subject.review_date = parse_date(raw, f"{WATCHLINK_KEY}.review_date", problems)
    distribution, handling = Distribution.OWN_AGENCY, HandlingCode.H1
    if (raw := text("distribution")) is not None:
        parsed = parse_enum(Distribution, raw, f"{WATCHLINK_KEY}.distribution", problems)
        distribution = parsed if parsed is not None else distribution
    if (raw := text("handling")) is not None:
        parsed_h = parse_enum(HandlingCode, raw, f"{WATCHLINK_KEY}.handling", problems)
        handling = parsed_h if parsed_h is not None else handling
    group = text("partner_group")
    if distribution is Distribution.PARTNER_GROUP and group is None:
        problems.add(f"{WATCHLINK_KEY}.partner_group", "distribution partner_group needs one")
    subject.sharing = Sharing(distribution, group, handling)


def parse_ftm_entity(entity: object, agency: str) -> Subject | list[InputProblem]:
    """The subject an FtM entity describes, or every problem found in it (with fields)."""
    problems = Problems()
    if not isinstance(entity, dict):
        return [InputProblem("an entity must be a JSON object")]
    entity_id = entity.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        problems.add("id", "every entity needs a non-empty string id")
    schema = entity.get("schema")
    if schema != "Person":
        problems.add("schema", f"schema {schema!r} is not supported: watchlink holds persons")
        return problems.items
    props = entity.get("properties", {})
    if not isinstance(props, dict):
        problems.add("properties", "must be an object of property name to list of values")
        return problems.items
    extra = entity.get(WATCHLINK_KEY, {})
    if not isinstance(extra, dict):
        problems.add(WATCHLINK_KEY, "must be an object")
        extra = {}
    for key in sorted(set(props) - _person_properties()):
        problems.add(key, "not a property of the FollowTheMoney Person schema")

    prov = Provenance(
        agency, _seen(entity, "first_seen", problems), _seen(entity, "last_seen", problems)
    )
    subject = Subject(id=str(entity_id).strip(), agency=agency)
    subject.names = _names(props, prov, problems)
    for raw in _values(props, "birthDate", problems):
        if (day := parse_partial_date(raw, "birthDate", problems)) is not None:
            subject.birth_dates.append(BirthDate(day, provenance=prov))
    countries = _values(props, "nationality", problems) + _values(props, "citizenship", problems)
    codes = (clean_country(c, "nationality", problems) for c in countries)
    subject.nationalities = [Value(code, prov) for code in unique(codes) if code is not None]
    genders = unique(_values(props, "gender", problems))
    parsed = (
        _GENDER_ALIASES.get(g.lower()) or parse_enum(Gender, g, "gender", problems) for g in genders
    )
    parsed_genders = unique(g for g in parsed if g is not None)
    if len(parsed_genders) > 1:
        problems.add("gender", f"conflicting values {genders!r}")
    subject.gender = parsed_genders[0] if parsed_genders else None
    subject.documents = _documents(props, extra, prov, problems)
    for prop, target in (
        ("birthPlace", subject.birth_places),
        ("phone", subject.phones),
        ("email", subject.emails),
        ("address", subject.addresses),
    ):
        target.extend(Value(v, prov) for v in _values(props, prop, problems))
    for email in subject.emails:
        if "@" not in email.value:
            problems.add("email", f"{email.value!r} is not an email address")
    notes = _values(props, "notes", problems)
    subject.notes = "\n".join(notes) if notes else None
    _apply_extra(subject, extra, problems)
    return problems.items if problems else subject


def subject_from_ftm(entity: dict[str, Any], agency: str) -> Subject:
    """The subject an FtM entity describes; raises :class:`InputError` listing every problem."""
    result = parse_ftm_entity(entity, agency)
    if isinstance(result, list):
        raise InputError(f"entity {entity.get('id')!r} is not a valid person", result)
    return result


def _provenance_window(subject: Subject) -> tuple[datetime | None, datetime | None]:
    provs = [
        v.provenance
        for values in (subject.names, subject.birth_dates, subject.nationalities, subject.documents)
        for v in values
        if v.provenance is not None
    ]
    firsts = [p.first_seen for p in provs if p.first_seen is not None]
    lasts = [p.last_seen for p in provs if p.last_seen is not None]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def subject_to_ftm(subject: Subject) -> dict[str, Any]:
    """The subject as an FtM ``Person`` entity with its ``watchlink`` object (stable order)."""
    props: dict[str, list[str]] = {}
    for prop, kind in NAME_PROPERTIES.items():
        props[prop] = [n.full for n in subject.names if n.kind is kind]
    props["firstName"] = [n.given for n in subject.names if n.given]
    props["lastName"] = [n.family for n in subject.names if n.family]
    props["birthDate"] = [str(b.date) for b in subject.birth_dates]
    props["birthPlace"] = [v.value for v in subject.birth_places]
    props["nationality"] = [v.value.lower() for v in subject.nationalities]
    props["gender"] = [subject.gender.value] if subject.gender is not None else []
    for prop, doc_type in _ID_PROPERTIES.items():
        props[prop] = [d.number for d in subject.documents if d.type is doc_type]
    props["phone"] = [v.value for v in subject.phones]
    props["email"] = [v.value for v in subject.emails]
    props["address"] = [v.value for v in subject.addresses]
    props["notes"] = [subject.notes] if subject.notes else []
    extra: dict[str, Any] = {
        "agency": subject.agency,
        "concern": subject.concern.name.lower(),
        "action_on_hit": subject.action_on_hit.value,
        "status": subject.status.value,
        "legal_basis": subject.legal_basis,
        "review_date": subject.review_date.isoformat() if subject.review_date else None,
        "distribution": subject.sharing.distribution.value,
        "partner_group": subject.sharing.partner_group,
        "handling": subject.sharing.handling.value,
        "documents": [
            {
                "type": d.type.value,
                "number": d.number,
                "country": d.country,
                "status": d.status.value,
            }
            for d in subject.documents
        ],
    }
    entity: dict[str, Any] = {
        "id": subject.id,
        "schema": "Person",
        "properties": {k: unique(v) for k, v in sorted(props.items()) if v},
        WATCHLINK_KEY: {k: v for k, v in extra.items() if v not in (None, [])},
    }
    first_seen, last_seen = _provenance_window(subject)
    if first_seen is not None:
        entity["first_seen"] = first_seen.isoformat()
    if last_seen is not None:
        entity["last_seen"] = last_seen.isoformat()
    return entity


def read_ftm_lines(path: Path, agency: str) -> Iterator[tuple[int, Subject | list[InputProblem]]]:
    """Stream a JSON-lines file: (line number, subject or that line's problems).

    Blank lines are skipped; a line that is not JSON is a problem like any other.
    """
    source = str(path)
    with Path(path).open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                entity = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as error:
                yield number, [InputProblem(f"malformed JSON: {error}", source, number)]
                continue
            result = parse_ftm_entity(entity, agency)
            if isinstance(result, list):
                result = [replace(p, source=source, line=number) for p in result]
            yield number, result


def write_ftm_lines(subjects: Iterable[Subject], out: TextIO) -> int:
    """Write one entity per line; returns how many were written."""
    count = 0
    for subject in subjects:
        out.write(json.dumps(subject_to_ftm(subject), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count
