# Two set-up commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED ?= 0

.PHONY: demo test lint bench clean

$(VENV)/.base: pyproject.toml setup.cfg
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# make demo ARGS="--only dinos,jazz --quick"
demo: $(VENV)/.base
	$(PY) -m apps $(ARGS)

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .

test: lint
	$(PY) -m pytest -ra

bench: $(VENV)/.base
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) output .pytest_cache .ruff_cache
