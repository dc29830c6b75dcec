"""One ingest path: files of a folder and pieces of a large file alike, archives named as given,
binary formats plugged into the same registry."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import zipfile

import pytest

import litcorpus
from litcorpus import formats, intake, parallel, stream
from litcorpus.models import Origin, ParseResult, RawRecord, Status
from tests.conftest import FIXTURES

RIS = (FIXTURES / "formats/ris-scopus/Scopus_ris_example.ris").read_bytes()


def _stored(db) -> tuple[list, list, list]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT id, seq, data FROM records ORDER BY rowid").fetchall(),
                conn.execute("SELECT file, member, sha256, format, status, records, message "
                             "FROM sources ORDER BY id").fetchall(),
                conn.execute("SELECT line, reason, raw FROM failures ORDER BY rowid").fetchall())


def test_the_files_of_a_folder_are_parsed_on_several_cores_into_the_same_corpus(tmp_path, monkeypatch):
    forks = []
    start = parallel._start
    monkeypatch.setattr(parallel, "_start", lambda work, item: forks.append(1) or start(work, item))
    folder = FIXTURES / "formats"
    litcorpus.ingest([folder], db=tmp_path / "one.db", jobs=1)
    assert not forks
    litcorpus.ingest([folder], db=tmp_path / "two.db", jobs=2)
    if parallel.can_fork():
        assert forks, "bundles of small files went to a child process"
    assert _stored(tmp_path / "two.db") == _stored(tmp_path / "one.db")


def test_one_unreadable_stream_fails_its_file_only(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "MAX_RECORD_CHARS", 10_000)
    monkeypatch.setattr(stream, "PIECE_CHARS", 3000)
    (tmp_path / "in").mkdir()
    (tmp_path / "in/a_odd.ris").write_text("TY  - JOUR\nTI  - First\nER  - \n" + "N1  - note\n" * 3000)
    (tmp_path / "in/b_good.ris").write_bytes(RIS)
    report = litcorpus.ingest([tmp_path / "in"], db=tmp_path / "c.db",
                              limits=litcorpus.Limits(stream_mb=0))
    assert [o.status for o in report.outcomes] == [Status.FAILED, Status.PARSED]
    assert report.outcomes[1].records == 3


def test_the_same_bytes_twice_in_one_run_get_the_same_outcome(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("a.xml", "b.xml"):
        (tmp_path / "in" / name).write_bytes(b"<PubmedArticleSet><oops")
    for name in ("c.ris", "d.ris"):
        (tmp_path / "in" / name).write_bytes(RIS)
    outcomes = litcorpus.ingest([tmp_path / "in"], db=tmp_path / "x.db").outcomes
    assert [o.status for o in outcomes] == [Status.FAILED, Status.FAILED, Status.PARSED,
                                            Status.SKIPPED]
    assert outcomes[0].message == outcomes[1].message
    assert outcomes[3].message == f"same content as {tmp_path / 'in/c.ris'}, already in the corpus"


def test_files_in_archives_are_reported_under_the_path_given_with_their_member(tmp_path):
    """Issue 17.3: `file` is the path the person gave; the member has a key of its own."""
    archive = tmp_path / "search.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("scopus/export.ris", RIS)
    gz = tmp_path / "wos.txt.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "formats/wos-plaintext/WoS_txt_example.txt").read_bytes()))
    db = tmp_path / "c.db"
    litcorpus.ingest([archive, gz], db=db)
    out = io.StringIO()
    litcorpus.export("sources", out, db=db)
    sources = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(s["file"], s["member"], s["records"]) for s in sources] == [
        (str(archive), "scopus/export.ris", 3), (str(gz), "wos.txt", 4)]
    out = io.StringIO()
    litcorpus.export("jsonl", out, db=db)
    origins = {(o["file"], o["member"]) for line in out.getvalue().splitlines()
               for o in json.loads(line)["origins"]}
    assert origins == {(str(archive), "scopus/export.ris"), (str(gz), "wos.txt")}


def test_a_streamed_gz_names_its_member_too(tmp_path):
    gz = tmp_path / "big.ris.gz"
    gz.write_bytes(gzip.compress(RIS))
    [outcome] = litcorpus.ingest([gz], db=tmp_path / "c.db", limits=litcorpus.Limits(stream_mb=0)).outcomes
    assert (outcome.file, outcome.member, outcome.records) == (str(gz), "big.ris", 3)


def test_format_detection_reads_the_same_opening_text_on_every_path(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "SNIFF_CHARS", 500)
    monkeypatch.setattr(stream, "PIECE_CHARS", 3000)
    late = tmp_path / "late.ris"
    late.write_bytes(b"Exported records follow.\n" * 40 + RIS)  # the RIS starts after 1,000 chars
    for limits in (litcorpus.Limits(), litcorpus.Limits(stream_mb=0)):
        [outcome] = litcorpus.ingest([late], db=tmp_path / f"{limits.stream_mb}.db", limits=limits).outcomes
        assert outcome.status is Status.FAILED and "not recognised" in outcome.message
    monkeypatch.setattr(formats, "SNIFF_CHARS", 1 << 20)
    for limits in (litcorpus.Limits(), litcorpus.Limits(stream_mb=0)):
        [outcome] = litcorpus.ingest([late], db=tmp_path / f"x{limits.stream_mb}.db", limits=limits).outcomes
        assert outcome.format == "ris" and outcome.records == 3


@pytest.fixture
def fake_binary(monkeypatch):
    """A binary format in the registry, as PDF plugs in: told by magic bytes, parsed from bytes."""
    def parse_bytes(data: bytes, name: str) -> ParseResult:
        title = data.split(b"\n", 1)[1].decode().strip()
        return ParseResult(records=[RawRecord(title=title, doc_type=["Journal Article"],
                                              origins=[Origin(file=name, line=1, format="fake")])])

    fake = formats.Format("fake", sniff=lambda text, name: 0.0, parse=None, binary=True,
                          sniff_bytes=lambda head, name: 1.0 if head.startswith(b"%FAKE") else 0.0,
                          parse_bytes=parse_bytes)
    found = {**formats.registry(), "fake": fake}
    monkeypatch.setattr(formats, "registry", lambda: found)


def test_a_binary_format_plugs_into_the_same_path(tmp_path, fake_binary):
    (tmp_path / "in").mkdir()
    (tmp_path / "in/paper.fake").write_bytes(b"%FAKE\x00\x01\nA title &amp; more\n\x00")
    with zipfile.ZipFile(tmp_path / "in/papers.zip", "w") as handle:
        handle.writestr("second.fake", b"%FAKE\x00\x02\nAnother title\n")
    report = litcorpus.ingest([tmp_path / "in"], db=tmp_path / "c.db", jobs=2)
    assert [(o.format, o.member, o.records) for o in report.outcomes] == [
        ("fake", None, 1), ("fake", "second.fake", 1)]
    with litcorpus.open(tmp_path / "c.db") as corpus:
        titles = [(r.title, r.doc_type, r.origins[0].member) for r in corpus.records()]
    assert titles == [("A title & more", "article-journal", None),
                      ("Another title", "article-journal", "second.fake")]


def test_read_gives_what_ingest_stores():
    path = FIXTURES / "formats/medline-nbib/PubMed_example.txt"
    outcome, result = intake.read(path.name, path.read_bytes())
    assert outcome.status is Status.PARSED and outcome.records == len(result.records) == 3
    assert all(r.date and r.doc_type == "article-journal" for r in result.records)


def test_ingest_stores_each_record_as_pydantic_would_serialise_it():
    """Ingest writes a parsed record's JSON from its values, without building the `Record`
    (`intake.stored`): on every fixture export, the same text as `to_json` of the record `read`
    gives (field order, defaults left out, characters outside ASCII, translations split off)."""
    from litcorpus.corpus import to_json

    checked = 0
    for path in sorted((FIXTURES / "formats").rglob("*")):
        if not path.is_file() or path.suffix == ".md":
            continue
        data = path.read_bytes()
        _, result = intake.read(path.name, data)
        source = intake._in_memory(intake.Source(path.name), data, jobs=1)
        rows = [row for piece in source.pieces for row in intake._parse_piece(piece)[0]]
        assert rows == [to_json(record) for record in result.records], path.name
        checked += len(rows)
    assert checked > 1000


def test_stored_values_keep_what_pydantic_keeps():
    from litcorpus.corpus import to_json, values_json
    from litcorpus.models import Author, Kind, Record

    origin = Origin(file="a.ris", format="RIS", line=3)
    values = {"origins": [origin], "kind": Kind.EXPORT_RECORD, "language": None, "year": 2020,
              "title": "Caf\u00e9 \u201cquoted\u201d\n\x01", "authors": [Author(family="Li")],
              "translations": {"de": "Ein Text"}, "keywords": []}
    assert values_json(values) == to_json(Record(**values))
    assert values_json({"kind": Kind.ABSTRACT, "origins": []}) == '{"kind":"abstract"}'
    with pytest.raises(Exception, match="surrogates"):  # what pydantic says of a lone surrogate
        values_json({"title": "a\ud800b", "origins": []})
