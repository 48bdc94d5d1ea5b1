# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= narcograph-data
HOST   ?= 127.0.0.1
PORT   ?= 7878

.PHONY: run test install install-test lint bench score clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,notebook]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Ingest the example reports into the embedded store and serve it.
run: install
	$(BIN)/narcograph --store $(STORE) ingest examples/reports || test $$? -eq 1
	$(BIN)/narcograph --store $(STORE) serve --host $(HOST) --port $(PORT)

## Run the test suite.
test: install-test
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_queries.py
	$(BIN)/python bench/bench_named_queries.py

## Score extraction on the dev set (needs ../shared).
score: install
	$(BIN)/python ../shared/eval/score.py --corpus ../shared/corpus/dev --cli "$(BIN)/narcograph"

clean:
	rm -rf $(VENV) $(STORE) build *.egg-info
