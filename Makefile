# Two commands do all the set-up on a fresh machine: `make build` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
TSTAMP  := $(VENV)/.installed-test
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test test-lms test-cmi5 check serve bench lint clean browser npm dist gettext print poppler

build: $(STAMP) print
	$(BIN)/mooc build

check: $(STAMP)
	$(BIN)/mooc check

serve: $(STAMP)
	$(BIN)/mooc serve

# pytest on 2 workers (pytest-xdist): the browser tests wait for Chromium and for the pages'
# timers, so two keep both cores busy; a file's tests stay on one worker, which makes its
# module fixtures once. `make test PYTEST_ARGS=` runs them one after the other.
PYTEST_ARGS ?= -n 2 --dist loadfile
test: $(TSTAMP) browser npm gettext print poppler
	$(BIN)/ruff check builder tests
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

# The real Moodle 4.5 lab (../shared/lms, made by its setup.sh: PHP, PostgreSQL, Chromium from
# Debian, offline): our SCORM packages imported and played as a learner, resumed, graded.
LMS_LAB ?= ../shared/lms
test-lms: $(TSTAMP) browser print
	bash $(LMS_LAB)/setup.sh
	MOOC_TEST_LMS=1 MOOC_LMS_LAB=$(abspath $(LMS_LAB)) $(BIN)/pytest tests/lms
	@echo "== what Moodle recorded (lms-results/summary.txt):"; cat lms-results/summary.txt
	@echo "== the Common Cartridge in Moodle (lms-results/common-cartridge.txt):"; \
	  cat lms-results/common-cartridge.txt

# ADL's cmi5 lab (../shared/cmi5, made by its setup.sh: the CATAPULT player and conformance
# test suite, ADL's LRS, offline): the real course's cmi5 packages, every AU played and judged.
CMI5_LAB ?= ../shared/cmi5
test-cmi5: $(TSTAMP) browser
	bash $(CMI5_LAB)/setup.sh
	MOOC_TEST_CMI5=1 MOOC_CMI5_LAB=$(abspath $(CMI5_LAB)) $(BIN)/pytest tests/cmi5
	@echo "== what the conformance suite and the LRS said (cmi5-results/summary.txt):"; \
	  cat cmi5-results/summary.txt

bench: $(STAMP) print
	$(BIN)/python -m builder.bench $(BENCH_ARGS)

# A wheel of mooc-builder (schemas included) for `pip install` or `pipx install`, in dist/.
DIST ?= dist
dist: | $(VENV)/bin/python
	rm -f $(DIST)/mooc_builder-*.whl
	$(BIN)/python -m pip wheel -q --no-deps --wheel-dir $(DIST) .
	@ls $(DIST)/mooc_builder-*.whl

$(VENV)/bin/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests (never `playwright install`: it downloads).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The PDF print edition (WeasyPrint, which mooc build runs): Debian's Pango and HarfBuzz, and
# the fonts the books embed (Open Sans, DejaVu Sans for the signs it lacks).
PRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-open-sans fonts-dejavu-core
print:
	@missing=$$(for p in $(PRINT_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	[ -z "$$missing" ] || { \
	  echo "Installing Debian's" $$missing "for the PDF print edition..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; }

# The PDF tests read the books with Debian's poppler-utils (pdftotext, pdfinfo, pdffonts).
poppler:
	@command -v pdftotext >/dev/null 2>&1 || { \
	  echo "Installing Debian's poppler-utils..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq poppler-utils >/dev/null; }

# Debian's gettext: msgfmt --check on every PO file `mooc i18n` writes (tests/test_translate.py)
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gettext >/dev/null; }

# Test-only npm tools (scorm-again, axe-core), from package-lock.json.
npm: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

clean:
	rm -rf site .cache .venv node_modules .pytest_cache .mypy_cache .ruff_cache lms-results \
	  cmi5-results
