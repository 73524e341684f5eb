# The two commands of the README work on a fresh machine: each creates .venv when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The demo installs only what it imports (wheels only, no compiler step); the tests and every
# other target install the dev extras, which upgrades a demo venv in place.
DEMO_STAMP := $(VENV)/.installed-demo
EXTRAS ?= dev

.PHONY: install demo test test-fast check lint typecheck format bench clean web fuzz api-types \
	lilac-env bench-lilac

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

$(DEMO_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[demo]'
	touch $(DEMO_STAMP)

install: $(STAMP)

## The main job on the embedded demo dataset.
## A venv already installed for the tests has everything the demo needs.
demo: $(if $(wildcard $(STAMP)),$(STAMP),$(DEMO_STAMP))
	$(PY) -m gristmill demo

## The whole test suite, slow real-model tests included.
test: $(STAMP)
	$(PY) -m pytest

## The quick loop: everything but the tests marked slow.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

## Fuzz the REST API of a live server for about five minutes: schemathesis with many cases per
## operation (a new seed each run) and every boundary value, with 100,000-item lists. The same
## tests run in `make test` with a few cases. FUZZ_CHECKS=all adds schemathesis' other checks.
FUZZ_SECONDS ?= 240
FUZZ_EXAMPLES ?= 100
FUZZ_CHECKS ?=
fuzz: $(STAMP)
	GRISTMILL_FUZZ_SECONDS=$(FUZZ_SECONDS) GRISTMILL_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	GRISTMILL_FUZZ_ITEMS=100000 GRISTMILL_FUZZ_SEED=$$(date +%s) GRISTMILL_FUZZ_CHECKS=$(FUZZ_CHECKS) \
	$(PY) -m pytest tests/fuzz -m fuzz -s -q

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

## The REST API's contract: docs/openapi.json from the server's routes and pydantic models, then
## the UI's types generated from it (web/src/api/schema.gen.ts, by openapi-typescript). Run after
## changing a route or a model; tests fail while either file is stale.
api-types: $(STAMP)
	$(PY) -m gristmill.server.openapi
	test -d web/node_modules/openapi-typescript || (cd web && npm ci --no-audit --no-fund)
	cd web && npm run gen:types

## Benchmarks (figures land in benchmarks/results/).
bench: $(STAMP)
	$(PY) benchmarks/run.py

## Lilac 0.3.9 in its own venv (never ours), for the side-by-side benchmark. uv resolves it in
## about a minute where pip's resolver backtracks for tens of minutes; Lilac 0.3.9 predates
## NumPy 2 (its pyarrow 14 fails to import under it), hence numpy<2.
LILAC_VENV := benchmarks/.work/lilac-venv
LILAC_PY := $(LILAC_VENV)/bin/python
lilac-env: $(LILAC_VENV)/.installed

$(LILAC_VENV)/.installed:
	test -x $(LILAC_PY) || $(PYTHON) -m venv $(LILAC_VENV)
	$(LILAC_PY) -m pip install --quiet uv
	$(LILAC_VENV)/bin/uv pip install --python $(LILAC_PY) 'lilac[lang-detection]==0.3.9' 'numpy<2'
	touch $@

## Gristmill and Lilac side by side on the same 100k synthetic rows: results/side_by_side.md.
SBS_SIZES ?= 100000
bench-lilac: $(STAMP) lilac-env
	$(PY) benchmarks/side_by_side.py --sizes $(SBS_SIZES) --lilac-python $(LILAC_PY)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache gristmill_project
