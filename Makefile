# Two commands on a fresh machine: `make generate`, then `make test`.
# The first target that needs the virtualenv creates it and installs everything pinned in
# requirements.lock; it is rebuilt whenever pyproject.toml or the lock file changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: generate test lint typecheck pytest drift check run bench fuzz lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'codegen-project.pth').write_text('$(CURDIR)/generated\n$(CURDIR)/examples\n')"
	touch $(STAMP)

generate: $(STAMP)  ## Generate every spec of [tool.codegen] into generated/
	$(BIN)/codegen generate

test: lint typecheck pytest  ## Lint, type-check and test everything (what CI runs)

lint: $(STAMP)
	$(BIN)/ruff check codegen tests examples bench generated
	$(BIN)/ruff format --check codegen tests examples bench

typecheck: $(STAMP)
	$(BIN)/mypy codegen tests examples bench
	cd generated && ../$(BIN)/mypy --strict -p shipping

pytest: $(STAMP)
	$(BIN)/pytest -n auto

check: $(STAMP)  ## Is generated/ up to date, and does the app still match the spec?
	$(BIN)/codegen generate --check
	$(BIN)/codegen drift

run: $(STAMP)  ## Serve the example service on http://127.0.0.1:8000
	$(BIN)/uvicorn shipping_service.main:app --reload

bench: $(STAMP)  ## GitHub-API, request-overhead and corpus benchmarks (slow; fetches data); tables into docs/
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	$(BIN)/python -m bench --write

fuzz: $(STAMP)  ## A long property-based fuzzing run over mutated specs
	CODEGEN_FUZZ_EXAMPLES=2000 $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider

lock:  ## Re-pin requirements.lock from pyproject.toml (needs network)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip && .lock-venv/bin/pip install --quiet -e '.[dev]'
	.lock-venv/bin/pip freeze --exclude-editable --exclude schemafirst-codegen > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
