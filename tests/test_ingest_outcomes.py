"""Ingest accounts for every file, never duplicates content, and keeps origins."""

from __future__ import annotations

import io
import json

import litcorpus
from litcorpus.corpus import Corpus
from litcorpus.models import Status

CSV = "id,title,author,year,doi\nr1,First paper,\"Smith, Jane and Doe, J.\",2020,https://doi.org/10.1000/ABC.1\n" \
      "r2,Second paper,\"Roe, R.\",2021,\n"


def test_outcomes_and_origins(tmp_path, db):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "refs.csv").write_text(CSV, "utf-8")
    (tmp_path / "in" / "notes.txt").write_text("just some notes, not an export\n", "utf-8")
    (tmp_path / "in" / "empty.ris").write_text("", "utf-8")
    report = litcorpus.ingest([tmp_path / "in"], db=db)
    status = {o.file.rsplit("/", 1)[-1]: o.status for o in report.outcomes}
    assert status == {"refs.csv": Status.PARSED, "notes.txt": Status.FAILED,
                      "empty.ris": Status.SKIPPED}
    assert report.records == 2
    out = io.StringIO()
    litcorpus.export("jsonl", out, db=db)
    first = json.loads(out.getvalue().splitlines()[0])
    assert first["doi"] == "10.1000/abc.1"
    assert first["authors"] == [{"family": "Smith", "given": "Jane"}, {"family": "Doe", "given": "J."}]
    assert first["origins"] == [{"file": str(tmp_path / "in" / "refs.csv"), "member": None, "line": 2,
                                 "format": "csv", "source_id": "r1"}]
    sources = io.StringIO()
    litcorpus.export("sources", sources, db=db)
    rows = [json.loads(line) for line in sources.getvalue().splitlines()]
    assert {r["status"] for r in rows} == {"parsed", "failed", "skipped"}
    assert all(r["message"] for r in rows if r["status"] != "parsed")


def test_same_content_again_adds_nothing(tmp_path, db):
    path = tmp_path / "refs.csv"
    path.write_text(CSV, "utf-8")
    litcorpus.ingest([path], db=db)
    again = litcorpus.ingest([path], db=db)
    assert again.records == 0
    assert again.outcomes[0].status is Status.SKIPPED
    copy = tmp_path / "copy.csv"
    copy.write_text(CSV, "utf-8")
    litcorpus.ingest([copy], db=db)
    with Corpus(db) as corpus:
        assert corpus.count() == 2
        files = [s.file for s in corpus.sources()]
    assert files == [str(path), str(copy)]  # the copy is accounted for, its records are not added


def test_record_ids_are_stable_across_corpora(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text(CSV, "utf-8")
    ids = []
    for name in ("a.db", "b.db"):
        litcorpus.ingest([path], db=tmp_path / name)
        with Corpus(tmp_path / name) as corpus:
            ids.append([r.id for r in corpus.records()])
    assert ids[0] == ids[1] and len(set(ids[0])) == 2
