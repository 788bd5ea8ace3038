"""Search across every subject the reader may see.

Text search through ``SubjectReader.list_visible`` (visible names and documents
containing the text, in any script), filtered by the policy in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import Engine

from watchlink.access import Actor
from watchlink.model import Subject
from watchlink.services.subjects import SubjectReader

__all__ = ["SearchResult", "search_subjects"]

MAX_RESULTS = 50


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One subject found, with the match score and its explanation when the engine scored it."""

    subject: Subject
    score: float | None = None
    explanation: list[str] = field(default_factory=list)


def search_subjects(
    request: Request, engine: Engine, reader: SubjectReader, actor: Actor, text: str
) -> list[SearchResult]:
    """The visible subjects matching ``text``; nothing for an empty query."""
    text = text.strip()
    if not text:
        return []
    found = reader.list_visible(engine, actor, text, MAX_RESULTS, 0)
    return [SearchResult(s) for s in found]
