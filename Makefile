# `make` validates the package then builds everything; `make test` runs the whole suite.
# Both create .venv from requirements.lock, so two machines get the same versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all validate build test lint clean

all: validate build

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/rareearths validate datapackage.json

build: validate

test: $(STAMP)
	$(BIN)/ruff check validators tests
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check validators tests
	$(BIN)/ruff format --check validators tests

clean:
	rm -rf dist site tests/artifacts
