# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STAMP  := $(VENV)/.installed

# Embedded defaults for local runs and the test suite (production sets DEBUG=0 itself).
export DEBUG ?= 1

.PHONY: run test install lock lint migrate demo messages clean services-test bench mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

# The locked versions (with hashes) first, then the project itself without resolving again;
# `pip check` fails if the lock no longer satisfies the ranges in pyproject.toml.
$(STAMP): pyproject.toml requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

install: $(STAMP)

# Regenerate the lock files from pyproject.toml. Existing pins are kept unless asked:
# `make lock LOCK_ARGS=--upgrade` (everything) or `LOCK_ARGS='--upgrade-package wagtail'`.
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
# Not after `install`: a pyproject.toml with a new dependency fails install's `pip check`.
lock: | $(BIN)/python
	test -x $(BIN)/pip-compile || $(BIN)/python -m pip install --quiet 'pip-tools>=7.6,<8'
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.txt --output-file requirements-dev.txt pyproject.toml

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Links in mails and calendar files point to the address the site runs on (`make run PORT=8123`).
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py demo_logins
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest -m "not services and not browser" -n auto $(PYTEST_ARGS)

# Mutation testing of the rule modules (pyproject.toml [tool.mutmut]); report in
# build/mutation-report.md. `make mutate MODULES="foundation.rules forums.*"` for some of them.
mutate: install
	$(BIN)/python tests/mutation/run.py --modules "$(MODULES)" $(MUTATE_ARGS)

# ruff, and the import contracts of the house (pyproject.toml, docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

messages: install
	$(BIN)/python manage.py makemessages -l de -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=media --ignore=benchmarks --ignore=tests --ignore=build --ignore=*.egg-info
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media .test-databases
