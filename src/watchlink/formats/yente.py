"""yente's wire shapes, pure: a query example to a :class:`Subject`, a subject to a result.

OpenSanctions' yente matches "examples" (FollowTheMoney entities, ``{"schema",
"properties"}``) and answers with scored entities. Here an example is cleaned the way
yente cleans it (FollowTheMoney's fuzzy parsing: ``"Germany"`` → ``de``, unparseable
dates dropped, ``firstName`` + ``lastName`` combined into a name, unknown properties
skipped), then read as a person by the FtM reader; a listed subject goes back out as
yente's ``ScoredEntityResponse`` dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from watchlink.errors import InputError, InputProblem
from watchlink.formats.ftm import parse_ftm_entity, subject_to_ftm
from watchlink.model import NameKind, Subject

__all__ = [
    "PERSON_SCHEMAS",
    "QueryExample",
    "read_example",
    "scored_entity",
]

PERSON_SCHEMAS = frozenset({"Person", "LegalEntity", "Thing"})
"""Query schemas a listed person can answer (a person is a legal entity and a thing)."""


@dataclass(frozen=True, slots=True)
class QueryExample:
    """One cleaned query: the echo yente returns as ``query``, and the person to screen.

    ``person`` is ``None`` when the schema is matchable but no person can be it (a
    ``Company``, a ``Vessel``): such a query has no results here.
    """

    echo: dict[str, Any]
    person: Subject | None


def _values(raw: object) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list):
        return [str(v) for v in raw if isinstance(v, str | int | float) and str(v).strip()]
    return []


def read_example(key: str, example: Mapping[str, Any], agency: str) -> QueryExample:
    """Clean one yente example; ``InputError`` (with the field) when no query can be made.

    ``key`` is the query's name in the request (its id when the example has none).
    """
    from followthemoney import model
    from followthemoney.exc import InvalidData
    from followthemoney.helpers import combine_names

    where = f"queries.{key}"
    name = str(example.get("schema", ""))
    schema = model.get(name)
    if schema is None or not schema.matchable:
        kind = "unknown" if schema is None else "not matchable"
        problem = InputProblem(f"schema {name!r} is {kind}", field=f"{where}.schema")
        raise InputError(f"query {key!r} cannot be matched", [problem])
    entity_id = example.get("id")
    raw_props = example.get("properties", {})
    props: Mapping[str, Any] = raw_props if isinstance(raw_props, Mapping) else {}
    proxy = model.make_entity(schema.name)
    proxy.id = str(entity_id) if entity_id is not None else None
    for prop, raw in props.items():
        if prop not in schema.properties or schema.properties[prop].stub:
            continue  # yente skips what the schema does not know, and so do we
        try:
            proxy.add(prop, _values(raw), cleaned=False, fuzzy=True)
        except InvalidData:
            continue
    if schema.is_a("Thing"):
        combine_names(proxy)
    echo = {"id": proxy.id, "schema": schema.name, "properties": proxy.to_dict()["properties"]}
    if schema.name not in PERSON_SCHEMAS:
        return QueryExample(echo, None)
    return QueryExample(echo, _person(key, echo, agency))


def _person(key: str, echo: dict[str, Any], agency: str) -> Subject:
    """The cleaned example read as a person; values the FtM reader refuses are dropped."""
    from followthemoney import model

    person = model.get("Person")
    known = frozenset(person.properties) if person is not None else frozenset()
    props = {k: v for k, v in echo["properties"].items() if k in known}
    problems: list[InputProblem] = []
    for _ in range(2):
        entity = {"id": echo["id"] or key, "schema": "Person", "properties": props}
        result = parse_ftm_entity(entity, agency)
        if not isinstance(result, list):
            return result
        problems = result
        bad = {p.field for p in problems if p.field not in (None, "name", "id")}
        if not bad:
            break
        props = {k: v for k, v in props.items() if k not in bad}
    where = f"queries.{key}.properties"
    problems = [
        InputProblem(p.reason, field=f"{where}.{p.field}" if p.field else where) for p in problems
    ]
    raise InputError(f"query {key!r} is not a person watchlink can screen", problems)


def _caption(subject: Subject) -> str:
    for kind in (NameKind.PRIMARY, NameKind.ALIAS, NameKind.BIRTH_NAME, NameKind.WEAK_ALIAS):
        for name in subject.names:
            if name.kind is kind:
                return name.full
    return subject.names[0].full if subject.names else "Person"


def _iso(raw: object) -> str | None:
    return None if raw is None else datetime.fromisoformat(str(raw)).isoformat()


def scored_entity(
    subject: Subject,
    score: float,
    is_match: bool,
    features: Mapping[str, float],
    datasets: list[str],
) -> dict[str, Any]:
    """A listed subject (already redacted for the caller) as yente's scored entity."""
    entity = subject_to_ftm(subject)
    first_seen, last_seen = _iso(entity.get("first_seen")), _iso(entity.get("last_seen"))
    return {
        "id": subject.id,
        "caption": _caption(subject),
        "schema": "Person",
        "properties": entity["properties"],
        "datasets": datasets,
        "referents": [],
        "target": True,
        "first_seen": first_seen,
        "last_seen": last_seen,
        "last_change": last_seen,
        "score": round(score, 4),
        "features": dict(features),
        "match": is_match,
    }
