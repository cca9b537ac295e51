# Two commands: `make run` (set up and serve with demo data) and `make test` (the whole suite,
# browser tests aside). `make test-browser` runs the browser tests in Debian's Chromium;
# `make serve` runs the service in production (README, "Production").
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# The browser the end-to-end tests drive; never downloaded (`apt-get install chromium`).
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: run test test-browser screenshots chromium lint install install-dev serve

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

# manage.py's local settings (DEBUG on, a generated secret key), written once, git-ignored.
local.env: | $(PY)
	$(PY) -m factcheck.localenv local.env

# Local development server on SQLite with the demo data, DEBUG on.
run: export DEBUG = true
run: install local.env
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin
	@echo "Serving the API and the admin on http://127.0.0.1:$(PORT)/ (admin at /admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(PY) -m pytest

# End-to-end tests: Playwright drives headless Chromium through the admin and the API.
test-browser: install-dev chromium
	$(PY) -m pytest -m browser -n 0

# Regenerate the README's screenshots of the admin (demo data) in docs/screenshots/.
screenshots: install-dev chromium
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest -m browser -n 0 tests/browser/test_readme_screenshots.py

chromium:
	@test -x "$(CHROMIUM)" || { echo "$(CHROMIUM) not found: apt-get install chromium"; exit 1; }

lint: export DEBUG = true
lint: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Production: gunicorn (factcheck/gunicorn_conf.py) with settings from the environment, DEBUG
# off. `check --deploy` prints any security warning; `createcachetable` does nothing with Redis.
serve: export DEBUG = false
serve: install
	$(PY) manage.py check --deploy
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(VENV)/bin/gunicorn --config factcheck/gunicorn_conf.py --bind $(HOST):$(PORT) factcheck.wsgi
