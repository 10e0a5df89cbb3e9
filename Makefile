# ChainGauge: `make run` serves the product with demo data, `make test` runs every check.
# Both install what is missing first: Debian packages (apt-get) and a virtual environment.

VENV        := .venv
BIN         := $(VENV)/bin
PYTHON      ?= python3
HOST        ?= 127.0.0.1
PORT        ?= 5000
# The report font, cut down from fonts-noto-cjk at install (assessment/reports/fonts.py).
REPORT_FONT := static/reports/fonts/.built
# WeasyPrint needs Pango; harfbuzz-subset keeps CJK reports fast; Noto CJK is the report
# font; poppler-utils (pdftotext, pdffonts) and Chromium are used by the tests.
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 \
                   poppler-utils chromium chromium-driver

.PHONY: run test install system-packages translations lint typecheck importlint pytest clean

run: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app demo load
	@test -f static/sample/report-zh.pdf || $(BIN)/flask --app app report sample
	@echo "ChainGauge is serving on http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn --workers 1 --threads 4 --bind $(HOST):$(PORT) --access-logfile - 'app:create_app()'

test: install lint typecheck importlint pytest

install: system-packages $(VENV)/.installed translations $(REPORT_FONT)

system-packages:
	@missing="$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done)"; \
	if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# The report font's faces: derived from the system's Noto Sans CJK, so built here, not in git.
$(REPORT_FONT): $(VENV)/.installed assessment/reports/data/report_font.yaml
	$(BIN)/python -m assessment.reports.fonts --force
	touch $@

# Compiled catalogues are build products; the .po files are the source.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations

lint:
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy

importlint:
	$(BIN)/lint-imports

# One test process per core (pytest-xdist); idle processes take tests from busy ones
# (worksteal), so the long browser tests do not leave a core idle.
PYTEST_WORKERS ?= auto

pytest:
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal

# Maintainers: refresh the message catalogues after changing UI strings.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache static/reports/fonts
