# The two commands of the README. Each sets itself up on a fresh machine:
# a virtualenv in .venv and, only where missing, the Debian packages below.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# What the demo needs: the CJK TrueType font the sample PDFs embed, as a real office export
# would; OpenCV (OCR of scanned filings) links libGL and GLib.
# What only the tests need on top: chromium renders the HTML report (tests/test_report_browser.py);
# poppler's pdftotext is a second, independent reader of the sample PDF's text layer.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test test-fast setup setup-test sysdeps sysdeps-test _apt lock clean

demo: setup
	$(BIN)/budgetwatch demo

# ruff, then the whole suite (CI), on two processes: tests/conftest.py keeps the tests of one
# expensive session build (the district crawl, the real corpus) on one process (loadgroup).
# test-fast skips the tests marked slow (district runs, the real corpus, browsers, servers): the
# tier to run after every change.
test: setup-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup --durations=25

test-fast: setup-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -m "not slow" -n 2 --dist loadgroup

setup: sysdeps $(STAMP)

setup-test: sysdeps-test $(STAMP)

sysdeps:
	@$(MAKE) --no-print-directory _apt TEST_PKGS=

sysdeps-test:
	@$(MAKE) --no-print-directory _apt TEST_PKGS=1

_apt:
	@pkgs=""; [ -f "$(CJK_FONT)" ] || pkgs="fonts-wqy-zenhei"; \
	/sbin/ldconfig -p | grep -q 'libGL\.so\.1 ' || pkgs="$$pkgs libgl1"; \
	/sbin/ldconfig -p | grep -q 'libgthread-2\.0\.so\.0 ' || pkgs="$$pkgs libglib2.0-0"; \
	if [ -n "$(TEST_PKGS)" ]; then \
	  command -v chromium >/dev/null || pkgs="$$pkgs chromium"; \
	  command -v pdftotext >/dev/null || pkgs="$$pkgs poppler-utils"; \
	fi; \
	if [ -n "$$pkgs" ]; then \
	  echo "installing Debian packages:$$pkgs"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$pkgs; \
	fi

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $@

# Re-resolve every dependency at its newest release into constraints.txt (in a scratch venv).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q --upgrade pip
	.venv-lock/bin/python -m pip install -q -e '.[test]'
	{ head -n 2 constraints.txt; .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^budgetwatch'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt && rm -rf .venv-lock

clean:
	rm -rf data demo/_build .pytest_cache
