# The two commands of the README. Each sets itself up on a fresh machine:
# a virtualenv in .venv and, only where missing, the Debian packages below.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The CJK TrueType font the sample PDFs embed, as a real office export would;
# chromium renders the HTML report in its test (tests/test_report_browser.py);
# poppler's pdftotext is a second, independent reader of the sample PDF's text layer;
# OpenCV (OCR of scanned filings) links libGL and GLib.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test setup sysdeps clean

demo: setup
	$(BIN)/budgetwatch demo

test: setup
	$(BIN)/python -m pytest -q

setup: sysdeps $(STAMP)

sysdeps:
	@pkgs=""; [ -f "$(CJK_FONT)" ] || pkgs="fonts-wqy-zenhei"; \
	command -v chromium >/dev/null || pkgs="$$pkgs chromium"; \
	command -v pdftotext >/dev/null || pkgs="$$pkgs poppler-utils"; \
	/sbin/ldconfig -p | grep -q 'libGL\.so\.1 ' || pkgs="$$pkgs libgl1"; \
	/sbin/ldconfig -p | grep -q 'libgthread-2\.0\.so\.0 ' || pkgs="$$pkgs libglib2.0-0"; \
	if [ -n "$$pkgs" ]; then \
	  echo "installing Debian packages:$$pkgs"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$pkgs; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf data demo/_build .pytest_cache
