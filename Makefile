# Làng Số — the two commands are `make run` and `make test`; see README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HTMX := static/vendor/htmx.min.js
# axe-core, injected into pages by the browser tests (accessibility checks).
AXE := node_modules/axe-core/axe.min.js
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.PHONY: run test lint format bench messages clean

run: $(VENV)/.installed $(HTMX) $(CATALOGS)
	scripts/ensure-system-packages speech
	$(MANAGE) migrate --no-input
	$(MANAGE) load_units
	$(MANAGE) demo --if-empty
	scripts/serve

# The suite runs in one process per core (pytest-xdist); `make test TEST_WORKERS=0` runs it
# in this process, which is easier to debug.
TEST_WORKERS ?= auto

test: $(VENV)/.installed-test $(HTMX) $(AXE) $(CATALOGS)
	scripts/ensure-system-packages build test speech
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

BENCH_DIR := var/bench
# `make bench BENCH_DATABASE_URL=postgres://…/empty_db` runs every benchmark on PostgreSQL.
BENCH_DB := $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# Builds the million-person demo, then measures the registry, reports, party, notices and
# the public site and poverty on it; the speech of a notice for the loudspeakers needs no
# database; last, pages with a write during a 100,000-row import, and 50 users at once.
bench: $(VENV)/.installed-test $(CATALOGS)
	$(PY) bench/demo_build.py --keep $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/reports_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/registry_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/party_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/notices_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/portal_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/speech_bench.py
	$(PY) bench/campaigns_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/feedback_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/poverty_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/associations_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/import_lock_bench.py --var-dir $(BENCH_DIR) $(BENCH_DB)
	$(PY) bench/load.py --var-dir $(BENCH_DIR) $(BENCH_DB)

# Re-extract the translatable strings after changing them, then translate the .po file.
messages: $(VENV)/.installed
	$(MANAGE) makemessages --locale vi --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*'

$(VENV)/.installed: pyproject.toml
	scripts/ensure-system-packages build
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --editable .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --editable '.[test]'
	touch $@

$(HTMX): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/htmx.org/dist/htmx.min.js $@

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

%.mo: %.po $(VENV)/.installed
	msgfmt --check --output-file $@ $<

clean:
	rm -rf $(VENV) node_modules static/vendor $(CATALOGS)
