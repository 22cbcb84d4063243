# `make lab`: set up and open the labs in JupyterLab.  `make test`: set up and run every test.
VENV ?= .venv
PY := $(VENV)/bin/python
# The labs multiply small matrices: BLAS threads only add overhead there, and on a busy 2-core machine
# they made a lab 4-7x slower. One thread gives bit-identical numbers (nbval passes either way).
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: setup lab test bench
setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

lab: setup
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m bench
