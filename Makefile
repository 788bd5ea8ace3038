# watchlink's commands. `make run` sets up and serves the demo; `make test` runs every test.
# `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WL := $(VENV)/bin/watchlink
PYTEST_ARGS ?=
ARGS ?=

# Stamps: each install step runs again only when pyproject.toml changes.
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
BENCH_INSTALLED := $(VENV)/.installed-bench
# Pair scoring (mypyc) and retrieval's loops (C) compiled beside their source; rebuilt when a
# compiled module's source changes.
NATIVE := src/watchlink/matching/native.json
NATIVE_SOURCES := $(wildcard src/watchlink/matching/tokens.py src/watchlink/matching/joins.py src/watchlink/matching/alignment.py src/watchlink/matching/features*.py src/watchlink/matching/explain.py src/watchlink/matching/keys.py src/watchlink/matching/filing.py src/watchlink/matching/dates.py src/watchlink/matching/postings_native.c)

.PHONY: help venv native run serve test lint format bench train clean

help:
	@echo "make run     set up .venv, create the database, load the demo world once, serve on 127.0.0.1:8000"
	@echo "make test    install test dependencies and PostgreSQL, lint, run every test on SQLite and PostgreSQL"
	@echo "make lint    ruff check, ruff format --check, mypy --strict (package and tests)"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make bench   run the benchmarks and print their tables (ARGS=... passes options)"
	@echo "make train   fit the matching model"
	@echo "make venv    only create .venv and install watchlink"
	@echo "make native  compile pair scoring with mypyc and retrieval's C loops (run, test, bench and train do it first)"
	@echo "make clean   remove .venv and caches (the database under var/ stays)"

venv: $(INSTALLED)

$(INSTALLED): pyproject.toml
	PYTHON=$(PYTHON) scripts/venv.sh $(VENV)
	$(PY) -m pip install --quiet --upgrade 'pip>=25.1'
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_INSTALLED): $(INSTALLED)
	$(PY) -m pip install --quiet --group dev -e '.[postgres,spark]'
	touch $@

$(BENCH_INSTALLED): $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $@

native: $(NATIVE)

$(NATIVE): $(INSTALLED) $(NATIVE_SOURCES)
	$(PY) -m pip install --quiet --group native
	$(PY) scripts/compile_native.py

# The demo world needs the database that `watchlink init` creates: both run when both exist.
run: venv native
	@if $(WL) init --help >/dev/null 2>&1; then \
	  $(WL) init && \
	  if $(WL) demo --help >/dev/null 2>&1; then $(WL) demo --if-empty; fi; \
	else \
	  echo "watchlink init is not available: serving without a demo world"; \
	fi
	$(WL) serve

serve: venv native
	$(WL) serve

# mypy checks the files [tool.mypy] names in pyproject.toml: src/watchlink and tests.
lint: $(TEST_INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --strict

format: $(TEST_INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(TEST_INSTALLED) native
	scripts/install-postgres.sh
	scripts/install-chromium.sh
	scripts/install-java.sh
	scripts/install-nginx.sh
	$(MAKE) --no-print-directory lint
	scripts/with-postgres.sh $(PY) -m pytest $(PYTEST_ARGS)

bench: $(BENCH_INSTALLED) native
	$(PY) benchmarks/run.py $(ARGS)

train: $(BENCH_INSTALLED) native  # FEBRL3, a training source, comes with the bench extra
	$(PY) -m watchlink.matching.training $(ARGS)

clean:
	rm -rf $(VENV) build dist $(NATIVE) src/*.so src/watchlink/matching/*.so .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
