# Two commands do all the set-up: `make demo` and `make test`.
# Each creates .venv when missing and reinstalls when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-integration lint typecheck unit docs bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m servicekit demo

test: lint typecheck unit docs

# Tests that need more than Python: a local Spark session (pyspark + Java 17 or newer)
# and the report page in headless Chromium (Debian's `chromium`). Not part of
# `make test`, which stays pure pip; they fail (never skip) when a component is
# missing. .ci/run installs both.
test-integration: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	$(BIN)/python -m pytest -p no:cacheprovider tests/integration

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html
	$(BIN)/sphinx-build -W --keep-going -q -b doctest docs docs/_build/doctest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/calendar_vs_peers.py
	$(BIN)/python benchmarks/tickets_replay.py
	$(BIN)/python benchmarks/sla_evaluate.py
	$(BIN)/python benchmarks/staffing_vs_pyworkforce.py
	$(BIN)/python benchmarks/routing_assign.py
	$(BIN)/python benchmarks/kpi_speed.py
	$(BIN)/python benchmarks/simulation_speed.py
	$(BIN)/python benchmarks/agreement_vs_krippendorff.py
	$(BIN)/python benchmarks/schedule_vs_pyworkforce.py
	$(BIN)/python benchmarks/import_speed.py
	$(BIN)/python benchmarks/columns_speed.py

clean:
	rm -rf $(VENV) docs/_build .pytest_cache .mypy_cache .ruff_cache .hypothesis
