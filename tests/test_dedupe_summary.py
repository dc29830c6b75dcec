"""dedupe's summary counts records and says so: the records each rule linked add up to the
duplicates linked, also where one paper is in four files (six matching pairs, three links)."""

from __future__ import annotations

from typer.testing import CliRunner

import litcorpus
from litcorpus.cli import app
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe
from tests.conftest import FIXTURES

SAME_PAPERS = [FIXTURES / "formats/ris-scopus/Scopus_ris_example.ris",
               FIXTURES / "formats/bibtex/Scopus_bib_example.bib",
               FIXTURES / "formats/wos-plaintext/WoS_txt_example.txt",
               FIXTURES / "formats/wos-plaintext/WoS_ciw_example.ciw"]


def test_rule_counts_add_up_to_records_linked(tmp_path):
    db = tmp_path / "c.db"
    litcorpus.ingest(SAME_PAPERS, db=db)
    with Corpus(db) as corpus:
        report = dedupe(corpus)
        clusters = [r for r in corpus.canonical_records() if len(r.merged_from) >= 3]
    assert clusters  # a paper in three or four files: more matching pairs than links
    linked = report.records_in - report.records_out
    assert sum(report.rules.values()) == report.merged_pairs == linked > 0


def test_summary_says_it_counts_records(tmp_path):
    db = tmp_path / "c.db"
    litcorpus.ingest(SAME_PAPERS, db=db)
    result = CliRunner().invoke(app, ["dedupe", "--db", str(db)])
    assert result.exit_code == 0
    assert "duplicate records linked" in result.stderr
    assert "records linked by rule weights" in result.stderr
