# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
# llama-cpp-python compiles llama.cpp (~8 min). Built once per machine into WHEELS and reused.
# AMX off and no -march=native: the default build dies with SIGILL on CPUs without AMX.
WHEELS ?= $(HOME)/.cache/shopmind/wheels
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_WHEEL := $(WHEELS)/.llama-cpp-python-$(LLAMA_VERSION)

.PHONY: demo test lint install install-dev bench-ingest clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "ShopMind needs Python 3.11, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(LLAMA_WHEEL): | $(BIN)/python
	@mkdir -p $(WHEELS)
	@ls $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || { \
	  echo "building llama-cpp-python $(LLAMA_VERSION) once (about 8 minutes)…"; \
	  CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/python -m pip wheel --quiet --no-deps \
	    llama-cpp-python==$(LLAMA_VERSION) -w $(WHEELS); }
	@touch $@

# Stamps re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml $(LLAMA_WHEEL) | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(LLAMA_WHEEL) | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/shopmind demo

test: install-dev
	SHOPMIND_TEST_PG_URL=$${SHOPMIND_TEST_PG_URL-$(PG_URL)} $(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench-ingest: install
	$(BIN)/shopmind bench ingest --products 100000 --events 200000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
