# `make` validates the package, then builds the database, Parquet, zip and the docs site.
# `make test` runs the whole suite. Both create .venv from requirements.lock first, so two
# machines get the same versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all validate build site js test lint bench browser golden clean

all: validate build site

# The toolkit's byte-code is compiled once, so that start-up does not depend on PYTHONDONTWRITEBYTECODE
# (0.1-0.2 s at every run where it is set).
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q validators > /dev/null
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/rareearths validate datapackage.json

build: $(STAMP)
	$(BIN)/rareearths build

site: build js
	$(BIN)/rareearths docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# DuckDB-WASM and parquet-wasm for the Query page, and playwright-core for the browser test, installed from
# package-lock.json with the machine's Node.js, bundled into docs/vendor/ (never a CDN at run time).
# Without npm the site is built without the query engine and the browser test skips, with a reason.
NPM_STAMP := node_modules/.package-lock.json
VENDOR := docs/vendor/duckdb
VENDOR_STAMP := node_modules/.vendored
WASM_DIST := node_modules/@duckdb/duckdb-wasm/dist

js:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(VENDOR_STAMP); \
	else echo "npm not found: the Query page is built without DuckDB-WASM and the browser test will be skipped"; fi

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR_STAMP): $(NPM_STAMP) validators/rareearths/site/browser/duckdb_entry.mjs
	rm -rf $(VENDOR)
	npm run --silent bundle
	cp $(WASM_DIST)/duckdb-browser-eh.worker.js $(WASM_DIST)/duckdb-eh.wasm node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm $(VENDOR)/
	touch $@

# Headless Chromium for the site test; the test skips with a reason where it cannot be installed.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { (apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1)) || \
	    echo "chromium could not be installed; the browser test will be skipped"; }

test: $(STAMP) browser js
	$(BIN)/ruff check validators tests bench
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check validators tests bench
	$(BIN)/ruff format --check validators tests bench

# Record frictionless's answers on the conformance corpus once; tests compare against them.
golden: $(STAMP)
	$(BIN)/python -m tests.conformance.record

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf dist site docs/generated docs/vendor tests/artifacts node_modules
