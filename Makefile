# samspil — each target works on a fresh machine with Python 3.11, apt and the package registries.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_WORKERS ?= 2
export PYTHONPATH := src

.PHONY: demo test lint types pytest messages compilemessages bench vendor system-packages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,embeddings]'
	touch $@

# Debian packages: chromium for browser tests, gettext for compiling translations.
system-packages:
	@command -v msgfmt >/dev/null && test -x /usr/bin/chromium || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver gettext >/dev/null; }

compilemessages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

demo: export DEBUG := 1
demo: export SITE_URL := http://127.0.0.1:$(PORT)
demo: $(VENV)/.installed compilemessages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo
	@echo "samspil runs on http://127.0.0.1:$(PORT)  (Ctrl+C stops the server and the job worker)"
	$(PY) manage.py db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(VENV)/.installed
	SAMSPIL_TESTING=1 $(VENV)/bin/mypy src

pytest: $(VENV)/.installed system-packages compilemessages
	SAMSPIL_TESTING=1 $(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q

test: lint types pytest

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l da -l nb -l sv -l en --no-obsolete --no-location \
	  --ignore=.venv --ignore=var --ignore=node_modules
	$(PY) scripts/fill_english.py

bench: $(VENV)/.installed
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf $(VENV) var/static
