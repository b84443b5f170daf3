# Two entry points for a fresh Debian machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test lint install check-data bench team-demo

run: install
	$(BIN)/amparo data check
	$(BIN)/amparo serve --host 127.0.0.1 --port 8000

# Try team mode on this computer: a PostgreSQL cluster from Debian's packages on a Unix socket (no network),
# the schema, the first admin's enrolment link, and the site on http://127.0.0.1:8000 (docs/team.md).
team-demo: install
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { s=""; [ "$$(id -u)" -eq 0 ] || s=sudo; \
	  $$s apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$s apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }
	$(BIN)/amparo team demo --port 8000

test: install $(NODE_STAMP)
	scripts/system-packages test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/amparo data check
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	scripts/system-packages run
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	scripts/system-packages test
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Refresh the lock file after changing dependencies in pyproject.toml.
lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra postgres --extra test --generate-hashes -o requirements.lock

bench: install
	scripts/system-packages bench
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.navigator
	$(BIN)/python -m bench.documents
	$(BIN)/python -m bench.casebook --write
	$(BIN)/python -m bench.team --write
