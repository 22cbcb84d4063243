# `make lab`: set up and open the labs in JupyterLab.  `make test`: set up and run every test.
# The README gives the same steps as plain commands (tests/test_install.py checks they agree).
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
# PyTorch's CPU-only index. On Linux the public index's torch is the CUDA build (~1.9 GB); this index serves
# 2.13.0+cpu. Bounded (--timeout/--retries, one page fetch): an unreachable index fails in seconds and the
# next step installs torch==2.13.0 the ordinary way.
TORCH_CPU := --timeout 10 --retries 1 --no-deps --index-url https://download.pytorch.org/whl/cpu torch==2.13.0+cpu
# The labs multiply small matrices: BLAS threads only add overhead there, and on a busy 2-core machine
# they made a lab 4-7x slower. One thread gives bit-identical numbers (nbval passes either way).
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: setup setup-test check-python lab test bench
setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

check-python:
	@v=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); [ "$$v" = 3.11 ] || { \
	  echo "The labs need Python 3.11; '$(PYTHON)' is $${v:-not found}."; \
	  echo "Install Python 3.11 (python.org, or e.g. 'sudo apt install python3.11 python3.11-venv'),"; \
	  echo "or name it: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	@v=$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); [ -z "$$v" ] || [ "$$v" = 3.11 ] || { \
	  echo "$(VENV) was made with Python $$v; remove it (rm -rf $(VENV)) and run make again."; exit 1; }

# The labs' packages only (requirements.txt); the test tools come with setup-test.
$(VENV)/.installed: requirements.txt pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
ifeq ($(shell uname -s),Linux)
	$(PY) -m pip install --quiet $(TORCH_CPU) || echo "PyTorch's CPU index is unreachable: installing torch from the usual index"
endif
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

lab: setup
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

test: setup-test
	$(PY) -m pytest

bench: setup-test
	$(PY) -m bench
