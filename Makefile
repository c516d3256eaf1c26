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

# Debian packages: chromium for browser tests, gettext for compiling translations, pango for
# WeasyPrint's PDF reports.
system-packages:
	@command -v msgfmt >/dev/null && test -x /usr/bin/chromium && ldconfig -p | grep -q libpangoft2 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver gettext libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }

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

# By hand; web_latency needs `manage.py load_scale` on PostgreSQL first (docs/benchmarks.md).
BENCHMARKS ?= matching grouping portfolio proposal_documents servers web_latency
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	@for name in $(BENCHMARKS); do echo "== $$name"; $(PY) benchmarks/$$name.py || exit 1; done

# Refresh the vendored front-end builds (versions in static/vendor/VERSIONS.md).
vendor:
	rm -rf var/npm && mkdir -p var/npm
	cd var/npm && npm init -y >/dev/null && npm install --silent \
	  @digdir/designsystemet-css@1.22.0 htmx.org@2.0.11 @fontsource/inter@5.3.0
	cp var/npm/node_modules/@digdir/designsystemet-css/dist/src/index.css static/vendor/designsystemet/designsystemet.css
	cp var/npm/node_modules/@digdir/designsystemet-css/dist/theme/designsystemet.css static/vendor/designsystemet/theme.css
	cp var/npm/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
	for weight in 400 500 600; do cp var/npm/node_modules/@fontsource/inter/files/inter-latin-$$weight-normal.woff2 static/vendor/inter/; done

clean:
	rm -rf $(VENV) var/static
