# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The test run uses two processes; set PYTEST_WORKERS=0 to run in one.
PYTEST_WORKERS ?= 2

.PHONY: run test install lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e ".[test]"
	touch $@

install: $(VENV)/.installed

run: install
	ZHUNRU_DEMO=1 $(BIN)/python manage.py migrate --noinput -v0
	ZHUNRU_DEMO=1 $(BIN)/python manage.py load_demo
	ZHUNRU_DEMO=1 $(BIN)/python manage.py zhunru_tick
	ZHUNRU_DEMO=1 $(BIN)/python manage.py review_tick
	@echo "服务地址 / serving on http://$(HOST):$(PORT)/  (Ctrl-C 停止)"
	ZHUNRU_DEMO=1 $(BIN)/gunicorn zhunru.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

test: install
	bash scripts/system-packages.sh
	$(BIN)/ruff check zhunru tests
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

lint: install
	$(BIN)/ruff check zhunru tests

clean:
	rm -rf $(VENV) var
