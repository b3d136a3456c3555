# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint setup system-deps migrate demo clean bench

run: setup migrate demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite on the embedded default, then again on throwaway TLS PostgreSQL + TLS Redis.
test: system-deps setup lint
	$(PY) tests/run_suite.py

system-deps:
	./scripts/system-deps.sh

# authsite's API beside stock DRF + simplejwt under gunicorn with production settings, on throwaway
# TLS PostgreSQL + TLS Redis; writes bench/results/latest.md (see bench/run.py). Under 10 minutes.
bench: setup
	$(PY) bench/run.py

lint: setup
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
