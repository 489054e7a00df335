# SRO Desk — `make run` opens the app, `make test` runs every check. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck setup demo screenshots bench dist dist-check clean

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

test: lint typecheck
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -q

demo: $(STAMP)
	$(BIN)/sro-desk demo demo.db

screenshots: $(STAMP)
	rm -f /tmp/sro-shots.db && $(BIN)/sro-desk demo /tmp/sro-shots.db
	QT_QPA_PLATFORM=offscreen $(BIN)/sro-desk screenshots docs/images --db /tmp/sro-shots.db

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/training_matrix.py --with-database

dist: $(STAMP)
	$(BIN)/python installers/build.py

dist-check: $(STAMP)
	$(BIN)/python installers/build.py --check

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
