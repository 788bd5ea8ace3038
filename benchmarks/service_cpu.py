"""CPU time by part of a screening request, measured without a profiler (for
``service_profile.py``): chosen methods are wrapped with ``time.process_time``.

A profiler inflates functions with deep call stacks (SQLAlchemy's) several times over;
timing a few methods from outside costs two clock reads per call, so the parts add up
to what the process really spent. Parts nest (the screening call holds the engine, the
store and the audit line); each is counted at its outermost call only.
"""

from __future__ import annotations

import functools
import importlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["TIMED", "timed_parts"]

S, T = "watchlink.services.", "watchlink.store."

#: (part, module, class or "" for a module function, attribute: the first of "a|b" the
#: class has). Indented parts are inside the screening call (subjects are read by the
#: views too).
TIMED: list[tuple[str, str, str, str]] = [
    ("auth: token to actor", S + "auth", "AuthService", "token_actor"),
    ("screening call (service)", S + "screening", "ScreeningService", "screen_batch"),
    ("  engine: screen_many (matching/)", S + "screening_engine", "WarmScreener", "screen_many"),
    ("  store: ids in use", S + "screening", "ScreeningService", "_refuse_invalid"),
    ("  store: subjects read", T + "subjects", "SubjectRepository", "get_many"),
    ("  store: document trails", T + "hits_query", "HitQueries", "trails"),
    ("  store: encounters", T + "repositories", "EncounterRepository", "add_new|bulk_insert"),
    ("  store: hits, recipients, flags", T + "hits_bulk", "HitWriter", "add_many"),
    ("  store: hits, recipients, flags", T + "hits_bulk", "HitWriter", "flag_co_travellers"),
    ("  store: outbox", T + "outbox", "OutboxRepository", "add_many"),
    ("  routing: route_hit", S + "screening", "", "route_hit"),
    ("  monitoring trigger", S + "triggers", "", "on_hit"),  # on_hits, where the service has it
    ("  audit trail: lines and head", S + "audit", "AuditTrail", "record_many|record"),
    ("views of hits (after commit)", S + "hits", "HitService", "views_of"),
    ("pool: pre-ping on checkout", "sqlalchemy.engine.default", "DefaultDialect",
     "_do_ping_w_event"),
]  # fmt: skip


@contextmanager
def timed_parts(service: Any) -> Iterator[dict[str, float]]:
    """Within the block, CPU seconds per part accumulate in the dict yielded.

    ``service`` is the app's ``ScreeningService``: its trigger was bound when it was
    made and the metrics wrap its engine's ``screen_many`` on the instance, so those two
    are timed on the instances, the rest on their classes.
    """
    seconds: dict[str, float] = {}
    depth = threading.local()
    undo: list[Callable[[], None]] = []

    def wrap(part: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            level = getattr(depth, part, 0)
            setattr(depth, part, level + 1)
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                setattr(depth, part, level)
                if level == 0:
                    seconds[part] = seconds.get(part, 0.0) + time.process_time() - start

        return timed

    for part, module_name, class_name, attribute in TIMED:
        seconds.setdefault(part, 0.0)
        if attribute == "on_hit":  # bound when the service was made
            name = "_on_hits" if hasattr(service, "_on_hits") else "_on_hit"
            original = getattr(service, name)
            if original is not None:
                setattr(service, name, wrap(part, original))
                undo.append(lambda o=original, n=name: setattr(service, n, o))
            continue
        if attribute == "screen_many":  # the metrics wrap it on the instance
            screener = service.screener
            shadowed = vars(screener).get("screen_many")
            screener.screen_many = wrap(part, screener.screen_many)
            undo.append(
                lambda o=shadowed, s=screener: (
                    setattr(s, "screen_many", o)
                    if o is not None
                    else vars(s).pop("screen_many", None)
                )
            )
            continue
        module = importlib.import_module(module_name)
        owner = getattr(module, class_name) if class_name else module
        attribute = next(a for a in attribute.split("|") if a in vars(owner))
        original = vars(owner)[attribute]
        setattr(owner, attribute, wrap(part, original))
        undo.append(lambda w=owner, a=attribute, o=original: setattr(w, a, o))
    try:
        yield seconds
    finally:
        for step in reversed(undo):
            step()
