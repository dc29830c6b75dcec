"""The embedded SQLite corpus: schema, transactions and queries. The corpus never parses.

Tables:
- meta: the schema version (`SCHEMA_VERSION`); an older corpus is migrated when opened.
- sources: one row per input file (or archive member: `member`) with its outcome.
- records: every parsed record as JSON, with the source it came from; never deleted by later stages.
- failures: the parts of files that could not be read, with line and reason.
- canonical: one row per record after dedupe (written by litcorpus.dedupe); empty before.
- relevance: the filter's decision per canonical record (written by litcorpus.relevance).
Other stages add their own tables with `Corpus.ensure_schema`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from litcorpus.errors import CorpusError
from litcorpus.models import Failure, Record, SourceOutcome, Status

SCHEMA_VERSION = 2
"""1: the first corpora. 2: sources.member (an archive member named apart from the file given);
records normalised by one normaliser (ISO dates, the doc_types vocabulary)."""
DEFAULT_DB = "litcorpus.db"
ENV_DB = "LITCORPUS_DB"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    member TEXT,
    sha256 TEXT,
    format TEXT,
    status TEXT NOT NULL,
    records INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_sha ON sources (sha256);
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES sources (id),
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_source ON records (source, seq);
CREATE TABLE IF NOT EXISTS failures (
    source INTEGER NOT NULL REFERENCES sources (id),
    line INTEGER,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS canonical (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS relevance (
    id TEXT PRIMARY KEY,
    decision TEXT NOT NULL,
    score REAL,
    reasons TEXT NOT NULL DEFAULT '[]',
    by_person INTEGER NOT NULL DEFAULT 0
);
"""


class Stored(NamedTuple):
    """A record already in its stored form (serialised by `to_json`, say in a child process)."""

    id: str
    data: str


def to_json(record: Record) -> str:
    """A record as the corpus stores it: JSON without the values left at their defaults."""
    return record.model_dump_json(exclude_defaults=True)


def with_id(data: str, record_id: str) -> str:
    """`to_json` of a record that had no ID yet, with `record_id` first, where `to_json` puts it."""
    return '{"id":' + json.dumps(record_id) + ("," + data[1:] if data != "{}" else "}")


def default_path() -> Path:
    """`$LITCORPUS_DB` when set, else `litcorpus.db` in the current folder."""
    return Path(os.environ.get(ENV_DB) or DEFAULT_DB)


class Corpus:
    """A corpus file. Use as a context manager; writes happen in short transactions."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.path = Path(path) if path else default_path()
        if not create and not self.path.exists():
            raise CorpusError(f"no corpus at {self.path}",
                              "run 'litcorpus ingest FOLDER' first, or pass --db PATH")
        deadline = time.monotonic() + 60
        while True:
            try:
                self._open()
                return
            except sqlite3.OperationalError as exc:
                # another litcorpus run is creating or migrating the same file: wait for it
                if getattr(self, "db", None) is not None:
                    self.db.close()
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise CorpusError(f"cannot open corpus {self.path}: {exc}",
                                      "wait for the other litcorpus run to finish") from None
                time.sleep(0.1)
            except sqlite3.DatabaseError as exc:
                raise CorpusError(f"cannot open corpus {self.path}: {exc}",
                                  "check that the path is a litcorpus corpus") from None

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA busy_timeout = 60000")
        # Records are stored as JSON of a few KB: 16 KB pages (taken only by a new file) mean fewer
        # pages to write and checkpoint, 3-7 ms of a 1,000-1,500-record ingest (BENCHMARKS.md).
        self.db.execute("PRAGMA page_size = 16384")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        with self.transaction():
            found = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                    "name = 'meta'").fetchone() and self.db.execute(
                "SELECT value FROM meta WHERE key = 'schema'").fetchone()
            version = int(found[0]) if found else None
            if version is not None and version > SCHEMA_VERSION:
                raise CorpusError(f"{self.path} has corpus schema {version}, this litcorpus "
                                  f"reads up to {SCHEMA_VERSION}", "upgrade litcorpus")
            if version is not None and version < SCHEMA_VERSION:
                self._migrate(version)
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    def _migrate(self, version: int) -> None:
        """Bring a corpus written by an older litcorpus to SCHEMA_VERSION, in the open transaction."""
        if version < 2:
            from litcorpus import normalize  # records are made canonical again: a store migration

            self.db.execute("ALTER TABLE sources ADD COLUMN member TEXT")
            renamed = self.db.execute("SELECT id, file FROM sources WHERE file LIKE '%!%'").fetchall()
            for source, name in renamed:  # `archive.zip!member.ris` -> file and member apart
                file, _, member = name.partition("!")
                self.db.execute("UPDATE sources SET file = ?, member = ? WHERE id = ?",
                                (file, member, source))
            for table in ("records", "canonical"):
                rows = self.db.execute(f"SELECT rowid, data FROM {table}").fetchall()
                for rowid, data in rows:
                    record = normalize.fix_record(Record.model_validate_json(data))
                    for origin in record.origins:
                        if "!" in origin.file and origin.member is None:
                            origin.file, _, origin.member = origin.file.partition("!")
                    self.db.execute(f"UPDATE {table} SET data = ? WHERE rowid = ?",
                                    (to_json(record), rowid))

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT; a concurrent writer waits (busy timeout) instead of failing."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise CorpusError(f"corpus {self.path} is busy: {exc}",
                              "another litcorpus run is writing; try again when it ends") from None
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def ensure_schema(self, sql: str) -> None:
        """Create a stage's own tables if they are missing (CREATE ... IF NOT EXISTS statements)."""
        self.db.executescript(sql)

    # sources -----------------------------------------------------------------------------

    def known_source(self, sha256: str) -> str | None:
        """The name (`file`, or `file!member`) of an already ingested input with this content
        hash, if any."""
        row = self.db.execute(
            "SELECT file, member FROM sources WHERE sha256 = ? AND status IN ('parsed', "
            "'partly parsed') ORDER BY id LIMIT 1", (sha256,)).fetchone()
        return (f"{row[0]}!{row[1]}" if row[1] else row[0]) if row else None

    def add_source(self, outcome: SourceOutcome, records: Iterable[Record | Stored] = (),
                   failures: Iterable[Failure] = (),
                   finish: Callable[[], SourceOutcome] | None = None) -> None:
        """Store one file's outcome, records and failures atomically.

        `records` may be a generator that parses as it goes (a large file read in pieces); then
        `finish()`, called once every record and failure is written, gives the final outcome.
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as db:
            same = "file = ? AND member IS ? AND status IN ('failed', 'skipped')"
            db.execute(f"DELETE FROM failures WHERE source IN (SELECT id FROM sources WHERE {same})",
                       (outcome.file, outcome.member))
            db.execute(f"DELETE FROM sources WHERE {same}", (outcome.file, outcome.member))
            cur = db.execute(
                "INSERT INTO sources (file, member, sha256, format, status, records, message, "
                "ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (outcome.file, outcome.member, outcome.sha256, outcome.format, outcome.status.value,
                 outcome.records, outcome.message, now))
            source = cur.lastrowid
            db.executemany(
                "INSERT OR IGNORE INTO records (id, source, seq, data) VALUES (?, ?, ?, ?)",
                ((r.id, source, i, r.data if isinstance(r, Stored) else to_json(r))
                 for i, r in enumerate(records)))
            db.executemany("INSERT INTO failures (source, line, reason, raw) VALUES (?, ?, ?, ?)",
                           ((source, f.line, f.reason, f.raw[:2000]) for f in failures))
            if finish is not None:
                final = finish()
                db.execute("UPDATE sources SET format = ?, status = ?, records = ?, message = ? "
                           "WHERE id = ?", (final.format, final.status.value, final.records,
                                            final.message, source))

    def sources(self) -> list[SourceOutcome]:
        """Every input file's outcome, in ingest order."""
        rows = self.db.execute(
            "SELECT file, member, format, status, records, message, sha256 FROM sources ORDER BY id")
        return [SourceOutcome(file=f, member=mb, format=fmt, status=Status(s), records=n, message=m,
                              sha256=h) for f, mb, fmt, s, n, m, h in rows]

    def failures(self) -> list[tuple[str, Failure]]:
        """Every unreadable part of a file, with the file's name (`file!member` for a member)."""
        rows = self.db.execute("SELECT s.file, s.member, f.line, f.reason, f.raw FROM failures f "
                               "JOIN sources s ON s.id = f.source ORDER BY f.rowid")
        return [(f"{file}!{member}" if member else file, Failure(line=line, reason=reason, raw=raw))
                for file, member, line, reason, raw in rows]

    # records -----------------------------------------------------------------------------

    def count(self) -> int:
        """Number of parsed records (before dedupe)."""
        return self.db.execute("SELECT COUNT(*) FROM records").fetchone()[0]

    def records(self) -> Iterator[Record]:
        """Every parsed record, in ingest order."""
        for (data,) in self.db.execute("SELECT data FROM records ORDER BY source, seq"):
            yield Record.model_validate_json(data)

    def record(self, record_id: str) -> Record | None:
        """One parsed record by ID."""
        row = self.db.execute("SELECT data FROM records WHERE id = ?", (record_id,)).fetchone()
        return Record.model_validate_json(row[0]) if row else None

    def has_canonical(self) -> bool:
        """Whether dedupe has written canonical records."""
        return self.db.execute("SELECT 1 FROM canonical LIMIT 1").fetchone() is not None

    def canonical_records(self) -> Iterator[Record]:
        """The records after dedupe (one per cluster), or every record when dedupe has not run."""
        if not self.has_canonical():
            yield from self.records()
            return
        for (data,) in self.db.execute("SELECT data FROM canonical ORDER BY rowid"):
            yield Record.model_validate_json(data)

    def relevance(self) -> dict[str, dict]:
        """The filter's decision per record ID: {"decision", "score", "reasons", "by_person"}."""
        rows = self.db.execute("SELECT id, decision, score, reasons, by_person FROM relevance")
        return {i: {"decision": d, "score": s, "reasons": json.loads(r), "by_person": bool(p)}
                for i, d, s, r, p in rows}
