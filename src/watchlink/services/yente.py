"""Matching for yente clients: ``POST /match/{dataset}`` answered from the warm engine.

Existing sanctions-screening clients speak OpenSanctions' yente protocol: a batch of
FollowTheMoney examples in, scored entities out. This is a *read*: the warm screening
engine proposes candidates from every listed subject, then only those the caller may
read (the policy's SQL filter) are kept, each is redacted for the caller and scored
again on what is left, so neither a hidden record nor a hidden alias or document can
move a score. The whole request is one audit line in the same transaction. Blind hits
for agencies that may not read a subject are the encounters API's business, not this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, select

from watchlink.access import Action, Actor, Resource, redact_subject, resource_of
from watchlink.access import subject_visibility_filter as visibility
from watchlink.errors import AccessDenied, InputError, InputProblem, NotFound
from watchlink.formats.yente import read_example, scored_entity
from watchlink.matching import Match
from watchlink.model import AuditAction, Subject
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.subjects import SubjectStore

__all__ = [
    "ALGORITHMS",
    "DEFAULT_DATASET",
    "FEATURE_DOCS",
    "MAX_BATCH",
    "MAX_LIMIT",
    "CandidateSource",
    "Dataset",
    "MatchSettings",
    "YenteMatcher",
    "agency_codes",
]

DEFAULT_DATASET = "default"
MAX_BATCH = 100
"""Queries in one request, as yente's ``MAX_BATCH``."""
MAX_LIMIT = 500
ALGORITHMS = ("watchlink-v1", "best", "logic-v1", "logic-v2", "name-based", "regression-v1")
"""Algorithm names a yente client may send; every one is answered by watchlink's model."""

FEATURE_DOCS: dict[str, str] = {
    "name_cover_min": "Share of the less covered name found in the other.",
    "name_cover_max": "Share of the better covered name found in the other.",
    "name_whole": "Whole-name similarity, order-free, on phonetic skeletons.",
    "name_exact": "The two names have the same parts.",
    "name_clean": "Every part of the shorter name is found, as itself, a variant, typo or initial.",
    "name_alike_share": "Share of the shorter name's parts that are merely alike.",
    "name_alike": "Aligned parts that are alike but no known kind of variant (count, up to 3).",
    "name_unmatched_min": (
        "Parts without partner on the side with fewer parts, at least one when a legal form, "
        "a series number, a subsidiary's word or a family name's woman's and man's forms "
        "set the names apart (count, up to 3)."
    ),
    "name_unmatched_max": "Parts without partner on the side with more parts (count, up to 3).",
    "name_typos": "Parts matched with a typo (count, up to 3).",
    "name_initials": "Parts matched by an initial (count, up to 3).",
    "name_single": "One of the names is a single word: weak evidence.",
    "name_order_swapped": "Given names in other places, as father and son often are.",
    "family_conflict": "Both family names are known and differ.",
    "dob_day": "Same date of birth.",
    "dob_month": "Same year and month of birth.",
    "dob_year": "Same year of birth, one side giving the year only.",
    "dob_swapped": "Date of birth with day and month swapped.",
    "dob_near": "Dates of birth close but not equal.",
    "dob_conflict": "Different dates of birth.",
    "nationality_match": "A nationality in common.",
    "nationality_conflict": "No nationality in common.",
    "gender_conflict": "Different gender.",
    "doc_exact": "Same document number.",
    "doc_fuzzy": "Document numbers equal but for one slip or OCR error.",
    "doc_conflict": "Different numbers for documents of the same type and country.",
    "address_area": "An address in the same postcode or town (names sharing a part).",
    "address_street": "An address in the same street (names sharing a part).",
    "address_same": "The same address, street and house number (names sharing a part).",
    "address_conflict": "Addresses in different towns.",
    "birth_place_match": "Born in the same town.",
    "birth_country_match": "Born in the same country.",
    "birth_place_conflict": "Born in different places.",
    "phone_match": "The same telephone number.",
    "email_match": "The same e-mail address.",
}
"""What each scoring feature means: yente's ``matcher`` block, in the model's words."""


class CandidateSource(Protocol):
    """The warm screening engine, as this use case asks it for candidates."""

    def screen(
        self, query: Subject, threshold: float, top: int = 10, candidates: int | None = None
    ) -> list[Match]: ...


CANDIDATES = 50
"""Candidates asked of the engine per query, before the policy keeps the readable ones."""

MAX_CANDIDATES = 3_200
"""Widening stops here: a query whose first candidates are mostly unreadable to the caller
(other agencies' namesakes) is asked again for four times as many, up to this many."""


@dataclass(frozen=True, slots=True)
class Dataset:
    """A collection a yente client can match against: every readable list, or one agency's."""

    name: str
    title: str
    agency: str | None  # None: every list the caller may read


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """The query parameters of one match request (yente's names and meanings)."""

    threshold: float
    cutoff: float
    limit: int
    algorithm: str = "watchlink-v1"


class YenteMatcher:
    """The yente match use case over the warm engine, the subject store and the trail."""

    def __init__(
        self,
        screener: Callable[[], CandidateSource],
        store: SubjectStore,
        audit: AuditTrail,
        agencies: Callable[[Connection], Sequence[str]],
    ) -> None:
        self.screener = screener
        self.store = store
        self.audit = audit
        self.policy = audit.policy
        self.agencies = agencies

    def catalog(self, engine: Engine) -> list[Dataset]:
        """``default`` (every list the caller may read), then one dataset per agency."""
        with engine.connect() as conn:
            codes = sorted(self.agencies(conn))
        every = Dataset(DEFAULT_DATASET, "Every watchlist the caller may read", None)
        return [every, *(Dataset(c.lower(), f"Watchlist of {c}", c) for c in codes)]

    def dataset(self, engine: Engine, name: str) -> Dataset:
        """The dataset of that name; ``NotFound`` otherwise (yente's 404)."""
        for dataset in self.catalog(engine):
            if dataset.name == name.lower():
                return dataset
        raise NotFound(f"no dataset {name!r}; GET /catalog lists them")

    def matcher_docs(self) -> dict[str, dict[str, Any]]:
        """yente's ``matcher`` block: each feature's description and coefficient."""
        from watchlink.matching.scoring import load_model

        model = load_model()
        weights = dict(zip(model.features, model.weights, strict=True))
        return {
            name: {"description": text, "coefficient": round(weights.get(name, 0.0), 6), "url": ""}
            for name, text in FEATURE_DOCS.items()
        }

    def match(
        self,
        engine: Engine,
        actor: Actor,
        dataset_name: str,
        queries: Mapping[str, Mapping[str, Any]],
        settings: MatchSettings,
    ) -> dict[str, Any]:
        """The yente response for a batch of examples, through the policy and on the trail."""
        _check(queries, settings)
        own = Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
        verdict = self.policy.allowed(actor, Action.SCREEN, own)
        if not verdict.allow:
            raise AccessDenied(f"matching is refused ({verdict.reason})")
        dataset = self.dataset(engine, dataset_name)
        examples = {
            key: read_example(key, example, actor.agency) for key, example in queries.items()
        }
        responses: dict[str, Any] = {}
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            proposed, readable = self._propose(conn, actor, examples, dataset, settings.limit)
            shown: set[str] = set()
            for key, example in examples.items():
                person = example.person
                candidates = [readable[i] for i in proposed[key] if i in readable]
                results = [] if person is None else _scored(person, candidates, settings)
                shown.update(r["id"] for r in results)
                responses[key] = {
                    "status": 200,
                    "results": results[: settings.limit],
                    "total": {"value": sum(r["match"] for r in results), "relation": "eq"},
                    "query": example.echo,
                }
            what = f"match {dataset.name} queries={len(queries)} algorithm={settings.algorithm}"
            self.audit.record(conn, Who.of(actor), AuditAction.SEARCH, sorted(shown), what)
        return {"responses": responses, "matcher": self.matcher_docs(), "limit": settings.limit}

    def _propose(
        self,
        conn: Connection,
        actor: Actor,
        examples: Mapping[str, Any],
        dataset: Dataset,
        limit: int,
    ) -> tuple[dict[str, list[str]], dict[str, Subject]]:
        """Each query's candidates, best first, and those the actor may read (redacted).

        A query with fewer than ``limit`` readable candidates while the engine had more to
        give is asked again for four times as many: hidden namesakes must not crowd out
        the subjects the caller may see.
        """
        screener = self.screener()
        proposed: dict[str, list[str]] = {key: [] for key in examples}
        readable: dict[str, Subject] = {}
        checked: set[str] = set()
        pending = [key for key, ex in examples.items() if ex.person is not None]
        top = CANDIDATES
        while pending:
            for key in pending:  # threshold 0: a whole record's score says little here
                found = screener.screen(examples[key].person, 0.0, top, candidates=top)
                proposed[key] = [m.subject_id for m in found]
            wanted = sorted({i for key in pending for i in proposed[key]} - checked)
            readable.update(self._readable(conn, actor, wanted, dataset))
            checked.update(wanted)
            pending = [
                key
                for key in pending
                if len(proposed[key]) >= top
                and sum(1 for i in proposed[key] if i in readable) < limit
                and top < MAX_CANDIDATES
            ]
            top *= 4
        return proposed, readable

    def _readable(
        self, conn: Connection, actor: Actor, ids: Sequence[str], dataset: Dataset
    ) -> dict[str, Subject]:
        """Those of ``ids`` the actor may read (in the dataset), redacted for the actor."""
        if not ids:
            return {}
        visible = visibility(actor, self.store.columns, Action.READ, self.policy)
        statement = select(self.store.id).where(self.store.id.in_(ids), visible)
        if dataset.agency is not None:
            statement = statement.where(self.store.columns.owner_agency == dataset.agency)
        allowed_ids = list(conn.scalars(statement))
        shown: dict[str, Subject] = {}
        for subject in self.store.load(conn, allowed_ids):
            resource = resource_of(subject, self.store.country_of(conn, subject.agency))
            if self.policy.allowed(actor, Action.READ, resource).allow:  # as SQL said
                shown[subject.id] = redact_subject(
                    actor, Action.READ, subject, resource, self.policy
                )
        return shown


def agency_codes(conn: Connection) -> list[str]:
    """Every agency's code (the datasets besides ``default``)."""
    from watchlink.store import tables

    return list(conn.scalars(select(tables.agencies.c.code).order_by(tables.agencies.c.code)))


def _check(queries: Mapping[str, Mapping[str, Any]], settings: MatchSettings) -> None:
    problems = []
    if not queries:
        problems.append(InputProblem("no queries provided", field="queries"))
    if len(queries) > MAX_BATCH:
        problems.append(InputProblem(f"at most {MAX_BATCH} queries a request", field="queries"))
    if settings.algorithm not in ALGORITHMS:
        known = ", ".join(ALGORITHMS)
        problems.append(InputProblem(f"unknown algorithm; one of {known}", field="algorithm"))
    if not 1 <= settings.limit <= MAX_LIMIT:
        problems.append(InputProblem(f"between 1 and {MAX_LIMIT}", field="limit"))
    if problems:
        raise InputError("the match request is not valid", problems)


def _scored(
    person: Subject, listed: list[Subject], settings: MatchSettings
) -> list[dict[str, Any]]:
    """Each readable subject scored again on its redacted record, best first (yente's rules:
    a result needs more than ``cutoff``; ``match`` is at least ``threshold``)."""
    from watchlink.matching.features_record import FEATURES, pair_features
    from watchlink.matching.record import prepare
    from watchlink.matching.scoring import load_model, score

    model = load_model()
    query = prepare(person)
    cutoff = min(settings.cutoff, settings.threshold)
    out = []
    for subject in listed:
        if not subject.names:
            continue  # every name hidden from the caller: nothing to match on
        record = prepare(subject)
        probability = score(query, record, model, explained=False).probability
        if probability <= cutoff:
            continue
        features = pair_features(query, record)
        values = {n: round(v, 4) for n, v in zip(FEATURES, features.values, strict=True) if v}
        if features.document is not None and features.document.alarm:
            values["document_alarm"] = 1.0
        is_match = probability >= settings.threshold
        out.append(scored_entity(subject, probability, is_match, values, [subject.agency.lower()]))
    out.sort(key=lambda r: (-r["score"], r["id"]))
    return out
