# Cercles — `make run` serves the app, `make test` runs lint and the whole suite.
# Both set everything up first on a fresh machine; each step is skipped when already done.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000

.PHONY: bench bench-deps faults load load-deps run test setup system-deps python-deps node-deps translations static migrate demo lint pytest browser-deps bench clean messages

run: setup migrate
	@$(MANAGE) seed_demo --if-empty
	@PORT=$(PORT) bin/run

test: setup browser-deps lint pytest

setup: system-deps python-deps node-deps translations static

system-deps:
	@bin/ensure-debian-packages gettext:msgfmt libpango-1.0-0:libpango-1.0.so.0 libpangoft2-1.0-0:libpangoft2-1.0.so.0

browser-deps:
	@bin/ensure-debian-packages chromium:chromium

python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: apt-get install nodejs npm"; exit 1; }
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

translations: python-deps
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

static: python-deps node-deps
	@$(MANAGE) collectstatic --noinput -v 0

migrate: python-deps
	@$(MANAGE) migrate --noinput -v 0

demo: migrate
	@$(MANAGE) seed_demo

lint: python-deps
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

pytest: python-deps
	@$(VENV)/bin/pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

# Benchmarks at network scale (bench/run.py): writes bench/RESULTS.md and bench/results.json.
bench: setup migrate bench-deps
	@$(PY) bench/run.py

# Faults (bench/faults.py): PostgreSQL restarted under load, Redis lost, a job consumer killed
# mid-job, SQLite with 4 writers and 16 readers; on a private PostgreSQL and Redis it starts.
faults: setup
	@$(PY) bench/faults.py

# The load run (bench/load.py): 50 people for 5 minutes through locust at scale M, on a copy of
# the benchmark's database; writes its figures into bench/NOTES.md.
load: setup migrate load-deps
	@$(PY) bench/load.py

load-deps: $(VENV)/.load-installed
$(VENV)/.load-installed: pyproject.toml
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[load]'
	@touch $@

bench-deps:
	@bin/ensure-debian-packages wrk:wrk

# Regenerate the translation catalogs after changing strings (then translate locale/*/LC_MESSAGES).
messages: python-deps
	@$(MANAGE) makemessages -l fr --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench --no-obsolete

clean:
	rm -rf $(VENV) node_modules staticfiles var
