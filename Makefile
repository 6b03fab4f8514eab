# Two set-up commands: `make demo` and `make test`. Both create .venv on first use; `make test`
# also creates .venv-jax, a small second venv (Keras on JAX, no TensorFlow) for the layers.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
JAX_VENV := .venv-jax
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED ?= 0

.PHONY: demo test test-fast test-slow test-jax lint bench clean

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

$(JAX_VENV)/.test: .ci/jax-requirements.txt
	test -x $(JAX_VENV)/bin/python || $(PYTHON) -m venv $(JAX_VENV)
	$(JAX_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(JAX_VENV)/bin/python -m pip install --quiet -r .ci/jax-requirements.txt
	touch $@

# Every test: ruff, the tests (those marked slow too: end-to-end trainings, kills, memory and
# disk limits) and the layers on JAX. `make test-fast` leaves the slow ones out while you work;
# `make test-slow` runs only them.
test: lint
	$(PY) -m pytest -ra
	$(MAKE) test-jax

test-fast: lint
	$(PY) -m pytest -ra -m "not slow"
	$(MAKE) test-jax

test-slow: $(VENV)/.test
	$(PY) -m pytest -ra -m slow

# The layers on Keras' JAX backend, in a venv without TensorFlow: what needs it is skipped.
test-jax: $(JAX_VENV)/.test
	KERAS_BACKEND=jax $(JAX_VENV)/bin/python -m pytest -ra -p no:cacheprovider tests/layers

# The benchmarks read MIDI back with mido, from the test extra.
bench: $(VENV)/.test
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) $(JAX_VENV) output .pytest_cache .ruff_cache
