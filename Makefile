# openledger: the two commands of the README, and the benchmarks.
#   make demo   set up .venv and run the demo end to end on the embedded SQLite default
#   make test   set up .venv, lint (ruff), type-check (mypy) and run the whole test suite
#   make bench  run every benchmark under bench/ (not part of the tests)
#   make fuzz   fuzz every built-in source for 10 minutes (bench/fuzz_sources.py; not part of the tests)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PLUGIN_PROJECTS := $(wildcard plugins/*/pyproject.toml)
DEMO_HOME ?= demo/ledger
DEMO_OUT  ?= demo/site

.PHONY: demo test bench fuzz docs clean

$(STAMP): pyproject.toml $(PLUGIN_PROJECTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	for p in $(dir $(PLUGIN_PROJECTS)); do $(BIN)/python -m pip install --quiet -e $$p || exit 1; done
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/openledger demo --home $(DEMO_HOME) --out $(DEMO_OUT)

test: $(STAMP)
	$(BIN)/ruff check src tests bench plugins scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

fuzz: $(STAMP)
	cd bench && ../$(BIN)/python fuzz_sources.py --minutes 10

docs: $(STAMP)
	$(BIN)/mkdocs build --strict -d build/docs

clean:
	rm -rf build demo .pytest_cache
