# litcorpus: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB := demo.db

.PHONY: install demo test bench bench-ingest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/litcorpus ingest fixtures/seeds --db $(DEMO_DB)
	$(BIN)/litcorpus stats --db $(DEMO_DB)

test: install
	$(BIN)/python -m pytest

bench: bench-ingest

bench-ingest: install
	$(BIN)/python bench/ingest_listing.py

clean:
	rm -rf $(VENV) .pytest_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
