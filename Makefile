# maeul — two commands: `make demo` and `make test`. Each sets up .venv from the lock file.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export MAEUL_ENV ?= demo

.PHONY: demo test setup lint bench messages serve clean

$(BIN)/.synced: pyproject.toml uv.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.9.5
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --quiet
	touch $@

setup: $(BIN)/.synced

demo: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py demo_accounts
	# The tasks worker (the benefit sweep) runs in the background next to gunicorn and is
	# stopped when gunicorn stops (Ctrl+C included); it finishes a sweep under way first.
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn maeul.wsgi --bind $(HOST):$(PORT) --workers 2 --preload --access-logfile -

# Types of the writes, reads and the rules package (docs/architecture.md, "Tooling").
TYPED := maeul/*/services.py maeul/*/services maeul/*/selectors.py maeul/benefits/rules maeul/web.py

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy $(wildcard $(TYPED))
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: setup
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python bench/run.py

# Korean catalogues live in each app (maeul/<app>/locale) and in maeul/locale for base.html.
APPS := accounts areas discovery visits cases indicators people resources benefits hub demo campaigns screening routing funds councils evaluation
messages: setup
	for app in $(APPS); do (cd maeul/$$app && DJANGO_SETTINGS_MODULE=maeul.settings PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin makemessages -l ko --no-obsolete --ignore "rules/*" && DJANGO_SETTINGS_MODULE=maeul.settings PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin compilemessages -l ko); done
	cd maeul && DJANGO_SETTINGS_MODULE=maeul.settings PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin makemessages -l ko --no-obsolete $(foreach app,$(APPS),--ignore "$(app)/*") && DJANGO_SETTINGS_MODULE=maeul.settings PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin compilemessages -l ko

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
