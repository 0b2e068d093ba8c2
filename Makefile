# make pdf   build build/report.pdf (creating .venv and installing everything on first use)
# make test  the whole test suite
# make html / check / lint / clean
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
REPORT := $(VENV)/bin/report
STAMPS := $(VENV)/.python-ok build/.system-ok report/csl/node_modules/.npm-ok

# Every input of a build: content, bibliography, styles, templates, the package itself.
INPUTS := $(shell find content styles report -type f \
            \( -name '*.yaml' -o -name '*.css' -o -name '*.j2' -o -name '*.py' -o -name '*.js' \
               -o -name '*.sha256' \) -not -path '*/node_modules/*' 2>/dev/null) sources.yaml

.PHONY: pdf html check test lint setup clean
pdf: build/report.pdf
html: build/report.html
setup: $(STAMPS)

build/report.pdf: $(INPUTS) | $(STAMPS)
	$(REPORT) build . -o $@

build/report.html: $(INPUTS) | $(STAMPS)
	$(REPORT) build . -o $@

check: | $(STAMPS)
	$(REPORT) check . --strict

test: | $(STAMPS)
	$(PY) -m pytest

lint: | $(STAMPS)
	$(VENV)/bin/ruff check report tests
	$(VENV)/bin/mypy report

$(VENV)/.python-ok: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

build/.system-ok: tools/setup-system styles/fonts.sha256
	tools/setup-system
	mkdir -p build && touch $@

report/csl/node_modules/.npm-ok: report/csl/package.json report/csl/package-lock.json | build/.system-ok
	npm ci --prefix report/csl --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf build
