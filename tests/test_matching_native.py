"""Compiled pair scoring answers exactly as its source, and a stale build never answers.

``make test`` compiles first (``make native``), so here the compiled modules run and are
compared, pair by pair, with the source run in a separate process
(``WATCHLINK_PURE_PYTHON=1``).
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from watchlink.matching import native

PAIRS = [
    ("Mohamed Abdelhamid Haddad", "Muhammad Abd al-Hamid Hadad"),
    ("عبد الحميد حداد", "Abdelhamid Haddad"),
    ("Karim Mansour", "Mansour Karim"),
    ("Adbul Bari Saleh", "Abdulbari Saleh"),
    ("J. C. Martin", "Jean Claude Martin"),
    ("Xu Li", "Gul"),
    ("Leila Haddad", "Karim Haddad"),
    ("Solutions II Ltd", "Solutions Ltd"),
    ("Владимир Петров", "Vladimir Petrov"),
    ("김민준", "Kim Min-jun"),
    ("Youssef bin Ali", "Ali bin Youssef"),
    ("Walid Kessaci", "Adnane Kessaci"),
]

_SCRIPT = """
import json, sys
from watchlink.matching.native import native_active
from watchlink.matching.record import prepare
from watchlink.matching.scoring import score
from watchlink.model import BirthDate, Name, PartialDate, Subject

out = []
for left, right in json.loads(sys.argv[1]):
    a = prepare(Subject(id="a", agency="X", names=[Name(left)],
                        birth_dates=[BirthDate(PartialDate(1981, 4, 2))]))
    b = prepare(Subject(id="b", agency="X", names=[Name(right)],
                        birth_dates=[BirthDate(PartialDate(1981, 2, 4))]))
    scored = score(a, b)
    out.append([scored.probability, scored.explanation])
print(json.dumps({"compiled": native_active(), "scores": out}))
"""


def _run(pure: bool) -> dict[str, object]:
    env = dict(os.environ)
    env.pop(native.PURE_ENV, None)
    if pure:
        env[native.PURE_ENV] = "1"
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(PAIRS)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.skipif(not native.compiled_modules(), reason="make native has not compiled")
def test_compiled_scoring_equals_the_source_pair_by_pair() -> None:
    compiled, source = _run(pure=False), _run(pure=True)
    assert compiled["compiled"] is True
    assert source["compiled"] is False
    assert compiled["scores"] == source["scores"]


def _fake_package(tmp_path: Path) -> Path:
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for name in native.NATIVE_MODULES:
        (tmp_path / f"{name}.py").write_text(f"WHO = {name!r}\n", "utf-8")
    for source in native.NATIVE_EXTENSIONS.values():
        (tmp_path / source).write_text("/* C */\n", "utf-8")
    (tmp_path / f"tokens{suffix}").write_bytes(b"")
    (tmp_path / f"features{suffix}").write_bytes(b"")
    return tmp_path


def test_a_compiled_module_is_stale_once_its_source_changes(tmp_path: Path) -> None:
    package = _fake_package(tmp_path)
    assert native.compiled_modules(package) == ["tokens", "features"]
    assert native.stale_modules(package) == ["tokens", "features"]  # no stamp: unknown age
    native.write_stamp(package)
    assert native.stale_modules(package) == []
    (package / "tokens.py").write_text("WHO = 'edited'\n", "utf-8")
    assert native.stale_modules(package) == ["tokens"]


def test_one_stale_module_makes_all_load_from_source_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _fake_package(tmp_path)
    native.write_stamp(package)
    (package / "tokens.py").write_text("WHO = 'edited'\n", "utf-8")
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    before = list(sys.meta_path)
    try:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            # features is fresh, but compiled with tokens it calls tokens' old code directly
            assert native.use_fresh_native(package) == ["tokens", "features"]
        assert "compiled tokens older than the source" in str(said[0].message)
        finder = sys.meta_path[0]
        spec = finder.find_spec("watchlink.matching.features", None)
        assert spec is not None and spec.origin == str(package / "features.py")
        assert finder.find_spec("watchlink.matching.index", None) is None
    finally:
        sys.meta_path[:] = before


def test_a_fresh_build_is_left_alone_unless_the_source_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _fake_package(tmp_path)
    native.write_stamp(package)
    before = list(sys.meta_path)
    try:
        monkeypatch.delenv(native.PURE_ENV, raising=False)
        assert native.use_fresh_native(package) == []
        assert sys.meta_path == before
        monkeypatch.setenv(native.PURE_ENV, "1")
        assert native.use_fresh_native(package) == ["tokens", "features"]
    finally:
        sys.meta_path[:] = before


def test_a_c_extension_is_used_only_while_built_from_its_source_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _fake_package(tmp_path)
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    name, source = next(iter(native.NATIVE_EXTENSIONS.items()))
    assert native.fresh_extension(name, package) is None  # not built: the numpy code runs
    (package / f"{name}{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    native.write_stamp(package)
    (package / source).write_text("/* edited */\n", "utf-8")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert native.fresh_extension(name, package) is None
    assert f"compiled {name} older than {source}" in str(said[0].message)


def test_the_built_c_extension_is_loaded_unless_the_source_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = next(iter(native.NATIVE_EXTENSIONS))
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    loaded = native.fresh_extension(name)
    if loaded is None:
        pytest.skip("make native has not built the C extensions here")
    assert loaded.__name__ == f"watchlink.matching.{name}"
    monkeypatch.setenv(native.PURE_ENV, "1")
    assert native.fresh_extension(name) is None
