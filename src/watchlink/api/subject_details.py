"""The details of a person a subject carries besides names and documents, on the wire.

Birth dates (at the precision known), nationalities, sex, places of birth, phones, emails
and addresses are what screening tells namesakes apart by, and the legal basis and review
date are what keeps a file lawful: a subject created or changed over the API carries them
as an import does. Each value is checked where it arrives (a 422 naming the field and its
position); the record's handling code covers them all (a stricter one per value comes with
an import).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from watchlink.model import BirthDate, Gender, PartialDate, Subject, Value

__all__ = ["DETAILS", "DetailsIn", "DetailsOut", "DetailsPatch", "details"]

_TEXT = r"^[^\x00]+$"  # PostgreSQL keeps no NUL in text


def _partial_date(text: str) -> str:
    PartialDate.parse(text)  # ValueError: a 422 naming the field
    return text.strip()


BirthDateText = Annotated[
    str,
    Field(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD."),
    AfterValidator(_partial_date),
]
Country = Annotated[
    str,
    Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2."),
    AfterValidator(str.upper),
]
Place = Annotated[str, Field(min_length=1, max_length=200, pattern=_TEXT)]
Phone = Annotated[str, Field(min_length=3, max_length=50, pattern=_TEXT)]
Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s\x00]+@[^@\s\x00]+$")]
Address = Annotated[str, Field(min_length=1, max_length=500, pattern=_TEXT)]
Basis = Annotated[str, Field(min_length=1, max_length=2_000, pattern=_TEXT)]

_LISTS = ("birth_dates", "nationalities", "birth_places", "phones", "emails", "addresses")
DETAILS = (*_LISTS, "gender", "legal_basis", "review_date")
"""The detail fields, as the domain subject names them."""


class DetailsIn(BaseModel):
    """A new subject's details, each optional."""

    model_config = ConfigDict(extra="forbid")
    birth_dates: list[BirthDateText] = Field(default_factory=list, max_length=20)
    nationalities: list[Country] = Field(default_factory=list, max_length=20)
    gender: Gender | None = None
    birth_places: list[Place] = Field(default_factory=list, max_length=20)
    phones: list[Phone] = Field(default_factory=list, max_length=50)
    emails: list[Email] = Field(default_factory=list, max_length=50)
    addresses: list[Address] = Field(default_factory=list, max_length=50)
    legal_basis: Basis | None = Field(default=None, description="Why the file may be kept.")
    review_date: date | None = Field(default=None, description="When it is next reviewed.")


class DetailsPatch(BaseModel):
    """Details to change: a list left out is kept; ``gender``, ``legal_basis`` and
    ``review_date`` sent as null are cleared."""

    model_config = ConfigDict(extra="forbid")
    birth_dates: list[BirthDateText] | None = Field(default=None, max_length=20)
    nationalities: list[Country] | None = Field(default=None, max_length=20)
    gender: Gender | None = None
    birth_places: list[Place] | None = Field(default=None, max_length=20)
    phones: list[Phone] | None = Field(default=None, max_length=50)
    emails: list[Email] | None = Field(default=None, max_length=50)
    addresses: list[Address] | None = Field(default=None, max_length=50)
    legal_basis: Basis | None = None
    review_date: date | None = None


def details(body: DetailsIn | DetailsPatch) -> dict[str, object]:
    """The domain fields the body sets: every one of a new subject's, and of a change
    those sent (a list only when it is not null)."""
    sent = set(DETAILS) if isinstance(body, DetailsIn) else body.model_fields_set
    out: dict[str, object] = {}
    for name in DETAILS:
        value = getattr(body, name)
        if name not in sent or (name in _LISTS and value is None):
            continue
        if name == "birth_dates":
            out[name] = [BirthDate(PartialDate.parse(text)) for text in dict.fromkeys(value)]
        elif name in _LISTS:
            out[name] = [Value(text) for text in dict.fromkeys(value)]
        else:
            out[name] = value
    return out


class DetailsOut(BaseModel):
    """A subject's details as the caller may see them (each value already judged by its
    handling); the legal basis and review date only for the owning agency."""

    gender: str | None = None
    birth_places: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    addresses: list[str] = Field(default_factory=list)
    legal_basis: str | None = Field(default=None, description="Only for the owning agency.")
    review_date: date | None = Field(default=None, description="Only for the owning agency.")

    @staticmethod
    def fields_of(subject: Subject, owner: bool) -> dict[str, object]:
        """The details of an already redacted subject, as keyword arguments."""
        return {
            "gender": None if subject.gender is None else subject.gender.value,
            "birth_places": [v.value for v in subject.birth_places],
            "phones": [v.value for v in subject.phones],
            "emails": [v.value for v in subject.emails],
            "addresses": [v.value for v in subject.addresses],
            "legal_basis": subject.legal_basis if owner else None,
            "review_date": subject.review_date if owner else None,
        }
