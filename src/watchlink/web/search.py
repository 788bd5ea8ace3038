"""Search across every subject the reader may see: the matching engine, then plain text.

A name in any script goes to the matching engine through the yente use case
(``YenteMatcher``: the warm index proposes, the policy keeps what the reader may read,
and each is scored again on its redacted record), so spelling variants, transliterations
and swapped name parts are found. Text search (``SubjectReader.list_visible``) adds the
visible subjects whose name or document number contains the text. Both are audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from watchlink.access import Actor
from watchlink.errors import AccessDenied
from watchlink.services.subjects import SubjectReader
from watchlink.services.yente import FEATURE_DOCS, MatchSettings, YenteMatcher

__all__ = ["SearchResult", "search_subjects"]

MAX_RESULTS = 50
ENGINE_RESULTS = 20
CUTOFF = 0.2  # low: a search also shows who shares the family name (a brother, a namesake)
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One subject found: id, name, other names, owner; the engine's score and reasons."""

    id: str
    name: str
    aliases: list[str]
    agency: str
    score: float | None = None
    match: bool = False
    reasons: list[str] = field(default_factory=list)


def _engine_results(
    engine: Engine, matcher: YenteMatcher, actor: Actor, text: str, born: str, threshold: float
) -> list[SearchResult]:
    properties: dict[str, list[str]] = {"name": [text]}
    if _DATE.fullmatch(born):
        properties["birthDate"] = [born]
    query = {"q": {"schema": "Person", "properties": properties}}
    settings = MatchSettings(threshold=threshold, cutoff=CUTOFF, limit=ENGINE_RESULTS)
    try:
        response = matcher.match(engine, actor, "default", query, settings)
    except AccessDenied:
        return []  # a role without screening: text search only
    found: list[dict[str, Any]] = response["responses"]["q"]["results"]
    return [
        SearchResult(
            id=r["id"],
            name=r["caption"],
            aliases=[a for a in r["properties"].get("alias", []) if a != r["caption"]],
            agency=r["datasets"][0].upper() if r["datasets"] else "",
            score=float(r["score"]),
            match=bool(r["match"]),
            reasons=[FEATURE_DOCS.get(f, f) for f, v in r["features"].items() if v > 0],
        )
        for r in found
    ]


def search_subjects(
    engine: Engine,
    reader: SubjectReader,
    matcher: YenteMatcher,
    actor: Actor,
    text: str,
    born: str = "",
    threshold: float = 0.7,
) -> list[SearchResult]:
    """The visible subjects matching ``text``, engine matches first (``match`` from the
    screening ``threshold`` on); nothing for no text."""
    text = text.strip()
    if not text:
        return []
    results = _engine_results(engine, matcher, actor, text, born.strip(), threshold)
    seen = {r.id for r in results}
    for subject in reader.list_visible(engine, actor, text, MAX_RESULTS, 0):
        if subject.id in seen:
            continue
        name = subject.primary_name
        aliases = [n.full for n in subject.names if n.full != name]
        results.append(SearchResult(subject.id, name, aliases, subject.agency))
    return results[:MAX_RESULTS]
