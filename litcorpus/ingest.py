"""Walk paths -> read -> decode -> detect -> parse -> normalise -> store, one file at a time.

Every input file ends with an outcome (parsed, partly parsed, failed, skipped) and a one-line
reason; one file's failure never stops the others, and each file is stored in one transaction.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from litcorpus import formats, language, normalize, textio
from litcorpus.corpus import Corpus
from litcorpus.errors import LitcorpusError
from litcorpus.models import Failure, ParseResult, Record, SourceOutcome, Status

MAX_FILE_MB = int(os.environ.get("LITCORPUS_MAX_FILE_MB", "1024"))
"""Files larger than this are skipped with a reason: they are read whole, not streamed."""

Progress = Callable[[str, int, int], None]
"""progress(file name, files done, files in all)"""


@dataclass
class IngestReport:
    """What one ingest run did, file by file."""

    outcomes: list[SourceOutcome] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(o.records for o in self.outcomes)

    def by_status(self) -> Counter:
        return Counter(o.status.value for o in self.outcomes)

    def by_format(self) -> dict[str, tuple[int, int]]:
        """format -> (files, records) for the files that gave records."""
        table: dict[str, list[int]] = {}
        for outcome in self.outcomes:
            if outcome.status in (Status.PARSED, Status.PARTLY_PARSED):
                row = table.setdefault(outcome.format or "?", [0, 0])
                row[0] += 1
                row[1] += outcome.records
        return {k: (v[0], v[1]) for k, v in sorted(table.items())}

    def problems(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status is not Status.PARSED]


def walk(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """Files under `paths`, sorted, with a reason when a path must be skipped.

    Folders are walked recursively without following folder links (no loops); hidden folders
    are not entered; hidden files are yielded with a reason.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    yield from _check(Path(folder) / name)
        else:
            yield from _check(path)


def _check(path: Path) -> Iterator[tuple[Path, str | None]]:
    if path.name.startswith("."):
        yield path, "hidden file"
    elif path.is_symlink() and not path.exists():
        yield path, "broken or looping symbolic link"
    elif not path.exists():
        yield path, "no such file"
    elif not path.is_file():
        yield path, "not a regular file"
    else:
        yield path, None


def ingest(paths: Iterable[str | Path], corpus: Corpus, progress: Progress | None = None
           ) -> IngestReport:
    """Ingest files and folders into `corpus`; returns the outcome of every file."""
    report = IngestReport()
    found = list(walk(paths))
    for done, (path, skip_reason) in enumerate(found):
        name = str(path)
        if progress:
            progress(name, done, len(found))
        if skip_reason:
            outcome = SourceOutcome(file=name, status=Status.SKIPPED, message=skip_reason)
            corpus.add_source(outcome)
            report.outcomes.append(outcome)
            continue
        report.outcomes.extend(ingest_file(path, corpus, name))
    if progress:
        progress("", len(found), len(found))
    return report


def ingest_file(path: Path, corpus: Corpus, name: str | None = None) -> list[SourceOutcome]:
    """Ingest one file (each member of an archive separately) and return the outcomes."""
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_MB * 1024 * 1024:
            outcome = SourceOutcome(
                file=name, status=Status.SKIPPED,
                message=f"{size / 2**20:.0f} MB is over the {MAX_FILE_MB} MB limit; split the "
                        "export or set LITCORPUS_MAX_FILE_MB")
            corpus.add_source(outcome)
            return [outcome]
        data = path.read_bytes()
    except OSError as exc:
        outcome = SourceOutcome(file=name, status=Status.FAILED,
                                message=f"cannot read: {exc.strerror or exc}")
        corpus.add_source(outcome)
        return [outcome]
    outcomes = []
    try:
        for member, content in textio.unpack(name, data):
            outcomes.append(_ingest_bytes(member, content, corpus))
    except LitcorpusError as exc:
        outcome = SourceOutcome(file=name, status=Status.FAILED, message=str(exc))
        corpus.add_source(outcome)
        outcomes.append(outcome)
    return outcomes


def _ingest_bytes(name: str, data: bytes, corpus: Corpus) -> SourceOutcome:
    sha = hashlib.sha256(data).hexdigest()
    previous = corpus.known_source(sha)
    if previous is not None:
        message = ("already in the corpus" if previous == name
                   else f"same content as {previous}, already in the corpus")
        outcome = SourceOutcome(file=name, status=Status.SKIPPED, message=message, sha256=sha)
        if previous != name:
            corpus.add_source(outcome)
        return outcome
    outcome, result = read(name, data)
    outcome.sha256 = sha
    for seq, record in enumerate(result.records):
        record.id = f"{sha[:10]}-{seq + 1}"
    corpus.add_source(outcome, result.records, result.failures)
    return outcome


def read(name: str, data: bytes) -> tuple[SourceOutcome, ParseResult]:
    """Decode, detect and parse one input's bytes; never raises for bad input."""
    if not data.strip():
        return SourceOutcome(file=name, status=Status.SKIPPED, message="empty file"), ParseResult()
    try:
        decoded = textio.decode(data)
    except LitcorpusError as exc:
        return SourceOutcome(file=name, status=Status.FAILED, message=str(exc)), ParseResult()
    fmt = formats.detect(decoded.text, name)
    if fmt is None:
        return (SourceOutcome(file=name, status=Status.FAILED,
                              message="format not recognised; see 'litcorpus formats' for what "
                                      "litcorpus reads"), ParseResult())
    try:
        result = fmt.parse(decoded.text, name)
    except LitcorpusError as exc:
        result = ParseResult(failures=[Failure(reason=str(exc))])
    except Exception as exc:  # a parser bug: report it for this file, keep going with the others
        result = ParseResult(failures=[Failure(reason=f"{fmt.name} parser error: "
                                                      f"{type(exc).__name__}: {exc}")])
    records = [prepare(r, name, fmt.name) for r in result.records]
    result.records = records
    warnings = decoded.warnings + result.warnings
    return _outcome(name, fmt.name, result, warnings), result


def prepare(record: Record, name: str, format_name: str) -> Record:
    """Normalise a parsed record and split its abstract by language."""
    for origin in record.origins:
        origin.file = name
        origin.format = origin.format or format_name
    normalize.fix_record(record)
    record.language = language.code(record.language)
    language.assign(record)
    return record


def _outcome(name: str, format_name: str, result: ParseResult, warnings: list[str]
             ) -> SourceOutcome:
    n, failures = len(result.records), result.failures
    notes = []
    if failures:
        first = failures[0]
        where = f" (line {first.line})" if first.line else ""
        notes.append(f"{len(failures)} part(s) unreadable, first: {first.reason}{where}")
    notes.extend(warnings)
    message = "; ".join(notes)
    if n and failures:
        status = Status.PARTLY_PARSED
    elif n:
        status = Status.PARSED
    else:
        status = Status.FAILED
        message = message or f"read as {format_name} but no records were found"
    return SourceOutcome(file=name, format=format_name, status=status, records=n, message=message)
