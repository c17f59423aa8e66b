# Two commands: `make run` and `make test`. Both work from a fresh clone with
# only Python 3.11 and make installed. `make` alone sets up .venv with the `cockpit`
# command (.venv/bin/cockpit).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.DEFAULT_GOAL := install
.PHONY: install run test test-fast lint format demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# The project itself, editable (the code stays here), for its console command. The
# build's notes go to a log, shown only when the install fails.
$(BIN)/cockpit: pyproject.toml | $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --no-deps --editable . > $(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	touch $@

install: $(VENV)/.runtime $(BIN)/cockpit

# The demo's measurement sources read the warehouse the demo writes beside the store.
DEMO_WAREHOUSE ?= sqlite://$(CURDIR)/data/warehouse.sqlite

run: install
	$(BIN)/cockpit demo --if-empty
	COCKPIT_SOURCE_DEMO_WAREHOUSE_URL=$${COCKPIT_SOURCE_DEMO_WAREHOUSE_URL:-$(DEMO_WAREHOUSE)} \
		$(BIN)/streamlit run app.py --server.port $(PORT)

demo: install
	$(BIN)/cockpit demo

test: $(VENV)/.dev $(BIN)/cockpit
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# Everything but the browser tests: for while you work (make test is the CI gate).
test-fast: $(VENV)/.dev $(BIN)/cockpit
	$(BIN)/python -m pytest -n auto -m "not browser" $(PYTEST_ARGS)

bench: $(VENV)/.dev $(BIN)/cockpit
	$(BIN)/python -m bench

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
