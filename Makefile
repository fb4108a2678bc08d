# Masar: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# Two workers (the machine has two cores): the disclosure audit makes the suite heavy.
PYTEST_ARGS ?= -n 2
# Form fuzzing: 50 examples per form in `make test`, to run it often; 200 in `make ci`.
CI_FUZZ := FUZZ_EXAMPLES=200
# The local demo runs with DEBUG on (demo users, readable errors); production never does.
RUN_ENV := DEBUG=true

.PHONY: help install run seed test test-sqlite test-postgres lint format migrations-check messages ci clean bench bench-http

help:
	@echo "make run    install, migrate SQLite, load FM.0390 and demo data, serve on http://127.0.0.1:8000 (with the jobs' worker)"
	@echo "make test   the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint   ruff check and format check"
	@echo "make ci     lint, migrations check, tests on SQLite and on PostgreSQL"
	@echo "make bench benchmarks against floors measured in the same run (BENCH_TIERS=\"M L\"; DATABASE_URL for PostgreSQL)"
	@echo "make bench-http  pages under load through gunicorn and wrk (BENCH_TIER=M|L)"

$(VENV)/.installed: requirements.txt requirements-dev.txt build-constraints.txt package-lock.json
	test -x $(PY) || python3 -m venv $(VENV)
	# XStatic-Bootstrap builds from source and needs setuptools < 82 (README, "Installing by hand").
	PIP_CONSTRAINT=build-constraints.txt $(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	# axe-core for the browser tests' accessibility checks (skipped, with the reason, without npm).
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; fi
	touch $@

install: $(VENV)/.installed

run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	@echo
	@echo "Masar is at http://127.0.0.1:8000/  (sign in with one of the demo users above)"
	# The jobs' worker (imports, large exports) runs beside the server, and stops with it.
	$(RUN_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

seed: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo

test: install
	@echo "== tests on $${DATABASE_URL:-SQLite (default)} =="
	$(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: install
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(CI_FUZZ) $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "== tests on PostgreSQL ($(PG_URL)) =="
	DATABASE_URL=$(PG_URL) TWO_HOSTS_REQUIRED=1 $(CI_FUZZ) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

messages: install
	LC_ALL=C.UTF-8 DEBUG=true $(PY) manage.py makemessages -l fr -l en -l ar --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=node_modules --no-obsolete
	# The English catalogue translates each message as itself, its characters kept (the script says how).
	scripts/english_catalogue.sh locale/en/LC_MESSAGES/django.po
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

bench: install
	$(PY) bench/run.py

# Pages under load: gunicorn (production settings, 2 workers) on a loopback port, measured with wrk.
bench-http: install
	$(PY) bench/load.py

ci: lint migrations-check test-sqlite test-postgres

# What the tools made and can make again. Kept: db.sqlite3 (your local data), .bench/ (datasets that
# take minutes to generate: remove it by hand to regenerate them), var/ and backups/.
clean:
	rm -rf $(VENV) staticfiles node_modules .pytest_cache .ruff_cache .hypothesis test-results
	rm -f .test-db.sqlite3*
