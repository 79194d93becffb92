# The two commands of the README: `make run` and `make test`. Everything they need is installed
# here, into .venv, from pyproject.toml.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) -m portal
INTRANET_PORT ?= 8000
EXTRANET_PORT ?= 8001

.PHONY: run test lint bench manage messages clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"

# The project runs from its source tree: only its dependencies are installed, read from
# pyproject.toml (nothing is built, so no build/ or egg-info lands in the tree).
REQUIREMENTS = $(PY) -c "import sys, tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	print('\n'.join(p['dependencies'] + [d for g in sys.argv[1:] for d in p['optional-dependencies'][g]]))"

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(REQUIREMENTS) > $(VENV)/requirements-run.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements-run.txt
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(REQUIREMENTS) dev > $(VENV)/requirements-dev.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements-dev.txt
	touch $@ $(VENV)/.installed-run

run: export DJANGO_SETTINGS_MODULE = portal.settings.dev
run: $(VENV)/.installed-run
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) rebuild_index --noinput
	$(MANAGE) demo_logins
	@echo "Intranet: http://localhost:$(INTRANET_PORT)   Extranet: http://localhost:$(EXTRANET_PORT)"
	trap 'kill 0' INT TERM EXIT; \
	$(MANAGE) db_worker --queue-name '*' & \
	$(MANAGE) run_scheduler & \
	PORTAL_FACE=extranet $(MANAGE) runserver --noreload $(EXTRANET_PORT) & \
	PORTAL_FACE=intranet $(MANAGE) runserver --noreload $(INTRANET_PORT) & \
	wait

lint: $(VENV)/.installed-dev
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run

test: lint
	bash .ci/system-deps
	$(VENV)/bin/pytest -n $(or $(TEST_WORKERS),auto) $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev
	$(PY) -m bench --scale $(or $(SCALE),small)

# `make manage ARGS="createsuperuser"`: the project's manage.py.
manage: $(VENV)/.installed-run
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-portal.settings.dev} $(MANAGE) $(ARGS)

# Refresh each app's Chinese catalogue (<app>/locale/) after changing strings (needs GNU gettext),
# and compile them with the hand-kept supplement to Wagtail's (portal/locale_wagtail/), which
# makemessages leaves alone.
messages: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	$(PY) -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-3] + '.mo') for p in glob.glob('*/locale/*/LC_MESSAGES/django.po') + glob.glob('portal/locale_wagtail/*/LC_MESSAGES/django.po')]"

clean:
	rm -rf $(VENV) var
