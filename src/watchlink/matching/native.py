"""Compiled pair scoring: the hot modules built with mypyc, used only while they match their source.

Scoring a pair aligns name parts, classes each token pair and combines the features: plain
Python, about half of it interpreter overhead. ``make native`` compiles the modules named in
:data:`NATIVE_MODULES` with mypyc (the compiler of the type checker the project already
passes) into extension modules beside their source, and records a digest of each source in
``native.json``. The compiled code is the same code: the same functions on the same types.

A compiled module is used only while its source is the one it was compiled from: after an
edit to any of them, :func:`use_fresh_native` makes Python load all of them from source
(and says so), so a stale build never answers for changed code. ``WATCHLINK_PURE_PYTHON=1``
forces the source everywhere (to compare, or to debug). Without a compiler the modules are
simply not built and the source runs, only slower.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

__all__ = [
    "NATIVE_EXTENSIONS",
    "NATIVE_MODULES",
    "PURE_ENV",
    "STAMP",
    "compiled_modules",
    "fresh_extension",
    "native_active",
    "stale_modules",
    "use_fresh_native",
    "write_stamp",
]

NATIVE_MODULES = (
    "tokens",
    "joins",
    "alignment",
    "features",
    "features_record",
    "features_address",
    "explain",
    "keys",
    "filing",
    "dates",
)
"""The modules of ``watchlink.matching`` compiled by ``make native``: pair scoring only.
Their classes live for one comparison and are never pickled (a compiled frozen dataclass
cannot be unpickled), which is why prepared records, scores and the index stay Python."""

NATIVE_EXTENSIONS = {"_postings_native": "postings_native.c"}
"""Extension modules written in C, by the source each is compiled from (``make native``):
candidate retrieval's inner loops. Each module that uses one keeps its numpy version, run
when the extension is not built, is stale, or ``WATCHLINK_PURE_PYTHON=1``."""

STAMP = "native.json"
PURE_ENV = "WATCHLINK_PURE_PYTHON"
PACKAGE = Path(__file__).resolve().parent
_PREFIX = "watchlink.matching."


def _digest(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def compiled_modules(package: Path = PACKAGE) -> list[str]:
    """The native modules that have a compiled file beside their source."""
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return [
        name
        for name in NATIVE_MODULES
        if any((package / f"{name}{suffix}").exists() for suffix in suffixes)
    ]


def _stamp(package: Path) -> dict[str, str]:
    try:
        data = json.loads((package / STAMP).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def stale_modules(package: Path = PACKAGE) -> list[str]:
    """Compiled modules whose source changed since they were compiled (or of unknown age)."""
    stamp = _stamp(package)
    return [
        name
        for name in compiled_modules(package)
        if stamp.get(name) != _digest(package / f"{name}.py")
    ]


def write_stamp(package: Path = PACKAGE) -> None:
    """Record the digest of each native module's source (after compiling them)."""
    digests = {name: _digest(package / f"{name}.py") for name in NATIVE_MODULES}
    digests.update({name: _digest(package / c) for name, c in NATIVE_EXTENSIONS.items()})
    (package / STAMP).write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", "utf-8")


class _SourceFirst(MetaPathFinder):
    """Loads the named modules from their ``.py`` source, ahead of a compiled file."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        source = self.sources.get(fullname)
        if source is None:
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def use_fresh_native(package: Path = PACKAGE) -> list[str]:
    """When any compiled module is stale (or with ``WATCHLINK_PURE_PYTHON=1``), make all of
    them load from source; called by the package before any of them is imported. Returns
    the names of the modules that will run from source."""
    pure = os.environ.get(PURE_ENV, "") not in ("", "0")
    stale = [] if pure else stale_modules(package)
    if not pure and not stale:
        return []
    # Compiled together, the modules call one another directly in C: one stale module
    # would still answer through a fresh one, so all of them run from source.
    names = compiled_modules(package)
    if stale:
        warnings.warn(
            f"compiled {', '.join(stale)} older than the source: running the source of "
            f"{', '.join(names)} (make native compiles it again)",
            stacklevel=2,
        )
    sources = {_PREFIX + name: package / f"{name}.py" for name in names}
    sys.meta_path.insert(0, _SourceFirst(sources))
    return names


def fresh_extension(name: str, package: Path = PACKAGE) -> ModuleType | None:
    """The C extension ``name`` of :data:`NATIVE_EXTENSIONS` when it is built from its
    source as the source is now and the source is not forced (:data:`PURE_ENV`), else None:
    the caller then runs its own Python. A stale build is said so, and not used."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return None
    built = any(
        (package / f"{name}{suffix}").exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES
    )
    if not built:
        return None
    if _stamp(package).get(name) != _digest(package / NATIVE_EXTENSIONS[name]):
        warnings.warn(
            f"compiled {name} older than {NATIVE_EXTENSIONS[name]}: not used "
            "(make native compiles it again)",
            stacklevel=2,
        )
        return None
    return importlib.import_module(_PREFIX + name)


def native_active() -> bool:
    """Whether pair scoring runs compiled in this process (for benchmark tables)."""
    module = sys.modules.get(_PREFIX + "features_record")
    if module is None:
        module = importlib.import_module(_PREFIX + "features_record")
    origin = getattr(module, "__file__", "") or ""
    return not origin.endswith(".py")
