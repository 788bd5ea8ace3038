"""Compile pair scoring with mypyc beside its source (``make native``); see
``watchlink.matching.native``. Without a C compiler it says so and leaves the source to run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

from watchlink.matching.native import (  # noqa: E402
    NATIVE_EXTENSIONS,
    NATIVE_MODULES,
    PACKAGE,
    write_stamp,
)


def main() -> int:
    try:
        from mypyc.build import mypycify
        from setuptools import Extension, setup
    except ImportError as missing:
        print(f"native: {missing.name} is not installed; pair scoring runs as Python")
        return 0
    paths = [f"watchlink/matching/{name}.py" for name in NATIVE_MODULES]
    os.chdir(SRC)  # extension modules land beside their source, the shared part in src/
    try:
        modules = mypycify(
            ["--config-file", str(ROOT / "pyproject.toml"), *paths],
            opt_level="3",
            group_name="watchlink_native",
        )
        modules += [
            Extension(f"watchlink.matching.{name}", [f"watchlink/matching/{source}"],
                      extra_compile_args=["-O3"])
            for name, source in NATIVE_EXTENSIONS.items()
        ]  # fmt: skip
        setup(
            name="watchlink-native",
            ext_modules=modules,
            script_args=["--quiet", "build_ext", "--inplace", "--build-temp", "../build/native"],
        )
    except (SystemExit, Exception) as failed:  # no compiler, no headers: the source runs
        print(f"native: compiling failed ({failed}); pair scoring runs as Python")
        return 0
    write_stamp(PACKAGE)
    print(f"native: compiled {', '.join([*NATIVE_MODULES, *NATIVE_EXTENSIONS])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
