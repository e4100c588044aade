# Every target creates the virtual environment it needs; nothing is expected on the machine but
# Python 3.11, make and gettext (and PostgreSQL for the tests).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO := DJANGO_SETTINGS_MODULE=config.settings.demo
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/derbes

.PHONY: demo demo-setup test lint typecheck fmt migrations-check messages lock screenshots

$(BIN)/.installed: requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

## Compiled catalogs are not committed: they are built from locale*/ at every set-up (a second).
messages: $(BIN)/.installed
	$(DEMO) $(MANAGE) compilemessages --ignore '$(VENV)/*' --ignore 'var/*' >/dev/null

## The back-office with demo data on SQLite, at http://127.0.0.1:8000/ (login printed first).
demo: demo-setup
	$(DEMO) $(MANAGE) runserver 127.0.0.1:8000

demo-setup: messages
	mkdir -p var
	$(DEMO) $(MANAGE) migrate --no-input
	$(DEMO) $(MANAGE) setup_roles
	$(DEMO) $(MANAGE) seed_demo

## The whole test suite against PostgreSQL at TEST_DATABASE_URL.
test: messages
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

## The README's screenshots (docs/screenshots/), taken by the browser tests (Debian's chromium).
screenshots: messages
	README_SCREENSHOTS=1 DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest tests/browser -q

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## mypy with django-stubs, configured in pyproject.toml (strict on common, services, selectors).
typecheck: $(BIN)/.installed
	$(BIN)/mypy

fmt: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(BIN)/.installed
	$(DEMO) $(MANAGE) makemigrations --check --dry-run

## Re-pin requirements/*.txt from the ranges in pyproject.toml.
lock: $(BIN)/.installed
	$(BIN)/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
		--output-file requirements/base.txt pyproject.toml
	$(BIN)/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
		--extra dev --output-file requirements/dev.txt pyproject.toml
