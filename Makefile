# Two commands set motcua up on a fresh machine with only Python 3.11 and pip:
#   make run   install, migrate the embedded SQLite database, load the demo data, serve
#   make test  install and run the whole test suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?= -n auto

.PHONY: install run migrate demo test lint format bench messages lock clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (looked for $(PYTHON)); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/motcua migrate --noinput

demo: migrate
	$(BIN)/motcua demo

run: demo
	$(BIN)/motcua runserver $(HOST)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=motcua.settings.test $(BIN)/motcua makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/deadlines.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/crash.py
	$(BIN)/python bench/outbox.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/inbox.py
	$(BIN)/python bench/reports_bench.py

# Each app with a locale/ folder has its own catalog, which also holds the strings of its
# templates (templates/<app>/); the project's catalog (locale/) holds the rest. makemessages
# runs once per catalog, without settings (their LOCALE_PATHS would send every string to the
# project's catalog). A string keeps its catalog's translation; one new to a catalog (moved
# from another) takes the translation of the catalogs in Django's order of precedence (the
# project's, then the apps' in INSTALLED_APPS order), never a fuzzy guess; strings left
# without one are listed at the end.
APPS_WITH_CATALOGS = $(patsubst src/motcua/%/locale,%,$(wildcard src/motcua/*/locale))
MAKEMESSAGES = env -u DJANGO_SETTINGS_MODULE $(CURDIR)/$(BIN)/django-admin makemessages -l vi --no-obsolete --no-location --no-wrap
CATALOGS_BY_PRECEDENCE = DJANGO_SETTINGS_MODULE=motcua.settings.test $(BIN)/python -c "import django; django.setup(); from pathlib import Path; from django.apps import apps; from django.conf import settings; po = 'vi/LC_MESSAGES/django.po'; print(*[p for p in [*(Path(d) / po for d in settings.LOCALE_PATHS), *(Path(a.path) / 'locale' / po for a in apps.get_app_configs() if a.name.startswith('motcua.'))] if p.exists()])"

messages: install
	@set -e; catalogs="$$($(CATALOGS_BY_PRECEDENCE))"; known=$$(mktemp); trap 'rm -f $$known' EXIT; \
	msgcat --use-first --no-wrap -o $$known $$catalogs; \
	for app in $(APPS_WITH_CATALOGS); do \
	  if [ -d src/motcua/templates/$$app ]; then ln -sfn ../templates/$$app src/motcua/$$app/_templates; fi; \
	  (cd src/motcua/$$app && $(MAKEMESSAGES) --symlinks >/dev/null); \
	  rm -f src/motcua/$$app/_templates; \
	done; \
	(cd src/motcua && $(MAKEMESSAGES) $(foreach app,$(APPS_WITH_CATALOGS),--ignore=$(app)/* --ignore=templates/$(app)/*) >/dev/null); \
	for po in $$catalogs; do \
	  msgattrib --clear-fuzzy --empty --no-obsolete --no-wrap -o $$po $$po; \
	  msgmerge --quiet --no-wrap --no-location --no-fuzzy-matching --compendium=$$known -o $$po $$po $$po; \
	  msgattrib --no-obsolete --no-wrap -o $$po $$po; \
	  msgattrib --untranslated --no-obsolete $$po | awk -v po=$$po '/^msgctxt /{ctx=" (context " substr($$0, 9) ")"} /^msgid "[^"]/{print "untranslated in " po ": " substr($$0, 7) ctx} /^msgid /{ctx=""}'; \
	done
	$(BIN)/motcua compilemessages -l vi --ignore=.venv >/dev/null

# Regenerate requirements.lock after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 --no-header --quiet -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
