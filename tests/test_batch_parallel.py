"""Screening spread over forked processes: the input's order, work that cannot be pickled,
bounded reading ahead, errors raised at their item, the collector put back as it was
(``watchlink screen --workers`` itself: ``test_cli_screen.py``)."""

from __future__ import annotations

import gc
import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from watchlink.batch import DuckDBBackend, backend
from watchlink.batch.parallel import ordered_map, pieces
from watchlink.errors import InputError, InputProblem
from watchlink.formats import write_csv
from watchlink.model import BirthDate, Name, PartialDate, Subject


def test_results_come_in_the_input_order_from_other_processes() -> None:
    parent = os.getpid()
    offset = {"by": 1000}  # a closure over a local: not picklable, read as it was at the fork

    def work(piece: list[int]) -> tuple[list[int], int]:
        return [n + offset["by"] for n in piece], os.getpid()

    found = list(ordered_map(work, pieces(range(500), 7), workers=2))
    assert [n for values, _ in found for n in values] == [n + 1000 for n in range(500)]
    assert {pid for _, pid in found} - {parent}  # screened elsewhere
    assert parent not in {pid for _, pid in found}


def test_one_worker_runs_in_this_process() -> None:
    found = list(ordered_map(lambda n: (n * 2, os.getpid()), range(5), workers=1))
    assert found == [(n * 2, os.getpid()) for n in range(5)]


def test_the_input_is_read_a_few_pieces_ahead_only() -> None:
    pulled = 0

    def items() -> Iterator[int]:
        nonlocal pulled
        for n in range(1000):
            pulled += 1
            yield n

    results = ordered_map(lambda n: n, items(), workers=2)
    assert next(results) == 0
    assert pulled <= 5  # two in flight a process, and the one that filled the line
    assert isinstance(results, Generator)
    results.close()  # the processes stopped


def test_an_error_is_raised_at_its_item_with_its_problems() -> None:
    def work(n: int) -> int:
        if n == 30:
            problem = InputProblem("bad date", "q.csv", 31, "dob")
            raise InputError("row 30 cannot be read", [problem])
        return n

    seen: list[int] = []
    with pytest.raises(InputError) as error:
        for n in ordered_map(work, range(100), workers=2):
            seen.append(n)
    assert seen == list(range(30))
    assert error.value.problems == [InputProblem("bad date", "q.csv", 31, "dob")]


def test_the_processes_start_with_the_heap_frozen_and_this_one_gets_it_back() -> None:
    before = gc.get_freeze_count()
    frozen = list(ordered_map(lambda _: gc.get_freeze_count(), range(10), workers=2))
    assert min(frozen) > before  # out of the collector's reach in the forked processes
    assert gc.get_freeze_count() == before


def test_workers_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        list(ordered_map(lambda n: n, range(3), workers=0))
    with pytest.raises(InputError, match="1 or more"):
        DuckDBBackend(workers=0)


def test_spark_refuses_local_workers() -> None:
    with pytest.raises(InputError, match="this machine") as error:
        backend("spark", workers=2)
    assert [p.field for p in error.value.problems] == ["--workers"]


def test_a_bad_row_is_named_with_two_workers(tmp_path: Path) -> None:
    from watchlink.matching import Screener

    queries = tmp_path / "q.csv"
    with queries.open("w", encoding="utf-8", newline="") as out:
        write_csv([_born(f"q-{n}", f"Passenger {n}", 1950 + n % 50) for n in range(150)], out)
    lines = queries.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[101].split(",")
    cells[header.index("birth_dates")] = "not a date"
    lines[101] = ",".join(cells)
    queries.write_text("\n".join(lines) + "\n", "utf-8")
    listed = [_born(f"s-{n}", f"Passenger {n}", 1960) for n in range(20)]
    screener: Screener[object] = Screener.build(listed)
    with pytest.raises(InputError) as error:
        DuckDBBackend(workers=2).run(screener, queries, tmp_path / "out.jsonl")
    assert [(p.line, p.field) for p in error.value.problems] == [(102, "birth_dates")]


def _born(subject_id: str, name: str, year: int) -> Subject:
    return Subject(
        id=subject_id,
        agency="BE-POL",
        names=[Name(name)],
        birth_dates=[BirthDate(PartialDate.parse(str(year)))],
    )
