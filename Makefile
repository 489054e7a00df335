# SRO Desk — `make run` opens the app, `make test` runs every check. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-future test-dates system lint typecheck setup demo screenshots bench dist dist-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/sro-desk

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -q

system:
	tools/system-packages.sh

# The whole suite at the real date. pytest's exit 5 (no tests ran) fails like any other.
test: system lint typecheck
	$(PYTEST)

# The whole suite again with the clock 400 days ahead: a test that holds today but not next year fails.
test-future: system $(STAMP)
	$(PYTEST) --clock-offset-days 400

# Dates that catch calendar edge cases: mid-summer break, and a 29 February.
test-dates: system $(STAMP)
	$(PYTEST) --clock-date 2027-07-15
	$(PYTEST) --clock-date 2028-02-29

demo: $(STAMP)
	$(BIN)/sro-desk demo demo.db

screenshots: $(STAMP)
	rm -f /tmp/sro-shots.db && $(BIN)/sro-desk demo --as-of 2026-11-26 /tmp/sro-shots.db
	QT_QPA_PLATFORM=offscreen $(BIN)/sro-desk screenshots docs/images --as-of 2026-11-26 --db /tmp/sro-shots.db

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/training_matrix.py --with-database

dist: $(STAMP)
	$(BIN)/python installers/build.py

dist-check: $(STAMP)
	$(BIN)/python installers/build.py --check

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
