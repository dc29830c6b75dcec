"""The store: its schema version, and a corpus written by an older litcorpus migrated on opening."""

from __future__ import annotations

import json
import sqlite3

import pytest

from litcorpus.corpus import SCHEMA_VERSION, Corpus
from litcorpus.errors import CorpusError

SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (id INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT, format TEXT,
    status TEXT NOT NULL, records INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL);
CREATE INDEX sources_sha ON sources (sha256);
CREATE TABLE records (id TEXT PRIMARY KEY, source INTEGER NOT NULL REFERENCES sources (id),
    seq INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX records_source ON records (source, seq);
CREATE TABLE failures (source INTEGER NOT NULL REFERENCES sources (id), line INTEGER,
    reason TEXT NOT NULL, raw TEXT NOT NULL DEFAULT '');
CREATE TABLE canonical (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE relevance (id TEXT PRIMARY KEY, decision TEXT NOT NULL, score REAL,
    reasons TEXT NOT NULL DEFAULT '[]', by_person INTEGER NOT NULL DEFAULT 0);
INSERT INTO meta VALUES ('schema', '1');
"""
"""The schema litcorpus wrote before schema versions moved (as corpus.py had it at version 1)."""

OLD_RECORD = {"id": "abc-1", "title": "Ambient PM<sub>10</sub> &amp;amp; care", "year": 2020,
              "date": "DEC 16", "doc_type": "journal article", "doi": "10.1037//0022-3514.83.4.817",
              "origins": [{"file": "/in/search.zip!wos.ris", "line": 3, "format": "ris/wos"}]}


def test_a_version_1_corpus_is_migrated_when_opened(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_1)
        conn.execute("INSERT INTO sources VALUES (1, '/in/search.zip!wos.ris', 'f00', 'ris', "
                     "'parsed', 1, '', '2025-01-01T00:00:00+00:00')")
        conn.execute("INSERT INTO records VALUES ('abc-1', 1, 0, ?)", (json.dumps(OLD_RECORD),))
        conn.execute("INSERT INTO canonical VALUES ('abc-1', ?)", (json.dumps(OLD_RECORD),))
    with Corpus(path) as corpus:
        [source] = corpus.sources()
        [record] = corpus.records()
        [canonical] = corpus.canonical_records()
        assert corpus.known_source("f00") == "/in/search.zip!wos.ris"
    assert (source.file, source.member) == ("/in/search.zip", "wos.ris")
    assert record == canonical
    assert (record.title, record.date, record.doc_type, record.doc_type_original, record.doi) == (
        "Ambient PM10 & care", "2020-12-16", "article-journal", "journal article",
        "10.1037/0022-3514.83.4.817")
    assert (record.origins[0].file, record.origins[0].member) == ("/in/search.zip", "wos.ris")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (
            str(SCHEMA_VERSION),)
    with Corpus(path) as corpus:  # opening again changes nothing
        assert list(corpus.records()) == [record]


def test_a_corpus_from_a_newer_litcorpus_is_refused(tmp_path):
    path = tmp_path / "new.db"
    with Corpus(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(CorpusError, match="upgrade litcorpus"):
        Corpus(path)


def test_a_new_corpus_has_the_current_schema(tmp_path):
    with Corpus(tmp_path / "c.db") as corpus:
        version = corpus.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
        columns = [row[1] for row in corpus.db.execute("PRAGMA table_info(sources)")]
    assert int(version) == SCHEMA_VERSION and "member" in columns


def test_a_corpus_left_in_wal_mode_keeps_its_records_and_becomes_one_file(tmp_path):
    """Earlier litcorpus wrote corpora in WAL mode; one that crashed left its last commits in the
    `-wal` file beside it. Opened now, nothing is lost and the corpus is one file again."""
    live, crashed = tmp_path / "live.db", tmp_path / "crashed.db"
    with Corpus(live):
        pass
    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")  # the commit below stays in the -wal file
    conn.execute("INSERT INTO sources (file, status, ingested_at) VALUES ('a.ris', 'parsed', 'x')")
    conn.execute("INSERT INTO records VALUES ('r-1', 1, 0, ?)",
                 (json.dumps({"id": "r-1", "title": "Kept", "origins": []}),))
    for suffix in ("", "-wal"):  # a copy while the writer is still open: as a crash leaves it
        (tmp_path / f"crashed.db{suffix}").write_bytes((tmp_path / f"live.db{suffix}").read_bytes())
    conn.close()
    assert (tmp_path / "crashed.db-wal").stat().st_size > 0
    with Corpus(crashed) as corpus:
        assert [r.title for r in corpus.records()] == ["Kept"]
    assert not (tmp_path / "crashed.db-wal").exists()
    with sqlite3.connect(crashed) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (1,)


def test_reading_a_corpus_does_not_write_to_it(tmp_path):
    """Opening a corpus of this version to read it changes nothing in the file (SQLite's change
    counter, bytes 24-27 of the header, stays), so readers, such as dedupe's forked children
    reading their share of the records, never wait for each other."""
    path = tmp_path / "c.db"
    with Corpus(path):
        pass
    counter = path.read_bytes()[24:28]
    with Corpus(path, create=False) as corpus:
        assert list(corpus.records()) == []
    assert path.read_bytes()[24:28] == counter
