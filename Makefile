# The two commands of the README:
#   make figures   set up .venv, execute every notebook in place, write every figure
#   make test      set up .venv, then ruff, the library tests and strict nbval
# and `make lab` to explore the notebooks in JupyterLab with the project's environment.
# Only a Python 3.11+ interpreter is needed (override with `make PYTHON=python3.12 ...`).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

# Determinism for notebook kernels and figure files (see README, "Reproducible to the byte").
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup figures test lab clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (make PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

figures: setup
	$(BIN)/python tools/run_notebooks.py

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -p no:cacheprovider tests src/analytics --doctest-modules
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbval notebooks/

lab: setup
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
