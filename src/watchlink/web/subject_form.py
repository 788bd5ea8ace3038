"""The new-subject page: an analyst lists a person from the console.

The form is read into the API's own ``SubjectIn``, so a value the API refuses the console
refuses with the same reason, shown beside the form with what was typed kept; the subject
is created by the API's subject reader (the policy decides, the audit trail records, and
screening takes the person in at once). Names, birth dates and nationalities take one value
per line (or separated by commas for dates and nationalities); one identity document.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from watchlink.access import Permission, permissions_of
from watchlink.api.auth import AccessDep
from watchlink.api.subjects import ReaderDep, SubjectIn
from watchlink.errors import AccessDenied, Conflict, InputError, WatchlinkError
from watchlink.model import (
    ActionOnHit,
    ConcernLevel,
    Distribution,
    DocumentStatus,
    DocumentType,
    Gender,
    HandlingCode,
    NameKind,
)
from watchlink.web.pages import failure, page, see_other
from watchlink.web.session import Console, LoggedInDep

__all__ = ["router", "subject_body"]

router = APIRouter(include_in_schema=False)

_FIELDS = (
    "id", "names", "birth_dates", "nationalities", "gender", "document_number",
    "document_type", "document_country", "document_status", "concern", "action_on_hit",
    "distribution", "partner_group", "handling", "legal_basis", "review_date", "notes",
)  # fmt: skip
_CHOICES = {
    "genders": [g.value for g in Gender],
    "document_types": [t.value for t in DocumentType],
    "document_statuses": [s.value for s in DocumentStatus],
    "levels": list(ConcernLevel),
    "actions": [a.value for a in ActionOnHit],
    "distributions": [d.value for d in Distribution],
    "handlings": [h.value for h in HandlingCode],
}


def _lines(text: str, commas: bool = False) -> list[str]:
    parts = re.split(r"[\n,]" if commas else r"\n", text)
    return [p.strip() for p in parts if p.strip()]


def subject_body(form: dict[str, str]) -> dict[str, Any]:
    """The form's values as the API's create payload (empty fields left out); the first
    name is the primary one, the others aliases."""
    names = _lines(form.get("names", ""))
    body: dict[str, Any] = {
        "id": form.get("id", "").strip(),
        "names": [
            {"full": n, "kind": (NameKind.PRIMARY if i == 0 else NameKind.ALIAS).value}
            for i, n in enumerate(names)
        ],
        "birth_dates": _lines(form.get("birth_dates", ""), commas=True),
        "nationalities": _lines(form.get("nationalities", ""), commas=True),
    }
    number = form.get("document_number", "").strip()
    if number:
        document = {"number": number, "type": form.get("document_type") or "passport"}
        document["status"] = form.get("document_status") or "valid"
        if country := form.get("document_country", "").strip():
            document["country"] = country.upper()
        body["documents"] = [document]
    for name in ("gender", "concern", "action_on_hit", "distribution", "partner_group",
                 "handling", "legal_basis", "review_date", "notes"):  # fmt: skip
        value = form.get(name, "").strip()
        if value:
            body[name] = int(value) if name == "concern" and value.isdigit() else value
    return body


def _problems(error: ValidationError) -> list[str]:
    """Each refused value as ``field.position ('typed'): why``."""
    out = []
    for item in error.errors():
        where = ".".join(str(part) for part in item.get("loc", ()))
        typed = item.get("input")
        if isinstance(typed, str) and typed:
            where += f" ({typed!r})"
        why = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
        out.append(f"{where}: {why}" if where else why)
    return out


def _form(
    request: Request, state: Console, values: dict[str, str], problems: list[str], status: int
) -> HTMLResponse:
    return page(
        request, state, "subject_new.html", status_code=status, title="New subject",
        v=values, problems=problems, **_CHOICES,
    )  # fmt: skip


@router.get("/subjects/new", response_class=HTMLResponse)
def new_subject_form(request: Request, state: LoggedInDep, access: AccessDep) -> Response:
    """An empty form, the id started with the agency's code; a role that may not list
    anyone gets the refusal, not a form it could not send."""
    actor = state.actor
    assert actor is not None
    if Permission.SUBJECT_WRITE not in permissions_of(actor, access.trail.policy.roles):
        return failure(request, state, AccessDenied("listing subjects is not for your role"))
    values = dict.fromkeys(_FIELDS, "")
    values.update(id=f"{actor.agency.lower()}-", concern=str(int(ConcernLevel.MEDIUM)))
    return _form(request, state, values, [], 200)


@router.post("/subjects/new", response_class=HTMLResponse)
def create_subject(
    request: Request,
    state: LoggedInDep,
    access: AccessDep,
    reader: ReaderDep,
    csrf: Annotated[str | None, Form()] = None,
    id: Annotated[str, Form(max_length=128)] = "",
    names: Annotated[str, Form(max_length=6_000)] = "",
    birth_dates: Annotated[str, Form(max_length=300)] = "",
    nationalities: Annotated[str, Form(max_length=100)] = "",
    gender: Annotated[str, Form(max_length=20)] = "",
    document_number: Annotated[str, Form(max_length=64)] = "",
    document_type: Annotated[str, Form(max_length=30)] = "",
    document_country: Annotated[str, Form(max_length=2)] = "",
    document_status: Annotated[str, Form(max_length=20)] = "",
    concern: Annotated[str, Form(max_length=2)] = "",
    action_on_hit: Annotated[str, Form(max_length=40)] = "",
    distribution: Annotated[str, Form(max_length=30)] = "",
    partner_group: Annotated[str, Form(max_length=64)] = "",
    handling: Annotated[str, Form(max_length=4)] = "",
    legal_basis: Annotated[str, Form(max_length=2_000)] = "",
    review_date: Annotated[str, Form(max_length=10)] = "",
    notes: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    """List the person; then the subject's page. A bad value: the form again, with why."""
    assert state.actor is not None
    typed = (
        id, names, birth_dates, nationalities, gender, document_number, document_type,
        document_country, document_status, concern, action_on_hit, distribution,
        partner_group, handling, legal_basis, review_date, notes,
    )  # fmt: skip
    values = dict(zip(_FIELDS, typed, strict=True))
    try:
        state.check(csrf)
        body = SubjectIn.model_validate(subject_body(values))
        created = reader.create(access.engine, state.actor, body.to_subject(state.actor))
    except ValidationError as error:
        return _form(request, state, values, _problems(error), 422)
    except (InputError, Conflict) as error:  # bad input, or the id in use: the form again
        problems = [str(p) for p in error.problems] if isinstance(error, InputError) else []
        return _form(request, state, values, [error.message, *problems], error.status_code)
    except WatchlinkError as error:
        return failure(request, state, error)
    return see_other(f"/subjects/{created.id}")
