#!/usr/bin/env bash
# Create the virtual environment (default .venv) with a working pip, once.
#
# On Debian, `python3 -m venv` needs the python3-venv package; as root it is installed
# with apt-get when missing. PYTHON picks the interpreter (default python3, 3.11 or newer).
set -euo pipefail

venv="${1:-.venv}"
python="${PYTHON:-python3}"

if "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  exit 0
fi

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "venv: watchlink needs Python 3.11 or newer; $python is $("$python" -V 2>&1)" >&2
  exit 1
fi

rm -rf "$venv"
if ! "$python" -m venv "$venv"; then
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "venv: cannot create $venv; install python3-venv (apt-get install python3-venv)" >&2
    exit 1
  fi
  echo "venv: installing Debian's python3-venv" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends python3-venv
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
