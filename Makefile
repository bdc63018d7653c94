# Two commands set up a fresh machine: `make run` (the bot) and `make test` (the tests).
# Both create the virtual environment on first use and reuse it afterwards.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_FLAGS := --disable-pip-version-check --timeout 120 --retries 10

.PHONY: install run chat test bench lint lock clean

install: $(VENV)/.installed

# kiwipiepy-model ships as a ~90 MB source archive that pip builds into a wheel once;
# it is installed on its own first, with retries, so a flaky download does not spoil the
# rest of the install, and pip's wheel cache makes every later install instant.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "ddokddok needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	for attempt in 1 2 3; do $(BIN)/pip install $(PIP_FLAGS) "kiwipiepy-model==0.24.0" && break; \
	  echo "kiwipiepy-model install failed (attempt $$attempt), retrying" >&2; sleep 5; done
	$(BIN)/pip install $(PIP_FLAGS) -e ".[test]"
	touch $@

run: install
	$(BIN)/ddokddok run

chat: install
	$(BIN)/ddokddok chat

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/ddokddok bench matcher --quick

# What CI checks besides the tests: ruff's rules and mypy (both configured in pyproject.toml).
lint: install
	$(BIN)/pip install $(PIP_FLAGS) -e ".[test,lint]"
	$(BIN)/ruff check .
	$(BIN)/mypy

# CI installs with requirements-ci.lock as constraints (PIP_CONSTRAINT), so a run takes the
# versions of the last `make lock` rather than whatever PyPI newly serves; one file for every
# Python CI runs (3.11 and 3.13).
lock: install
	$(BIN)/pip install $(PIP_FLAGS) -e ".[test,lint]"
	$(BIN)/uv pip compile pyproject.toml --extra test --extra lint --universal \
	  --python-version 3.11 --custom-compile-command "make lock" -o requirements-ci.lock

clean:
	rm -rf $(VENV)
