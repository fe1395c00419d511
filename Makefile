# Two commands matter: `make run` (set up and serve) and `make test` (every test).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP_INSTALL := $(PY) -m pip install --disable-pip-version-check -q --require-hashes
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test lint format messages lock bench clean

run: setup
	@echo
	@echo "  钱塘区总工会 portal: http://$(HOST):$(PORT)/"
	@echo "  2023 annual report:  http://$(HOST):$(PORT)/reports/2023/"
	@echo "  English:             http://$(HOST):$(PORT)/en/"
	@echo "  Services (apply):    http://$(HOST):$(PORT)/services/"
	@echo "  Staff admin:         http://$(HOST):$(PORT)/admin/"
	@echo "  Demo accounts:"
	@$(MANAGE) demo_setup
	@echo
	@echo "  Serving with gunicorn; the task worker (db_worker) sends notifications."
	@trap 'kill 0' EXIT; \
	$(MANAGE) db_worker --interval 2 & \
	GUNICORN_BIND=$(HOST):$(PORT) GUNICORN_WORKERS=$${GUNICORN_WORKERS:-3} \
		$(VENV)/bin/gunicorn --config config/gunicorn.py

setup: $(VENV)/.runtime-installed
	@mkdir -p var
	@$(MANAGE) migrate --no-input -v0
	@$(MANAGE) load_annual_report
	@$(MANAGE) seed_programs
	@$(MANAGE) seed_courses
	@$(MANAGE) seed_mutual_aid
	@$(MANAGE) collectstatic --no-input -v0

$(VENV)/bin/python:
	@v=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	  [ "$$v" = "3.13" ] || { echo "Python 3.13 is needed (found $$v at $(PYTHON)); see .python-version"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.lock | $(VENV)/bin/python
	$(PIP_INSTALL) -r requirements.lock
	@touch $@

$(VENV)/.dev-installed: requirements-dev.lock | $(VENV)/bin/python
	$(PIP_INSTALL) -r requirements-dev.lock
	@touch $@ $(VENV)/.runtime-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# DATABASE_URL picks the database (SQLite in memory by default); CI runs PostgreSQL and SQLite.
test: $(VENV)/.dev-installed node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext. Chinese is the source language; only the English catalogue is translated.
messages: $(VENV)/.dev-installed
	$(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests
	$(MANAGE) compilemessages -l en -l zh_Hans --ignore=.venv

# Re-pin after changing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.13 --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.13 --generate-hashes -o requirements-dev.lock

# Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Debian's wrk; the first run seeds the
# district-scale database (manage.py seed_scale, about 5 minutes). Writes the README's tables.
bench: $(VENV)/.dev-installed
	@command -v wrk >/dev/null || { if [ "$$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; else sudo apt-get install -y -qq wrk >/dev/null; fi; }
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var/static
