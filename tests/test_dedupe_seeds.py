"""Dedupe on the seed folder (issue 4 acceptance) and the review/decisions round trip."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

import litcorpus
from litcorpus.cli import app
from litcorpus.corpus import Corpus
from litcorpus.dedupe import dedupe, explain
from tests.conftest import SEEDS

TRAPS = [("10.1186/s12889-024-20089-5", "10.1136/bmjopen-2023-081954"),
         ("10.1136/bmj-2022-070910", "10.1136/bmj.n248")]


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("dedupe") / "c.db"
    litcorpus.ingest([SEEDS], db=db)
    with Corpus(db) as corpus:
        report = dedupe(corpus)
    return db, report


def exported(db) -> list[dict]:
    out = io.StringIO()
    litcorpus.export("jsonl", out, db=db)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_nineteen_in_eighteen_out(seeds_db):
    db, report = seeds_db
    assert (report.records_in, report.records_out) == (19, 18)
    assert len(exported(db)) == 18


def test_abstract_and_full_text_become_one_record(seeds_db):
    db, _ = seeds_db
    [merged] = [r for r in exported(db) if r["doi"] == "10.1186/s12913-023-10442-6"]
    files = sorted(o["file"].rsplit("/", 1)[-1] for o in merged["origins"])
    assert files == ["000_a71d4a2637553815.txt", "002_3562df9c2e79e62e.txt"]
    assert merged["title"].startswith("This needs to be a journey")          # full text's title
    assert [a["family"] for a in merged["authors"]] == ["Hope", "Stepanova", "Lloyd-Houldey"]
    assert len(merged["references"]) == 31                                   # full text's refs
    assert "Population Health Sciences Institute, Newcastle University, Newcastle Upon Tyne, UK." \
        in merged["affiliations"]                                            # abstract's
    assert merged["date"] == "2023-12-20"                                    # abstract's date
    assert merged["translations"]["zh"].startswith("综合护理")                 # the translation
    assert merged["field_sources"]["title"] != merged["field_sources"]["date"]


@pytest.mark.parametrize("pair", TRAPS, ids=["two-2024-papers", "two-bmj-pieces"])
def test_traps_stay_apart(seeds_db, pair):
    db, _ = seeds_db
    by_doi = {r["doi"]: r for r in exported(db)}
    assert by_doi[pair[0]]["id"] != by_doi[pair[1]]["id"]


def test_explain_names_rule(seeds_db):
    db, _ = seeds_db
    with Corpus(db) as corpus:
        merged = next(r for r in corpus.canonical_records() if r.merged_from)
        found = explain(corpus, merged.merged_from[1])
    assert found.canonical_id == merged.id
    [link] = [p for p in found.pairs if p["verdict"] == "match"]
    assert link["rule"] == "weights"
    words = "\n".join(link["words"])
    assert "identifier: the same DOI or PMID, +10.9 bits" in words
    assert "probability of a duplicate" in words


def test_review_decisions_survive_rerun_and_new_ingest(tmp_path):
    db = tmp_path / "c.db"
    table = tmp_path / "refs.csv"
    table.write_text(  # a JSTOR DOI beside the publisher's: queued, never merged alone
        "id,title,author,year,journal,doi\n"
        "r1,Integrated care for older people with frailty in England,\"Smith, J\",2020,Age Ageing,"
        "10.1093/ageing/afz001\n"
        "r2,Integrated care for older people with frailty in England,\"Smith, J\",2020,Age Ageing,"
        "10.2307/45123456\n",
        "utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(table), "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["dedupe", "--db", str(db)]).exit_code == 0
    review = runner.invoke(app, ["export", "--format", "review", "--db", str(db)])
    rows = list(csv.DictReader(io.StringIO(review.stdout)))
    assert len(rows) == 1 and rows[0]["decision"] == ""
    rows[0]["decision"] = "duplicate"
    filled = tmp_path / "decisions.csv"
    with open(filled, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(app, ["dedupe", "--decisions", str(filled), "--db", str(db)])
    assert result.exit_code == 0
    assert len(exported(db)) == 1
    other = tmp_path / "more.csv"
    other.write_text("id,title,year\nr9,Another paper entirely,2021\n", "utf-8")
    runner.invoke(app, ["ingest", str(other), "--db", str(db)])
    runner.invoke(app, ["dedupe", "--db", str(db)])
    assert len(exported(db)) == 2  # the person's decision still holds after a new ingest
    review = runner.invoke(app, ["export", "--format", "review", "--db", str(db)])
    assert len(list(csv.DictReader(io.StringIO(review.stdout)))) == 0


def test_bad_decision_value_is_a_clear_error(tmp_path):
    db = tmp_path / "c.db"
    table = tmp_path / "refs.csv"
    table.write_text("id,title,year\nr1,A paper,2020\n", "utf-8")
    runner = CliRunner()
    runner.invoke(app, ["ingest", str(table), "--db", str(db)])
    bad = tmp_path / "d.csv"
    bad.write_text("a_id,b_id,decision\nx,y,perhaps\n", "utf-8")
    result = runner.invoke(app, ["dedupe", "--decisions", str(bad), "--db", str(db)])
    assert result.exit_code == 2
    assert "perhaps" in result.stderr and "Traceback" not in result.stderr


def test_dedupe_jobs_option_gives_the_same_corpus(tmp_path, seeds_db):
    """`litcorpus dedupe --jobs N` is accepted and changes nothing a user sees."""
    db = tmp_path / "c.db"
    litcorpus.ingest([SEEDS], db=db)
    runner = CliRunner()
    for jobs in ("1", "2"):
        result = runner.invoke(app, ["dedupe", "--jobs", jobs, "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert exported(db) == exported(seeds_db[0])
    assert runner.invoke(app, ["dedupe", "--jobs", "0", "--db", str(db)]).exit_code == 2


def test_dedupe_reports_each_stage_in_order(tmp_path):
    """The CLI's progress line follows these stages on a long dedupe."""
    seen = []
    with litcorpus.open(tmp_path / "c.db") as corpus:
        corpus.ingest([SEEDS])
        corpus.dedupe(progress=lambda stage, done, total: seen.append((stage, total)))
    from litcorpus.dedupe import STAGES
    assert [stage for stage, _ in seen] == list(STAGES)
    assert all(total == 19 for _, total in seen)
