# toktok: `make run` starts the service on SQLite; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres test-busy lint format bench chat install install-test fuzz upgrade console-assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed from the lock files (exact versions, with hashes), then toktok itself.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements-test.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

LOCK = $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

## Refresh both lock files to the newest versions pyproject.toml allows, then run the suite.
upgrade: install-test
	$(LOCK) --upgrade -o requirements.lock pyproject.toml
	$(LOCK) --upgrade --extra test -o requirements-test.lock pyproject.toml
	rm -f $(VENV)/.installed $(VENV)/.installed-test
	$(MAKE) test

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Start the staff API (http://127.0.0.1:8000/docs), the scheduler and, with a token, the bot.
run: install
	$(BIN)/toktok db upgrade
	$(BIN)/toktok run

## Play a citizen in this terminal against the same engine and database.
chat: install
	$(BIN)/toktok db upgrade
	$(BIN)/toktok chat

## The test suite (SQLite by default; DATABASE_URL=postgresql+psycopg://... for PostgreSQL).
## pytest's exit code 5 (no tests collected, e.g. a -k that matches nothing) is reported,
## not failed; any other non-zero exit fails.
test: install-test
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; \
	exit $$status

## The suite while two spinning processes keep both cores busy: no test may depend on speed.
test-busy: install-test
	@spinners=""; for n in 1 2; do \
		timeout 3600 $(BIN)/python -c "while True: pass" & spinners="$$spinners $$!"; done; \
	$(BIN)/pytest $(PYTEST_ARGS); status=$$?; kill $$spinners; exit $$status

test-postgres: install-test
	DATABASE_URL=$(POSTGRES_URL) $(MAKE) test

## Style and types: ruff, then mypy (--strict's checks on the floors below the adapters).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Benchmarks print their figures; most run on PostgreSQL too, if reachable.
bench: install-test
	$(BIN)/python bench/updates.py
	$(BIN)/python bench/burst.py
	$(BIN)/python bench/similar.py
	$(BIN)/python bench/intents.py
	$(BIN)/python bench/polls.py
	$(BIN)/python bench/broadcast.py
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" \
		"$(subst +psycopg,,$(POSTGRES_URL))" 2>/dev/null; then \
		DATABASE_URL=$(POSTGRES_URL) $(BIN)/python bench/updates.py; \
		DATABASE_URL=$(POSTGRES_URL) $(BIN)/python bench/burst.py; \
		DATABASE_URL=$(POSTGRES_URL) $(BIN)/python bench/polls.py; \
		DATABASE_URL=$(POSTGRES_URL) $(BIN)/python bench/broadcast.py; \
	else echo "PostgreSQL not reachable at $(POSTGRES_URL); the benchmarks ran on SQLite only"; fi

## schemathesis against the live staff API (in its own .venv-fuzz): no 5xx, no undocumented status.
fuzz: install-test
	test -x .venv-fuzz/bin/schemathesis || ($(PYTHON) -m venv .venv-fuzz && \
		.venv-fuzz/bin/pip install --quiet "schemathesis>=4.30,<5")
	$(BIN)/python -m tests.fuzz.run $(FUZZ_ARGS)

KRDS := console/assets/node_modules/krds-uiux/resources
KRDS_FILES := $(KRDS)/css/token/krds_tokens.css $(KRDS)/fonts/PretendardGOV-Regular.subset.woff2 \
	$(KRDS)/fonts/PretendardGOV-Bold.subset.woff2

## The console's KRDS files (design tokens, the Pretendard GOV font) from the pinned npm package
## (console/assets/package-lock.json) into console/static/krds, which ships them: no CDN.
console-assets:
	npm ci --prefix console/assets --ignore-scripts --no-audit --no-fund
	mkdir -p console/static/krds
	cp $(KRDS_FILES) console/static/krds/
	cd console/static/krds && sha256sum krds_tokens.css *.woff2 > SHA256SUMS
