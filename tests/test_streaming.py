"""Large inputs read in record-aligned pieces give exactly what reading them whole gives."""

from __future__ import annotations

import gzip
import importlib
import json
import zipfile

import pytest

import litcorpus
from litcorpus import formats, stream, textio
from litcorpus.corpus import Corpus
from litcorpus.intake import Limits
from litcorpus.models import Status
from tests.conftest import FIXTURES

ingest_module = importlib.import_module("litcorpus.intake")


def _streamable() -> list:
    """Every fixture export whose format can be cut into pieces."""
    found = []
    for path in sorted((FIXTURES / "formats").rglob("*")):
        if not path.is_file() or path.suffix in (".md", ".zip", ".gz"):
            continue
        try:
            fmt = formats.detect(textio.decode(path.read_bytes()).text, path.name)
        except Exception:
            continue
        if fmt is not None and fmt.streamable:
            found.append(path)
    return found


STREAMABLE = _streamable()


def _snapshot(db) -> tuple[list, list, list]:
    with Corpus(db) as corpus:
        records = [r.model_dump(mode="json") for r in corpus.records()]
        sources = [(s.format, s.status, s.records, s.message) for s in corpus.sources()]
        failures = [(f.line, f.reason) for _, f in corpus.failures()]
    return records, sources, failures


@pytest.fixture
def streamed(monkeypatch):
    """Limits that stream every input, in pieces of about 3,000 characters."""
    monkeypatch.setattr(stream, "PIECE_CHARS", 3000)
    monkeypatch.setattr(stream, "BLOCK_BYTES", 1000)
    return Limits(stream_mb=0)


def test_several_formats_can_be_streamed():
    names = {formats.detect(textio.decode(p.read_bytes()).text, p.name).name for p in STREAMABLE}
    assert {"ris", "medline", "wos", "bibtex", "endnote-tagged", "noteexpress", "csv"} <= names


@pytest.mark.parametrize("path", STREAMABLE, ids=lambda p: p.name)
def test_streamed_equals_whole(path, tmp_path, monkeypatch):
    whole = tmp_path / "whole.db"
    litcorpus.ingest([path], db=whole)
    monkeypatch.setattr(stream, "PIECE_CHARS", 3000)
    monkeypatch.setattr(stream, "BLOCK_BYTES", 1000)
    pieces = tmp_path / "pieces.db"
    litcorpus.ingest([path], db=pieces, limits=Limits(stream_mb=0))
    assert _snapshot(pieces) == _snapshot(whole)


def test_failures_keep_their_lines_and_cp1252_is_seen_late(tmp_path, streamed):
    text = "".join(f"TY  - JOUR\nTI  - Title number {k}\nPY  - 2020\nER  - \n\n" for k in range(400))
    data = (text + "TY  - JOUR\nTI  - Caf\xe9 at the end\nER  - \n\nTY  - JOUR\nTI  - Cut off\n"
            ).encode("cp1252")
    path = tmp_path / "late.ris"
    path.write_bytes(data)
    report = litcorpus.ingest([path], db=tmp_path / "c.db", limits=streamed)
    [outcome] = report.outcomes
    assert outcome.status is Status.PARTLY_PARSED and outcome.records == 401
    assert "Windows-1252" in outcome.message
    with Corpus(tmp_path / "c.db") as corpus:
        records = list(corpus.records())
        [(_, failure)] = corpus.failures()
    assert records[400].title == "Café at the end"
    assert records[399].origins[0].line == 399 * 5 + 1
    assert failure.line == 400 * 5 + 4 + 1  # the cut-off record's TY line, after the 4-line one


def test_gzip_and_zip_members_are_streamed_without_unpacking(tmp_path, streamed):
    source = FIXTURES / "formats/medline-nbib/PubMed_example.txt"
    (tmp_path / "in").mkdir()
    with gzip.open(tmp_path / "in/pubmed.txt.gz", "wb") as handle:
        handle.write(source.read_bytes())
    with zipfile.ZipFile(tmp_path / "in/export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, "inner/pubmed.nbib")
    report = litcorpus.ingest([tmp_path / "in"], db=tmp_path / "c.db", limits=streamed)
    plain = litcorpus.ingest([source], db=tmp_path / "plain.db")
    names = sorted((o.file.removeprefix(str(tmp_path / "in") + "/"), o.member) for o in report.outcomes)
    assert names == [("export.zip", "inner/pubmed.nbib"), ("pubmed.txt.gz", "pubmed.txt")]
    assert [o.status for o in report.outcomes] == [Status.PARSED, Status.SKIPPED]  # same content
    assert report.outcomes[0].records == plain.outcomes[0].records == 3
    assert not list(tmp_path.glob("in/*.nbib")) and not list(tmp_path.glob("in/pubmed.txt"))


def test_a_decompression_bomb_is_refused(tmp_path, streamed):
    bomb = tmp_path / "bomb.ris.gz"
    record = b"TY  - JOUR\nTI  - The same title again\nER  - \n\n"
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        for _ in range(200):
            handle.write(record * 5000)
    assert bomb.stat().st_size * stream.MAX_UNPACK_RATIO < len(record) * 1_000_000
    report = litcorpus.ingest([bomb], db=tmp_path / "c.db", limits=streamed)
    [outcome] = report.outcomes
    assert outcome.status is Status.FAILED and "decompression bomb" in outcome.message
    with Corpus(tmp_path / "c.db") as corpus:
        assert corpus.count() == 0


def test_a_file_without_record_breaks_fails_with_a_reason(tmp_path, streamed, monkeypatch):
    monkeypatch.setattr(stream, "MAX_RECORD_CHARS", 10_000)
    path = tmp_path / "odd.ris"
    path.write_text("TY  - JOUR\nTI  - First\nER  - \n" + "N1  - a long note line\n" * 2000, "utf-8")
    [outcome] = litcorpus.ingest([path], db=tmp_path / "c.db", limits=streamed).outcomes
    assert outcome.status is Status.FAILED and "no line starting with 'TY  -'" in outcome.message


def test_formats_read_whole_still_obey_the_size_limit(tmp_path, monkeypatch):
    path = FIXTURES / "formats/pubmed-xml/pubmed2.xml"
    [outcome] = litcorpus.ingest([path], db=tmp_path / "c.db",
                                 limits=Limits(stream_mb=0, max_file_mb=0)).outcomes
    assert outcome.status is Status.SKIPPED and "LITCORPUS_MAX_FILE_MB" in outcome.message


def test_cli_streams_when_told_by_the_environment(tmp_path):
    import os
    import subprocess
    import sys

    source = FIXTURES / "formats/medline-nbib/PubMed_example.txt"
    env = {**os.environ, "LITCORPUS_STREAM_MB": "0"}
    db = tmp_path / "c.db"
    run = subprocess.run([sys.executable, "-m", "litcorpus", "ingest", str(source), "--db", str(db)],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    out = subprocess.run([sys.executable, "-m", "litcorpus", "export", "--format", "jsonl", "--db",
                          str(db)], capture_output=True, text=True)
    assert len([json.loads(line) for line in out.stdout.splitlines()]) == 3


def test_csv_rows_are_never_cut_inside_quotes(tmp_path, streamed):
    rows = [f'"Title {k}","An abstract\nthat spans ""quoted""\nlines {k}",{2000 + k % 20}'
            for k in range(300)]
    path = tmp_path / "table.csv"
    path.write_text("title,abstract,year\n" + "\n".join(rows) + "\n", "utf-8")
    [outcome] = litcorpus.ingest([path], db=tmp_path / "c.db", limits=streamed).outcomes
    assert outcome.status is Status.PARSED and outcome.records == 300
    with Corpus(tmp_path / "c.db") as corpus:
        records = list(corpus.records())
    assert [r.title for r in records] == [f"Title {k}" for k in range(300)]
    assert records[299].origins[0].line == 2 + 299 * 3
    whole = ingest_module.read(str(path), path.read_bytes())[1].records
    assert [r.abstract for r in records] == [r.abstract for r in whole]
    assert records[299].abstract == 'An abstract\nthat spans "quoted"\nlines 299'
    assert records[299].translations == {}  # short lines are too short to tell a language


def test_a_small_archive_of_a_large_file_is_streamed(tmp_path, monkeypatch):
    """The packed size says little: a 1 MB .gz or .zip can hold 100 MB of RIS."""
    streamed = []
    original = ingest_module._streamed
    monkeypatch.setattr(ingest_module, "_streamed",
                        lambda source, *rest: streamed.append(source.name) or original(source, *rest))
    record = "TY  - JOUR\nTI  - A title about integrated care number {}\nER  - \n\n"
    text = "".join(record.format(k) for k in range(40_000))
    assert len(text) > 2 << 20
    with gzip.open(tmp_path / "big.ris.gz", "wt", encoding="utf-8") as handle:
        handle.write(text)
    with zipfile.ZipFile(tmp_path / "big.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.ris", text.replace("integrated", "joined-up"))
    assert (tmp_path / "big.ris.gz").stat().st_size < 1 << 20
    report = litcorpus.ingest([tmp_path / "big.ris.gz", tmp_path / "big.zip"], db=tmp_path / "c.db",
                              limits=Limits(stream_mb=1))
    assert [o.records for o in report.outcomes] == [40_000, 40_000]
    assert sorted(n.rsplit("/", 1)[-1] for n in streamed) == ["big.ris.gz!big.ris", "big.zip!inner.ris"]
