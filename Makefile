# Two commands on a fresh machine: `make generate`, then `make test`.
# The first target that needs the virtualenv creates it and installs everything pinned in
# requirements.lock; it is rebuilt whenever pyproject.toml or the lock file changes.
# What the targets work on comes from [tool.codegen] in pyproject.toml, through the hidden
# `codegen config KEY` (the packages, the output folder, the app to serve).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ABSBIN := $(abspath $(BIN))
STAMP  := $(VENV)/.installed
APP    ?=
PORT   ?= 8000
# APP=MODULE:ATTR: the app `make run` and `make dev` serve (default: [tool.codegen] serve), on PORT

.PHONY: generate test test-e2e lint typecheck pytest check run dev compat bench fuzz lock clean

$(STAMP): pyproject.toml runtime/pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e runtime -e .
	out="$$($(BIN)/codegen config out)" && $(BIN)/python -c "import os, pathlib, site, sys; pathlib.Path(site.getsitepackages()[0], 'codegen-project.pth').write_text(''.join(os.path.abspath(p) + '\n' for p in sys.argv[1:]))" "$$out" examples
	touch $(STAMP)

generate: $(STAMP)  ## Generate every spec of [tool.codegen] (default: every OpenAPI document in specs/)
	$(BIN)/codegen generate

test: lint typecheck pytest  ## Lint, type-check and the fast tests (what CI runs first)

test-e2e: $(STAMP)  ## The end-to-end tier: servers, pip installs, pre-commit and mypy on scratch projects
	$(BIN)/pytest -n auto -m e2e

lint: $(STAMP)  ## ruff with the project's rules; generated code (golden files included) with ruff's defaults
	$(BIN)/ruff check codegen runtime tests examples bench "$$($(BIN)/codegen config out)"
	$(BIN)/ruff format --check codegen runtime tests examples bench
	$(BIN)/ruff check --isolated "$$($(BIN)/codegen config out)" tests/golden/*/expected

typecheck: $(STAMP)  ## mypy --strict on codegen, the runtime, the tests, the examples, every generated package and golden case
	$(BIN)/mypy codegen runtime/src tests examples bench
	@for case in tests/golden/*/expected; do echo "cd $${case%/expected} && mypy --strict -p expected"; \
	(cd "$${case%/expected}" && $(ABSBIN)/mypy --strict -p expected) || exit 1; done
	@out="$$($(BIN)/codegen config out)" && packages="$$($(BIN)/codegen config packages)" && \
	args="" && for p in $$packages; do args="$$args -p $$p"; done && \
	if [ -n "$$args" ]; then echo "cd $$out && mypy --strict$$args"; cd "$$out" && $(ABSBIN)/mypy --strict $$args; fi

pytest: $(STAMP)
	$(BIN)/pytest -n auto -m "not e2e"

check: $(STAMP)  ## Is generated/ up to date, and does the app still match the spec?
	$(BIN)/codegen generate --check
	$(BIN)/codegen drift

run: $(STAMP)  ## Serve the app ([tool.codegen] serve, or APP=MODULE:ATTR) on http://127.0.0.1:$(PORT)
	@app="$(APP)"; [ -n "$$app" ] || app="$$($(BIN)/codegen config serve)" || exit 2; \
	echo "uvicorn $$app --port $(PORT)"; exec $(BIN)/uvicorn "$$app" --port $(PORT)

dev: $(STAMP)  ## Regenerate on every spec change, and serve the app reloaded when it or the generated code changes
	@app="$(APP)"; [ -n "$$app" ] || app="$$($(BIN)/codegen config serve)" || exit 2; \
	dirs="$$($(BIN)/codegen config reload-dirs --app "$$app")" || exit 2; \
	reload=""; for d in $$dirs; do reload="$$reload --reload-dir $$d"; done; \
	$(BIN)/codegen generate --watch & watcher=$$!; trap 'kill $$watcher 2>/dev/null' EXIT INT TERM; \
	echo "uvicorn $$app --port $(PORT) --reload$$reload"; $(BIN)/uvicorn "$$app" --port $(PORT) --reload $$reload

compat: $(STAMP)  ## The example's e2e tests and drift at the oldest and newest runtime versions the ranges allow
	$(BIN)/python -m bench.compat

bench: $(STAMP)  ## GitHub-API, request-overhead and corpus benchmarks (slow; fetches data); tables into docs/
	@command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	$(BIN)/python -m bench --write

fuzz: $(STAMP)  ## A long property-based fuzzing run over mutated specs
	CODEGEN_FUZZ_EXAMPLES=2000 $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider

lock:  ## Re-pin requirements.lock from pyproject.toml (needs network)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip && .lock-venv/bin/pip install --quiet -e runtime -e '.[dev]'
	.lock-venv/bin/pip freeze --exclude-editable --exclude schemafirst-codegen --exclude schemafirst-codegen-runtime > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache bench/.work/compat
