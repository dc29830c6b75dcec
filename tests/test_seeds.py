"""The seed folder: every fact each seed file states reaches the JSONL export (issue 2)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

import litcorpus
from tests.conftest import FIXTURES, SEEDS

EXPECTED = yaml.safe_load((FIXTURES / "seeds_expected.yaml").read_text("utf-8"))
PLAIN_FIELDS = ("title", "journal", "year", "date", "volume", "issue", "pages", "doi", "pmid",
                "pmcid", "publisher", "language", "kind", "abstract")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[tuple[str, int], dict]:
    db = tmp_path_factory.mktemp("seeds") / "corpus.db"
    report = litcorpus.ingest([SEEDS], db=db)
    assert len(report.outcomes) == 5 and report.records == 19
    out = io.StringIO()
    litcorpus.export("jsonl", out, db=db)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    return {(Path(r["origins"][0]["file"]).name, r["origins"][0]["line"]): r for r in records}


def test_nineteen_records_from_five_files(exported):
    assert len(exported) == 19
    assert {file for file, _ in exported} == {p.name for p in SEEDS.iterdir()}


@pytest.mark.parametrize("expect", EXPECTED, ids=lambda e: f"{e['file'][:3]}:{e['line']}")
def test_seed_record_field_by_field(exported, expect):
    record = exported.get((expect["file"], expect["line"]))
    assert record is not None, f"no record starts at {expect['file']} line {expect['line']}"
    origin = record["origins"][0]
    if "format" in expect:
        assert origin["format"] == expect["format"]
    if "source_id" in expect:
        assert origin["source_id"] == expect["source_id"]
    for field in PLAIN_FIELDS:
        if field in expect:
            assert record[field] == expect[field], field
    if "authors" in expect:
        got = [[a["family"], a["given"]] for a in record["authors"]]
        assert got == expect["authors"]
    if "translations" in expect:
        assert sorted(record["translations"]) == sorted(expect["translations"])
    for lang, start in expect.get("translation_starts", {}).items():
        assert record["translations"][lang].startswith(start)
        assert not any("\u4e00" <= c <= "\u9fff" for c in record["abstract"])
    if "abstract_starts" in expect:
        assert record["abstract"].startswith(expect["abstract_starts"])
    if "abstract_ends" in expect:
        assert record["abstract"].endswith(expect["abstract_ends"])
    for fragment in expect.get("abstract_contains", []):
        assert fragment in record["abstract"]
    for fragment in expect.get("abstract_not_contains", []):
        assert fragment not in record["abstract"]
    if "affiliations" in expect:
        assert record["affiliations"] == expect["affiliations"]
    if "references" in expect:
        assert len(record["references"]) == expect["references"]
    if "reference_starts" in expect:
        assert record["references"][0].startswith(expect["reference_starts"])
    if "reference_last_starts" in expect:
        assert record["references"][-1].startswith(expect["reference_last_starts"])


@pytest.mark.parametrize("expect", [e for e in EXPECTED if "author_affiliations" in e],
                         ids=lambda e: f"{e['file'][:3]}:{e['line']}")
def test_affiliations_attached_to_their_authors(tmp_path, expect):
    litcorpus.ingest([SEEDS / expect["file"]], db=tmp_path / "c.db")
    with litcorpus.Corpus(tmp_path / "c.db") as corpus:
        record = next(r for r in corpus.records() if r.origins[0].line == expect["line"])
    by_family = {a.family: a.affiliations for a in record.authors}
    for family, affiliations in expect["author_affiliations"].items():
        for affiliation in affiliations:
            assert affiliation in by_family[family]
        if not affiliations:
            assert by_family[family] == []
