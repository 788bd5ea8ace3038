"""Putting a synthetic or demo world somewhere: files on disk, or the database.

Worlds are streamed in batches, so a million subjects never sit in memory; the caller
follows along through a ``progress(stage, advance)`` callback (the CLI draws bars).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection

from watchlink.formats.ftm import subject_to_ftm
from watchlink.model import Agency, Decision, Encounter, InfoRequest, Link, PartnerGroup, Subject
from watchlink.world.demo import DemoWorld
from watchlink.world.encounters import Truth
from watchlink.world.synth import SynthWorld

__all__ = [
    "LoadedWorld",
    "Progress",
    "WorldFiles",
    "batched",
    "encounter_to_json",
    "link_to_json",
    "load_demo",
    "load_world",
    "truth_to_json",
    "write_world",
]

Progress = Callable[[str, int], None]
T = TypeVar("T")


def _silent(stage: str, advance: int) -> None:
    """The default progress callback: says nothing."""


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def encounter_to_json(encounter: Encounter) -> dict[str, Any]:
    """An encounter as a plain JSON object (the screening API's shape)."""
    person = encounter.person
    document = encounter.document
    return {
        "id": encounter.id,
        "kind": encounter.kind.value,
        "agency": encounter.agency,
        "occurred_at": encounter.occurred_at.isoformat(),
        "country": encounter.country,
        "site": encounter.site,
        "origin_country": encounter.origin_country,
        "destination_country": encounter.destination_country,
        "group_ref": encounter.group_ref,
        "person": {
            "names": person.names,
            "given": person.given,
            "family": person.family,
            "birth_date": None if person.birth_date is None else str(person.birth_date),
            "nationality": person.nationality,
            "gender": None if person.gender is None else person.gender.value,
        },
        "document": None
        if document is None
        else {"number": document.number, "type": document.type.value, "country": document.country},
    }


def truth_to_json(truth: Truth) -> dict[str, Any]:
    """One line of the ground-truth file."""
    return {
        "encounter_id": truth.encounter_id,
        "subject_id": truth.subject_id,
        "variations": [v.value for v in truth.variations],
        "namesake_of": truth.namesake_of,
        "stolen_document": truth.stolen_document,
        "style": truth.style,
    }


def link_to_json(link: Link) -> dict[str, Any]:
    """A link between two subjects as a plain JSON object."""
    return {
        "source_subject": link.source_subject,
        "target_subject": link.target_subject,
        "kind": link.kind.value,
        "source": link.source,
        "confidence": link.confidence,
        "note": link.note,
        "created_at": None if link.created_at is None else link.created_at.isoformat(),
    }


@dataclass(frozen=True, slots=True)
class WorldFiles:
    """What :func:`write_world` wrote, and where."""

    folder: Path
    subjects: int
    links: int
    encounters: int


def _write_lines(
    path: Path, rows: Iterable[dict[str, Any]], stage: str, progress: Progress, chunk: int
) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for batch in batched(rows, chunk):
            out.write("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in batch))
            count += len(batch)
            progress(stage, len(batch))
    return count


def write_world(
    world: SynthWorld, folder: Path, progress: Progress = _silent, chunk: int = 5000
) -> WorldFiles:
    """Write the world as JSON lines: subjects (FtM entities), links, encounters, truth.

    ``world.json`` lists the seed, sizes, agencies, partner groups and stolen batches.
    """
    folder.mkdir(parents=True, exist_ok=True)
    meta = {
        "seed": world.seed,
        "subjects": world.subject_count,
        "encounters": world.encounter_count,
        "agencies": [
            {"code": a.code, "name": a.name, "country": a.country, "kind": a.kind.value}
            | {"officers": a.officers}
            for a in world.agencies
        ],
        "partner_groups": [
            {"code": g.code, "name": g.name, "members": sorted(g.members)}
            for g in world.partner_groups
        ],
        "stolen_batches": [
            {"id": b.id, "agency": b.agency, "country": b.country, "first": b.number(0)}
            | {"count": b.count, "reported_at": b.reported_at.isoformat()}
            for b in world.batches
        ],
    }
    (folder / "world.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    subjects = _write_lines(
        folder / "subjects.ftm.jsonl",
        (subject_to_ftm(s) for s in world.subjects()),
        "subjects",
        progress,
        chunk,
    )
    links = _write_lines(
        folder / "links.jsonl", (link_to_json(k) for k in world.links()), "links", progress, chunk
    )
    encounters = 0
    with (folder / "truth.jsonl").open("w", encoding="utf-8") as truth_out:

        def rows() -> Iterator[dict[str, Any]]:
            for encounter, truth in world.encounters():
                truth_out.write(json.dumps(truth_to_json(truth), ensure_ascii=False) + "\n")
                yield encounter_to_json(encounter)

        encounters = _write_lines(
            folder / "encounters.jsonl", rows(), "encounters", progress, chunk
        )
    return WorldFiles(folder, subjects, links, encounters)


class _Agencies(Protocol):
    def upsert(self, agency: Agency) -> Any: ...

    def list(self) -> Any: ...

    def upsert_group(self, group: PartnerGroup) -> Any: ...


class _Subjects(Protocol):
    def bulk_insert(self, subjects: list[Subject]) -> Any: ...


class _Links(Protocol):
    def bulk_insert(self, links: list[Link]) -> Any: ...


class _Encounters(Protocol):
    def bulk_insert(self, encounters: list[Encounter]) -> Any: ...


class _Decisions(Protocol):
    def add(self, decision: Decision) -> Any: ...


class _Requests(Protocol):
    def add(self, request: InfoRequest) -> Any: ...


class _UnitOfWork(Protocol):
    @property
    def agencies(self) -> _Agencies: ...
    @property
    def subjects(self) -> _Subjects: ...
    @property
    def links(self) -> _Links: ...
    @property
    def encounters(self) -> _Encounters: ...
    @property
    def decisions(self) -> _Decisions: ...
    @property
    def requests(self) -> _Requests: ...
    @property
    def connection(self) -> Connection: ...

    def commit(self) -> None: ...


@dataclass(frozen=True, slots=True)
class LoadedWorld:
    """How many records a load put in the database."""

    agencies: int
    subjects: int
    links: int
    encounters: int

    def __str__(self) -> str:
        return (
            f"{self.agencies} agencies, {self.subjects:,} subjects, {self.links:,} links, "
            f"{self.encounters:,} encounters"
        )


def _insert(
    rows: Iterable[T], insert: Callable[[list[T]], Any], uow: _UnitOfWork, stage: str,
    progress: Progress, chunk: int,
) -> int:  # fmt: skip
    count = 0
    for batch in batched(rows, chunk):
        insert(batch)
        uow.commit()  # batch by batch: memory stays flat whatever the size
        count += len(batch)
        progress(stage, len(batch))
    return count


def _load_agencies(
    uow: _UnitOfWork, agencies: Iterable[Agency], groups: Iterable[PartnerGroup]
) -> int:
    count = 0
    for agency in agencies:
        uow.agencies.upsert(agency)
        count += 1
    for group in groups:
        uow.agencies.upsert_group(group)
    uow.commit()
    return count


def load_world(
    uow: _UnitOfWork, world: SynthWorld, progress: Progress = _silent, chunk: int = 5000
) -> LoadedWorld:
    """Load a synthetic world (agencies, subjects, links, encounters) into the database."""
    agencies = _load_agencies(uow, world.agencies, world.partner_groups)
    subjects = _insert(world.subjects(), uow.subjects.bulk_insert, uow, "subjects", progress, chunk)
    links = _insert(world.links(), uow.links.bulk_insert, uow, "links", progress, chunk)
    encounters = _insert(
        (e for e, _ in world.encounters()), uow.encounters.bulk_insert, uow, "encounters",
        progress, chunk,
    )  # fmt: skip
    return LoadedWorld(agencies, subjects, links, encounters)


def load_demo(
    uow: _UnitOfWork, demo: DemoWorld, progress: Progress = _silent, *, if_empty: bool = False
) -> LoadedWorld | None:
    """Load the demo world; with ``if_empty``, do nothing (None) when agencies exist."""
    if if_empty and len(list(uow.agencies.list())) > 0:
        return None
    agencies = _load_agencies(uow, demo.agencies, demo.partner_groups)
    story = _insert(demo.subjects, uow.subjects.bulk_insert, uow, "subjects", progress, 1000)
    bulk = _insert(
        demo.synthetic.subjects(), uow.subjects.bulk_insert, uow, "subjects", progress, 5000
    )
    links = [*demo.links, *demo.synthetic.links()]
    linked = _insert(links, uow.links.bulk_insert, uow, "links", progress, 5000)
    uow.encounters.bulk_insert(list(demo.encounters))
    for decision in demo.decisions:
        uow.decisions.add(decision)
    for request in demo.requests:
        uow.requests.add(request)
    from watchlink.services.access_wiring import add_demo_users  # the demo logins

    add_demo_users(uow.connection, demo.users)
    uow.commit()
    return LoadedWorld(agencies, story + bulk, linked, len(demo.encounters))
