# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres bench install migrate seed lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	ESTIM_DEBUG=$${ESTIM_DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	ESTIM_DEBUG=$${ESTIM_DEBUG:-true} $(BIN)/python manage.py loaddata taxonomy reference

# The demo accounts and a few hundred incidents, so that the homepage and the queues have
# something to show; run again, it adds none (--top-up).
DEMO_INCIDENTS ?= 300
DEMO_AGENTS ?= 40

seed: migrate
	ESTIM_DEBUG=$${ESTIM_DEBUG:-true} $(BIN)/python manage.py seed_demo \
		--incidents $(DEMO_INCIDENTS) --agents $(DEMO_AGENTS) --top-up

run: seed
	ESTIM_DEBUG=$${ESTIM_DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache

# The suite on a throw-away PostgreSQL server (needs PostgreSQL installed).
test-postgres: install
	bash .ci/with-postgres $(MAKE) test

# Production (README.md, "Production"): migrations, collectstatic, then gunicorn.
.PHONY: serve
serve: install
	bin/serve

# The benchmark of bench/run.py on the database in DATABASE_URL (see README.md).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)
