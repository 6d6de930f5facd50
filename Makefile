# moldova-personas: every task a newcomer needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)
export LITELLM_LOCAL_MODEL_COST_MAP := True
DBT := $(BIN)/dbt
SEED ?= 42

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11) on PATH, or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==24.3.1"
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install the pinned stack (idempotent)

.PHONY: check-census
check-census: $(STAMP) ## Validate seeds/census/*.csv (names file, line and fix on bad input)
	$(BIN)/python -m moldova_personas.census_checks seeds/census

.PHONY: run
run: check-census ## Build the 1K tier end to end with the offline narrator (seeds -> cores -> narration -> marts -> exports)
	$(DBT) build --vars '{seed: $(SEED)}'

.PHONY: tier
tier: check-census ## Build another tier after `make run`, e.g. `make tier TIER=tier_25k`
	@test -n "$(TIER)" || { echo "usage: make tier TIER=tier_25k|tier_100k|tier_1m"; exit 2; }
	$(DBT) build --select $(TIER)+ --vars '{seed: $(SEED)}'

.PHONY: test
test: check-census ## Unit and integration tests (pytest) plus the dbt build and tests of the 1K tier
	$(BIN)/pytest -q
	MOLDOVA_DUCKDB_PATH=target/test.duckdb MOLDOVA_LLM_STATE_DIR=target/test_state \
		$(DBT) build --vars '{seed: $(SEED), generation_log_dir: target/test_logs}' --target-path target/test

.PHONY: lint
lint: $(STAMP) ## sqlfluff on models and macros, ruff on Python
	$(BIN)/ruff check python bench
	$(BIN)/ruff format --check python bench
	$(BIN)/sqlfluff lint models macros

.PHONY: bench
bench: $(STAMP) ## Benchmarks: 1M cores sampling (joint fit included) and narration throughput
	$(BIN)/python bench/bench_cores.py
	$(BIN)/python bench/bench_narration.py

.PHONY: docs
docs: $(STAMP) ## Generate dbt docs (target/index.html); serve with `make docs-serve`
	$(DBT) docs generate

.PHONY: docs-serve
docs-serve: docs ## Serve the dbt docs on http://127.0.0.1:8080
	$(DBT) docs serve --port 8080

.PHONY: clean
clean: ## Remove build outputs (keeps .venv)
	rm -rf target logs state releases reports moldova_personas.duckdb*

.PHONY: help
help: ## List the tasks
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-11s %s\n", $$1, $$2}'
