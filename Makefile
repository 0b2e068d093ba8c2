# make pdf   build build/report.pdf (creating .venv and installing everything on first use)
# make test  the whole test suite (make test-fast: without the whole-report builds)
# make print    build/report-print-a4.pdf and -letter.pdf, the print edition (duplex)
# make booklet  build/report-booklet.pdf, the A4 print edition imposed on A3 sheets
# make archive  build/report-archive.pdf, PDF/A-3b with its sources inside, and its manifest
# make html / check / lint / clean
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
REPORT := $(VENV)/bin/report
STAMPS := $(VENV)/.python-ok build/.system-ok report/cite/csl/node_modules/.npm-ok

# Every input of a build: content, bibliography, styles, templates, the package itself.
INPUTS := $(shell find content styles report -type f \
            \( -name '*.yaml' -o -name '*.css' -o -name '*.j2' -o -name '*.py' -o -name '*.js' \
               -o -name '*.sha256' \) -not -path '*/node_modules/*' 2>/dev/null) sources.yaml

.PHONY: pdf html print booklet archive check test test-fast lint setup clean bench
pdf: build/report.pdf
html: build/report.html
setup: $(STAMPS)

build/report.pdf: $(INPUTS) | $(STAMPS)
	$(REPORT) build . -o $@

build/report.html: $(INPUTS) | $(STAMPS)
	$(REPORT) build . -o $@

# The archive edition writes build/report-archive.json beside the PDF (report/archive.py).
archive: build/report-archive.pdf

build/report-archive.pdf: $(INPUTS) | $(STAMPS)
	$(REPORT) build . --edition archive -o $@

print: build/report-print-a4.pdf build/report-print-letter.pdf
booklet: build/report-booklet.pdf

build/report-print-%.pdf: $(INPUTS) | $(STAMPS)
	$(REPORT) build . --edition print --paper $* -o $@

# The booklet is imposed from the A4 print edition, not the standard one: its wider inner
# margin falls at the fold, its heads and folios on the outer edges, and every part opens on
# a right-hand page, which is what a booklet's spreads need. Creep: `print: creep:`.
build/report-booklet.pdf: build/report-print-a4.pdf $(INPUTS) | $(STAMPS)
	$(REPORT) booklet $< -o $@

check: | $(STAMPS)
	$(REPORT) check . --strict

# The whole suite on both cores (pytest-xdist): about 8 minutes.
test: | $(STAMPS)
	$(PY) -m pytest -n 2

# The tests that build no whole report, on both cores: about a minute.
test-fast: | $(STAMPS)
	$(PY) -m pytest -m "not slow" -n 2

# The build measured on the real report and synthetic ones of about 50, 200 and 500 pages,
# beside plain WeasyPrint: a table, and build/bench.json (bench/). E.g.
# make bench BENCH_ARGS='--sizes real,50 --runs 5'
bench: | $(STAMPS)
	$(PY) -m bench $(BENCH_ARGS)

lint: | $(STAMPS)
	$(VENV)/bin/ruff check report tests bench
	$(VENV)/bin/mypy report

$(VENV)/.python-ok: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

build/.system-ok: tools/setup-system styles/fonts.sha256
	tools/setup-system
	mkdir -p build && touch $@

report/cite/csl/node_modules/.npm-ok: report/cite/csl/package.json report/cite/csl/package-lock.json | build/.system-ok
	npm ci --prefix report/cite/csl --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf build
