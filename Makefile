# The two commands of the README work on a fresh machine: each creates .venv when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXTRAS ?= dev

.PHONY: install demo test test-fast check lint typecheck format bench clean web

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

## The main job on the embedded demo dataset.
demo: $(STAMP)
	$(PY) -m gristmill demo

## The whole test suite, slow real-model tests included.
test: $(STAMP)
	$(PY) -m pytest

## The quick loop: everything but the tests marked slow.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

check: lint typecheck test-fast

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## The web UI: a clean install of web/'s locked dependencies, then the bundle into
## src/gristmill/server/static/ (committed, so `pip install` needs no Node). package.json pins
## rollup (overrides) to a release whose native builds exist for every platform, so the lock
## file lists them all and `npm ci` works on any machine.
web:
	cd web && npm ci --no-audit --no-fund && npm run build

## Benchmarks (figures land in benchmarks/results/).
bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache gristmill_project
