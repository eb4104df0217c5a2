# The two set-up commands of the README: `make demo` and `make test`. Both create .venv and install what they need.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= counterclaim.db
STAMP := $(VENV)/.installed

.PHONY: demo test install lint typecheck eval bench clean browser-deps media-deps

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/counterclaim analyze examples/seeds --db $(DB)
	$(BIN)/counterclaim summary --db $(DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/counterclaim eval examples/gold --texts examples/seeds --db /tmp/counterclaim-eval.db --details

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) $(DB)-wal $(DB)-shm
