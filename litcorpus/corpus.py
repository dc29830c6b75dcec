"""The embedded SQLite corpus: schema, transactions and queries. The corpus never parses.

Tables:
- meta: the schema version (`SCHEMA_VERSION`); an older corpus is migrated when opened.
- sources: one row per input file (or archive member: `member`) with its outcome.
- records: every parsed record as JSON, with the source it came from; never deleted by later stages.
- failures: the parts of files that could not be read, with line and reason.
- canonical: one row per record after dedupe (written by litcorpus.dedupe); empty before.
- relevance: the filter's decision per canonical record (written by litcorpus.relevance), and
  relevance_scores: the measurements behind each decision, as JSON.
- runs: the last run of each stage (dedupe, filter): when, which litcorpus, with what settings.
- dedupe_pairs, dedupe_decisions, dedupe_identifiers: every pair dedupe judged, with its verdict,
  rule and evidence; a person's decisions on pairs; the DOIs and PMIDs this corpus shows are
  issue- or book-level (written by litcorpus.dedupe).
Other stages add their own tables with `Corpus.ensure_schema`.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import NamedTuple

import orjson
from pydantic import BaseModel

from litcorpus.errors import CorpusError
from litcorpus.models import Failure, Record, SourceOutcome, Status

SCHEMA_VERSION = 3
"""1: the first corpora. 2: sources.database; runs; relevance_scores. 3: sources.member (an
archive member named apart from the file given); records normalised by one normaliser (ISO dates,
the doc_types vocabulary)."""
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
    ingested_at TEXT NOT NULL,
    database TEXT
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
CREATE TABLE IF NOT EXISTS relevance_scores (
    id TEXT PRIMARY KEY,
    scores TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    stage TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    version TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS dedupe_pairs (
    a TEXT NOT NULL, b TEXT NOT NULL, verdict TEXT NOT NULL, rule TEXT NOT NULL,
    evidence TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE IF NOT EXISTS dedupe_decisions (
    a TEXT NOT NULL, b TEXT NOT NULL, decision TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE IF NOT EXISTS dedupe_identifiers (
    identifier TEXT PRIMARY KEY, records INTEGER NOT NULL);
"""


_SCHEMA_NAMES = frozenset(re.findall(r"CREATE (?:TABLE|INDEX) IF NOT EXISTS (\w+)", SCHEMA))


DEDUPE_CACHE_KB = 65_536
"""SQLite's page cache while dedupe writes its pairs, at most (KiB): pair IDs (`abc123-1`, `-10`,
`-100` ...) do not arrive in text order, so their index pages are written all over the B-tree. A
million judged pairs took 7.3 s to write with SQLite's default cache (2 MB, spilled again and
again), 4.1 s with this one (BENCHMARKS.md). Pages are taken only as they are used. (Ingest of a
million records gained nothing from it, and kept 64 MB more.)"""


class Stored(NamedTuple):
    """A record already in its stored form (serialised by `to_json`, say in a child process)."""

    id: str
    data: str


def to_json(record: Record) -> str:
    """A record as the corpus stores it: JSON without the values left at their defaults."""
    return record.model_dump_json(exclude_defaults=True)


def values_json(values: dict) -> str:
    """`to_json(Record(**values))` without building the record: for values of the types their
    fields take (`normalize.values`), made by orjson at a fraction of the cost of validating a
    `Record` and serialising it. A value orjson does not take (a lone surrogate, an integer over
    64 bits) goes the long way, and pydantic says what is wrong with it."""
    plain = {}
    for name in sorted(values, key=_RECORD_ORDER.__getitem__):
        value = values[name]
        default = _RECORD_DEFAULTS[name]
        if value is default or value == default:
            continue
        if name in _MODEL_LISTS:
            value = [_model_values(item) for item in value]
        plain[name] = value
    try:
        return orjson.dumps(plain).decode()
    except (TypeError, orjson.JSONEncodeError):
        return to_json(Record(**values))


def _model_values(model: BaseModel) -> dict:
    """What `exclude_defaults` keeps of a model without models inside (`Origin`, `Author`)."""
    values = model.__dict__
    return {name: values[name] for name, required, default in _fields(type(model))
            if required or values[name] != default}


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, bool, object], ...]:
    """(name, whether required, default) of each field of a model, in order."""
    return tuple((name, info.is_required(), info.get_default(call_default_factory=True))
                 for name, info in model.model_fields.items())


_RECORD_ORDER = {name: n for n, name in enumerate(Record.model_fields)}
_RECORD_DEFAULTS = {name: info.get_default(call_default_factory=True)
                    for name, info in Record.model_fields.items()}
_MODEL_LISTS = frozenset(("authors", "origins"))
"""The fields of a `Record` that hold models (`Author`, `Origin`)."""


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
        # A rollback journal, synced in full: a new record is written once, straight into the
        # file, where WAL writes it twice (the log, then the checkpoint when the corpus closes: 70 ms
        # of a 3,700-record ingest, BENCHMARKS.md). No commit is lost to a power cut, which WAL
        # with NORMAL allowed. Readers read side by side; they wait (busy timeout) only while a
        # writer holds the file to commit, or to spill a large transaction to it.
        self.db.execute("PRAGMA journal_mode = DELETE")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("PRAGMA foreign_keys = ON")
        if self._current():
            return  # nothing to create or migrate: opening takes no write lock
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

    def _current(self) -> bool:
        """Whether the file holds this litcorpus's schema already, every table and index of it
        (read without a write lock, so that a reader, such as a forked child reading its share of
        the records, never waits for another reader)."""
        names = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master")}
        if not _SCHEMA_NAMES <= names:
            return False
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return row is not None and row[0] == str(SCHEMA_VERSION)

    def _migrate(self, version: int) -> None:
        """Bring a corpus written by an older litcorpus to SCHEMA_VERSION, in the open transaction
        (new tables come with SCHEMA's CREATE ... IF NOT EXISTS after this)."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(sources)")}
        if version < 2 and "database" not in columns:
            self.db.execute("ALTER TABLE sources ADD COLUMN database TEXT")
        if version < 3:
            from litcorpus import normalize  # records are made canonical again: a store migration

            if "member" not in columns:
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
                "ingested_at, database) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (outcome.file, outcome.member, outcome.sha256, outcome.format, outcome.status.value,
                 outcome.records, outcome.message, now, outcome.database))
            source = cur.lastrowid
            db.executemany(
                "INSERT OR IGNORE INTO records (id, source, seq, data) VALUES (?, ?, ?, ?)",
                ((r.id, source, i, r.data if isinstance(r, Stored) else to_json(r))
                 for i, r in enumerate(records)))
            db.executemany("INSERT INTO failures (source, line, reason, raw) VALUES (?, ?, ?, ?)",
                           ((source, f.line, f.reason, f.raw[:2000]) for f in failures))
            if finish is not None:
                final = finish()
                db.execute("UPDATE sources SET format = ?, status = ?, records = ?, message = ?, "
                           "database = ? WHERE id = ?", (final.format, final.status.value,
                                                         final.records, final.message,
                                                         final.database, source))

    def sources(self) -> list[SourceOutcome]:
        """Every input file's outcome, in ingest order."""
        rows = self.db.execute("SELECT file, member, format, status, records, message, sha256, "
                               "database FROM sources ORDER BY id")
        return [SourceOutcome(file=f, member=mb, format=fmt, status=Status(s), records=n, message=m,
                              sha256=h, database=d) for f, mb, fmt, s, n, m, h, d in rows]

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

    # relevance (written by litcorpus.relevance) ------------------------------------------

    def relevance(self) -> dict[str, dict]:
        """The filter's decision per record ID: {"decision", "score", "reasons", "by_person",
        "scores"} (`scores`: the measurements behind a filter decision, {} for a person's)."""
        rows = self.db.execute("SELECT r.id, r.decision, r.score, r.reasons, r.by_person, s.scores "
                               "FROM relevance r LEFT JOIN relevance_scores s ON s.id = r.id")
        return {i: {"decision": d, "score": s, "reasons": json.loads(r), "by_person": bool(p),
                    "scores": json.loads(m) if m and not p else {}}
                for i, d, s, r, p, m in rows}

    def decided_by_person(self) -> dict[str, str]:
        """The decisions a person set, by record ID; the filter never overwrites them."""
        return dict(self.db.execute("SELECT id, decision FROM relevance WHERE by_person = 1"))

    def store_relevance(self, rows: Iterable[tuple[str, str, float, list[str], dict]]) -> None:
        """Replace the filter's decisions with `rows` of (id, decision, score, reasons, scores);
        a person's decisions stay as they are."""
        with self.transaction() as db:
            db.execute("DELETE FROM relevance_scores WHERE id IN "
                       "(SELECT id FROM relevance WHERE by_person = 0)")
            db.execute("DELETE FROM relevance WHERE by_person = 0")
            for record_id, decision, score, reasons, scores in rows:
                db.execute("INSERT OR IGNORE INTO relevance VALUES (?, ?, ?, ?, 0)",
                           (record_id, decision, score, json.dumps(reasons)))
                db.execute("INSERT OR REPLACE INTO relevance_scores VALUES (?, ?)",
                           (record_id, json.dumps(scores)))

    def set_person_decision(self, record_id: str, decision: str) -> None:
        """A person's decision for one record: final, later filter runs keep it."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO relevance VALUES (?, ?, NULL, ?, 1)",
                       (record_id, decision, json.dumps(["decided by a person"])))

    # runs and what the report reads ------------------------------------------------------

    def record_run(self, stage: str, settings: dict) -> None:
        """Remember the last run of a stage (`dedupe`, `filter`): when, which litcorpus version,
        with which settings (JSON; the filter's profile among them)."""
        from litcorpus import __version__

        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO runs (stage, at, version, settings) VALUES (?, ?, ?, ?)",
                       (stage, now, __version__, json.dumps(settings, ensure_ascii=False, default=str)))

    def runs(self) -> dict[str, dict]:
        """The last run of each stage: {stage: {"at", "version", "settings"}}."""
        rows = self.db.execute("SELECT stage, at, version, settings FROM runs ORDER BY at")
        return {stage: {"at": at, "version": version, "settings": json.loads(settings)}
                for stage, at, version, settings in rows}

    def canonical_count(self) -> int:
        """Number of records after dedupe (every record when dedupe has not run)."""
        if not self.has_canonical():
            return self.count()
        return self.db.execute("SELECT COUNT(*) FROM canonical").fetchone()[0]

    def record_databases(self) -> dict[str, str]:
        """Record ID -> the database (or kind of file) its input came from; the format's name for
        inputs stored without one."""
        rows = self.db.execute("SELECT r.id, s.database, s.format FROM records r "
                               "JOIN sources s ON s.id = r.source")
        return {rid: database or fmt or "" for rid, database, fmt in rows}

    def _has_table(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (name,)).fetchone() is not None

    def dedupe_pairs(self, verdict: str) -> list[tuple[str, str, str, dict]]:
        """Dedupe's judged pairs with `verdict` (`match`, `maybe`, `distinct`, `linked`) as
        (a, b, rule, evidence); for `maybe`, only those no person has decided yet. Empty when
        dedupe never ran."""
        if not self._has_table("dedupe_pairs"):
            return []
        sql = "SELECT p.a, p.b, p.rule, p.evidence FROM dedupe_pairs p"
        if verdict == "maybe" and self._has_table("dedupe_decisions"):
            sql += (" LEFT JOIN dedupe_decisions d ON d.a = p.a AND d.b = p.b"
                    " WHERE d.decision IS NULL AND")
        else:
            sql += " WHERE"
        rows = self.db.execute(sql + " p.verdict = ? ORDER BY p.a, p.b", (verdict,))
        return [(a, b, rule, json.loads(evidence)) for a, b, rule, evidence in rows]

    def ingest_dates(self) -> tuple[str, str] | None:
        """When the first and the last input were ingested (ISO, UTC), or None when none was."""
        row = self.db.execute("SELECT MIN(ingested_at), MAX(ingested_at) FROM sources").fetchone()
        return (row[0], row[1]) if row[0] else None

    # dedupe ------------------------------------------------------------------------------

    def dedupe_decisions(self) -> list[tuple[str, str, str]]:
        """A person's decisions on pairs: (a, b, `duplicate` or `distinct`), a < b."""
        return self.db.execute("SELECT a, b, decision FROM dedupe_decisions ORDER BY a, b").fetchall()

    def set_dedupe_decisions(self, decisions: Iterable[tuple[str, str, str]]) -> None:
        """Store (a, b, decision) rows at once; a later decision on a pair replaces the earlier."""
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO dedupe_decisions VALUES (?, ?, ?)",
                           (tuple(sorted((a, b))) + (d,) for a, b, d in decisions))

    def record_bounds(self, parts: int) -> list[tuple[int, int] | None]:
        """Where each of `parts` runs of about equal length of the records in ingest order starts,
        as (source, seq); None for the first (see `records_between`)."""
        total = self.count()
        bounds: list[tuple[int, int] | None] = [None]
        for k in range(1, parts):
            row = self.db.execute("SELECT source, seq FROM records ORDER BY source, seq "
                                  "LIMIT 1 OFFSET ?", (total * k // parts,)).fetchone()
            bounds.append(tuple(row) if row else (2**62, 0))
        return bounds

    def records_between(self, start: tuple[int, int] | None,
                        stop: tuple[int, int] | None) -> Iterator[Record]:
        """The parsed records from (source, seq) `start` up to, not including, `stop` (None: from
        the first, to the last), in ingest order."""
        where, args = [], []
        if start is not None:
            where.append("(source, seq) >= (?, ?)")
            args.extend(start)
        if stop is not None:
            where.append("(source, seq) < (?, ?)")
            args.extend(stop)
        sql = ("SELECT data FROM records" + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY source, seq")
        for (data,) in self.db.execute(sql, args):
            yield Record.model_validate_json(data)

    def record_rows(self) -> Iterator[Stored]:
        """Every parsed record as stored (ID and JSON, not parsed), in ingest order."""
        for rid, data in self.db.execute("SELECT id, data FROM records ORDER BY source, seq"):
            yield Stored(rid, data)

    def records_by_id(self, ids: list[str]) -> list[Record]:
        """The parsed records with these IDs, in the order of `ids` (missing ones left out)."""
        found: dict[str, Record] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for rid, data in self.db.execute(f"SELECT id, data FROM records WHERE id IN ({marks})",
                                             chunk):
                found[rid] = Record.model_validate_json(data)
        return [found[rid] for rid in ids if rid in found]

    def write_dedupe(self, pairs: Iterable[tuple[str, str, str, str, str]],
                     canonical: Iterable[Record | Stored], demoted: dict[str, int] | None = None) -> None:
        """Replace dedupe's output: judged pairs (a, b, verdict, rule, evidence JSON), the
        canonical records (a record alone may come as stored, `Stored`) and the demoted
        identifiers (identifier -> records), in one transaction. `pairs` and `canonical` may be
        generators that read the corpus as they go (dedupe writes clusters as they finish)."""
        cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute(f"PRAGMA cache_size = -{DEDUPE_CACHE_KB}")
        try:
            with self.transaction() as db:
                db.execute("DELETE FROM canonical")
                db.execute("DELETE FROM dedupe_pairs")
                db.execute("DELETE FROM dedupe_identifiers")
                db.executemany("INSERT OR REPLACE INTO dedupe_pairs VALUES (?, ?, ?, ?, ?)", pairs)
                db.executemany("INSERT INTO dedupe_identifiers VALUES (?, ?)",
                               sorted((demoted or {}).items()))
                db.executemany("INSERT INTO canonical (id, data) VALUES (?, ?)",
                               (c if isinstance(c, Stored) else (c.id, to_json(c))
                                for c in canonical))
        finally:
            self.db.execute(f"PRAGMA cache_size = {cache}")

    def reset_dedupe(self) -> None:
        """Remove every merge and judged pair; a person's decisions stay."""
        with self.transaction() as db:
            db.execute("DELETE FROM canonical")
            db.execute("DELETE FROM dedupe_pairs")
            db.execute("DELETE FROM dedupe_identifiers")

    def demoted_identifiers(self, identifiers: list[str]) -> dict[str, int]:
        """Those of `identifiers` that dedupe found issue- or book-level, with how many records
        carry each."""
        marks = ",".join("?" * len(identifiers))
        return dict(self.db.execute(f"SELECT identifier, records FROM dedupe_identifiers WHERE "
                                    f"identifier IN ({marks})", identifiers)) if identifiers else {}

    def judged_pairs(self, ids: list[str], *, touching: bool = False) -> list[tuple]:
        """Judged pairs (a, b, verdict, rule, evidence JSON) with both records among `ids`, or
        with either when `touching`."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        join = "OR" if touching else "AND"
        return self.db.execute(
            f"SELECT a, b, verdict, rule, evidence FROM dedupe_pairs WHERE a IN ({marks}) {join} "
            f"b IN ({marks}) ORDER BY a, b", ids + ids).fetchall()
