# Two entry points: `make run` serves the portal, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install install-dev migrate static clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

static: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: migrate static
	$(BIN)/python manage.py load_portal_data
	@echo "Portail sur http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production mode: gunicorn, DEBUG off; configure with PORTAL_ENV=production, SECRET_KEY, DATABASE_URL…
serve: migrate static
	$(BIN)/gunicorn portal.wsgi:application --config portal/gunicorn_conf.py

test: install-dev
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
