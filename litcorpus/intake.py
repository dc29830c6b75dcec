"""Walk paths -> read -> decode -> detect -> parse -> normalise -> store, one file at a time.

Every input file ends with an outcome (parsed, partly parsed, failed, skipped) and a one-line
reason; one file's failure never stops the others, and each file is stored in one transaction.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import itertools
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from litcorpus import formats, language, normalize, parallel, stream, textio
from litcorpus.corpus import Corpus, Stored, to_json, with_id
from litcorpus.errors import LitcorpusError
from litcorpus.models import Failure, ParseResult, RawRecord, Record, SourceOutcome, Status

MAX_FILE_MB = int(os.environ.get("LITCORPUS_MAX_FILE_MB", "1024"))
"""Inputs in a format that must be read whole (XML, JSON, CSV, pages) are skipped past this size."""
STREAM_MB = int(os.environ.get("LITCORPUS_STREAM_MB", "64"))
"""Inputs larger than this are read in record-aligned pieces when their format allows it."""
PARALLEL_BYTES = 256 << 10
"""Inputs at least this large, in a format cut into records by a line start, are parsed on several
cores; a smaller one takes less time than a child process costs."""
SNIFF_BYTES = 64 << 10
"""The format of an input parsed on several cores is told from this many opening bytes (as a
streamed file's is from its first block); the sniffers that read a head read at most 50,000
characters."""

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


def ingest(paths: Iterable[str | Path], corpus: Corpus, progress: Progress | None = None,
           jobs: int | None = None) -> IngestReport:
    """Ingest files and folders into `corpus`; returns the outcome of every file.

    `jobs`: processes that parse one large file at once (default: the CPUs available; see
    `litcorpus.parallel`). The corpus is the same whatever the number.
    """
    report = IngestReport()
    found = list(walk(paths))
    normalize.clear_caches()
    with _fewer_collections():
        _ingest_found(found, corpus, report, progress, jobs or parallel.cpus())
    return report


@contextmanager
def _fewer_collections():
    """Parsing makes many small objects that live until they are stored, and the cycle collector
    would walk them again and again; it runs less often meanwhile (measured: about 2% of an
    ingest, 5% with the collector off)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 20_000), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _ingest_found(found: list[tuple[Path, str | None]], corpus: Corpus, report: IngestReport,
                  progress: Progress | None, jobs: int) -> None:
    for done, (path, skip_reason) in enumerate(found):
        name = str(path)
        if progress:
            progress(name, done, len(found))
        if skip_reason:
            outcome = SourceOutcome(file=name, status=Status.SKIPPED, message=skip_reason)
            corpus.add_source(outcome)
            report.outcomes.append(outcome)
            continue
        report.outcomes.extend(ingest_file(path, corpus, name, jobs))
    if progress:
        progress("", len(found), len(found))


def ingest_file(path: Path, corpus: Corpus, name: str | None = None, jobs: int = 1
                ) -> list[SourceOutcome]:
    """Ingest one file (each member of an archive separately) and return the outcomes."""
    name = name or str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            magic = handle.read(4)
        if size > min(STREAM_MB, MAX_FILE_MB) << 20 or _unpacks_large(path, magic):
            return list(_ingest_large(path, name, size, magic, corpus, jobs))
        data = path.read_bytes()
    except OSError as exc:
        return [_account(corpus, SourceOutcome(file=name, status=Status.FAILED,
                                               message=f"cannot read: {exc.strerror or exc}"))]
    return list(_ingest_member(name, data, corpus, jobs))


def _unpacks_large(path: Path, magic: bytes) -> bool:
    """Whether a small .gz or .zip holds more than LITCORPUS_STREAM_MB: then it is streamed too."""
    limit = STREAM_MB << 20
    try:
        if magic[:2] == b"\x1f\x8b":
            with path.open("rb") as handle:
                handle.seek(-4, os.SEEK_END)
                return int.from_bytes(handle.read(4), "little") > limit  # gzip's ISIZE field
        if magic == b"PK\x03\x04" and textio.is_zip(path):
            with zipfile.ZipFile(path) as archive:
                return any(info.file_size > limit for info in archive.infolist())
    except (OSError, zipfile.BadZipFile):
        return False  # the in-memory path reports what is wrong with it
    return False


def _account(corpus: Corpus, outcome: SourceOutcome) -> SourceOutcome:
    corpus.add_source(outcome)
    return outcome


def _too_big(size: int) -> str:
    return (f"{size / 2**20:.0f} MB is over the {MAX_FILE_MB} MB limit for a format read whole; "
            "split the export or set LITCORPUS_MAX_FILE_MB")


def _ingest_large(path: Path, name: str, size: int, magic: bytes, corpus: Corpus, jobs: int
                  ) -> Iterator[SourceOutcome]:
    """A large file, a large .gz or the large members of a .zip, each read as a stream."""
    if magic[:2] == b"\x1f\x8b":
        yield _ingest_stream(textio.gz_member_name(name), lambda: gzip.open(path), size, None,
                             corpus, jobs)
    elif magic == b"PK\x03\x04" and textio.is_zip(path):
        with zipfile.ZipFile(path) as archive:
            for info in textio.zip_members(archive):
                member = f"{name}!{info.filename}"
                if info.file_size <= STREAM_MB << 20:
                    yield from _ingest_member(member, archive.read(info), corpus, jobs)
                else:
                    yield _ingest_stream(member, lambda info=info: archive.open(info),
                                         info.compress_size, info.file_size, corpus, jobs)
    else:
        yield _ingest_stream(name, lambda: path.open("rb"), None, size, corpus, jobs)


def _ingest_member(name: str, data: bytes, corpus: Corpus, jobs: int = 1
                   ) -> Iterator[SourceOutcome]:
    """Bytes in memory: a plain input, or an archive unpacked in memory member by member."""
    try:
        for member, content in textio.unpack(name, data):
            yield _ingest_bytes(member, content, corpus, jobs=jobs)
    except LitcorpusError as exc:
        yield _account(corpus, SourceOutcome(file=name, status=Status.FAILED, message=str(exc)))


def _known(name: str, sha: str, corpus: Corpus) -> SourceOutcome | None:
    """A skip outcome when the same content is already in the corpus."""
    previous = corpus.known_source(sha)
    if previous is None:
        return None
    message = ("already in the corpus" if previous == name
               else f"same content as {previous}, already in the corpus")
    outcome = SourceOutcome(file=name, status=Status.SKIPPED, message=message, sha256=sha)
    if previous != name:
        corpus.add_source(outcome)
    return outcome


def _ingest_bytes(name: str, data: bytes, corpus: Corpus, sha: str | None = None, jobs: int = 1
                  ) -> SourceOutcome:
    sha = sha or hashlib.sha256(data).hexdigest()
    known = _known(name, sha, corpus)
    if known:
        return known
    if jobs > 1 and len(data) >= PARALLEL_BYTES:
        outcome = _ingest_on_cores(name, data, sha, corpus, jobs)
        if outcome:
            return outcome
    failed, decoded, fmt = _recognise(name, data)
    if failed:
        outcome, records, failures = failed, [], []
    else:
        outcome, result = _parse_whole(name, decoded, fmt)
        records, failures = result.records, result.failures
        for seq, record in enumerate(records, 1):
            record.id = record_id(sha, seq)
    outcome.sha256 = sha
    corpus.add_source(outcome, records, failures)
    return outcome


def record_id(sha: str, seq: int) -> str:
    """A record's ID: the start of its input's content hash and the record's place in it (1, 2 ...)."""
    return f"{sha[:10]}-{seq}"


MAX_FAILURES_KEPT = 10_000
"""A streamed file keeps this many unreadable parts in the corpus and counts the rest."""


def _ingest_stream(name: str, opener: stream.Opener, packed_size: int | None, size: int | None,
                   corpus: Corpus, jobs: int) -> SourceOutcome:
    """Read a large input in pieces and store it in one transaction, holding one piece at a time.

    Formats that cannot be cut into pieces are read whole, within MAX_FILE_MB.
    """
    try:
        sha, encoding, head, warnings = stream.survey(opener, packed_size)
    except (LitcorpusError, OSError, EOFError, zipfile.BadZipFile) as exc:
        return _account(corpus, SourceOutcome(file=name, status=Status.FAILED,
                                              message=_reason(exc)))
    known = _known(name, sha, corpus)
    if known:
        return known
    head_text = stream.head_text(head, encoding)
    fmt = formats.detect(head_text, name)
    if fmt is None or not fmt.streamable:
        if size is not None and size > MAX_FILE_MB << 20:
            return _account(corpus, SourceOutcome(file=name, status=Status.SKIPPED,
                                                  message=_too_big(size), sha256=sha))
        data = b"".join(stream.blocks(opener, packed_size))
        if len(data) > MAX_FILE_MB << 20:
            return _account(corpus, SourceOutcome(file=name, status=Status.SKIPPED,
                                                  message=_too_big(len(data)), sha256=sha))
        return _ingest_bytes(name, data, corpus, sha, jobs)
    try:
        pieces = stream.pieces(stream.texts(opener, encoding, packed_size), fmt.record_break)
        return _store_parsed(name, fmt, _parse_on_cores(fmt, fmt.piece_parser(head_text), name,
                                                        pieces, jobs), sha, warnings, corpus)
    except (LitcorpusError, OSError, EOFError, zipfile.BadZipFile) as exc:  # rolled back: none kept
        return _account(corpus, SourceOutcome(file=name, format=fmt.name, status=Status.FAILED,
                                              message=_reason(exc), sha256=sha))


Parsed = tuple[list[str], list[Failure], list[str]]
"""A piece's records in their stored form (JSON without ID), its failures and its warnings."""


_LONE_CR = re.compile("\r(?!\n)")


def _ingest_on_cores(name: str, data: bytes, sha: str, corpus: Corpus, jobs: int
                     ) -> SourceOutcome | None:
    """A large input in a format cut into records by a line start, parsed `jobs` pieces at once,
    its line ends folded piece by piece on the cores; None for any other input. The format is told
    from the opening bytes, as a streamed file's is, before the whole input is decoded."""
    head = data[:SNIFF_BYTES]
    try:
        head_text = stream.head_text(head, textio.encoding_of(head))
        fmt = formats.detect(head_text, name)
        if fmt is None or fmt.record_break is None:
            return None
        decoded = textio.decode(data, line_ends=False)
    except LitcorpusError:
        return None  # read again on the one-process path, which reports why it cannot be
    text = decoded.text
    if "\r" in text and _LONE_CR.search(text):
        text = textio.clean(text)  # a lone CR ends a line: fold here, so that lines count the same
    pieces = iter(stream.split(text, fmt.record_break, jobs))
    return _store_parsed(name, fmt, _parse_on_cores(fmt, fmt.piece_parser(head_text), name, pieces,
                                                    jobs), sha, decoded.warnings, corpus)


def _parse_on_cores(fmt: formats.Format, parse, name: str, pieces: Iterator[tuple[int, str]],
                    jobs: int) -> Iterator[Parsed]:
    """The pieces parsed in order, `jobs` at a time on as many cores (`parallel.results`)."""
    while batch := list(itertools.islice(pieces, jobs)):
        yield from parallel.results(lambda piece: _stored_piece(fmt, parse, name, *piece), batch)


def _stored_piece(fmt: formats.Format, parse, name: str, first_line: int, piece: str) -> Parsed:
    """One piece of a larger text, its line ends folded, parsed, its records prepared and
    serialised (JSON costs far less to send from a child process than record objects), with line
    numbers counted from the start of the whole text."""
    result = _parse(fmt, textio.clean(piece), name, parse)
    shift = first_line - 1
    for failure in result.failures:
        failure.line = failure.line + shift if failure.line else None
    for record in result.records:
        for origin in record.origins:
            origin.line = origin.line + shift if origin.line else None
    _prepare_all(result, name, fmt.name)
    return [to_json(record) for record in result.records], result.failures, result.warnings


def _store_parsed(name: str, fmt: formats.Format, parsed: Iterator[Parsed], sha: str,
                  warnings: list[str], corpus: Corpus) -> SourceOutcome:
    """Store the parsed pieces of one input in one transaction as they come."""
    failures: list[Failure] = []
    notes = list(warnings)
    counts = Counter()

    def records() -> Iterator[Stored]:
        for rows, piece_failures, piece_warnings in parsed:
            counts["failures"] += len(piece_failures)
            failures.extend(piece_failures[:MAX_FAILURES_KEPT - len(failures)])
            notes.extend(w for w in piece_warnings if w not in notes)
            for row in rows:
                counts["records"] += 1
                stored_id = record_id(sha, counts["records"])
                yield Stored(stored_id, with_id(row, stored_id))

    def finish() -> SourceOutcome:
        final = _outcome(name, fmt.name, counts["records"], failures, notes, counts["failures"])
        final.sha256 = sha
        return final

    corpus.add_source(SourceOutcome(file=name, format=fmt.name, status=Status.PARSED, sha256=sha),
                      records(), failures, finish)
    return finish()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LitcorpusError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read: {exc.strerror}"
    return f"cannot read: {exc}"


def read(name: str, data: bytes) -> tuple[SourceOutcome, ParseResult]:
    """Decode, detect and parse one input's bytes; never raises for bad input."""
    failed, decoded, fmt = _recognise(name, data)
    if failed:
        return failed, ParseResult()
    return _parse_whole(name, decoded, fmt)


def _recognise(name: str, data: bytes
               ) -> tuple[SourceOutcome, None, None] | tuple[None, textio.Decoded, formats.Format]:
    """The input decoded and its format detected, or the outcome saying why it cannot be read."""
    if not data.strip():
        return SourceOutcome(file=name, status=Status.SKIPPED, message="empty file"), None, None
    try:
        decoded = textio.decode(data)
    except LitcorpusError as exc:
        return SourceOutcome(file=name, status=Status.FAILED, message=str(exc)), None, None
    fmt = formats.detect(decoded.text, name)
    if fmt is None:
        return (SourceOutcome(file=name, status=Status.FAILED,
                              message="format not recognised; see 'litcorpus formats' for what "
                                      "litcorpus reads"), None, None)
    return None, decoded, fmt


def _parse_whole(name: str, decoded: textio.Decoded, fmt: formats.Format
                 ) -> tuple[SourceOutcome, ParseResult]:
    result = _parse(fmt, decoded.text, name)
    _prepare_all(result, name, fmt.name)
    warnings = decoded.warnings + result.warnings
    return _outcome(name, fmt.name, len(result.records), result.failures, warnings), result


def _parse(fmt: formats.Format, text: str, name: str, parse=None) -> ParseResult:
    try:
        return (parse or fmt.parse)(text, name)
    except LitcorpusError as exc:
        return ParseResult(failures=[Failure(reason=str(exc))])
    except Exception as exc:  # a parser bug: report it for this file, keep going with the others
        return ParseResult(failures=[Failure(reason=f"{fmt.name} parser error: "
                                                    f"{type(exc).__name__}: {exc}")])


def _prepare_all(result: ParseResult, name: str, format_name: str) -> None:
    """Every parsed record of `result` made canonical in place; one the normaliser cannot make
    becomes a failure (a bug there must not cost the file's other records)."""
    prepared = []
    for parsed in result.records:
        try:
            prepared.append(prepare(parsed, name, format_name))
        except Exception as exc:  # noqa: BLE001 - reported as this record's failure
            line = parsed.origins[0].line if parsed.origins else None
            result.failures.append(Failure(line=line, reason=f"record could not be normalised: "
                                                             f"{type(exc).__name__}: {exc}"))
    result.records = prepared


def prepare(parsed: RawRecord | Record, name: str, format_name: str) -> Record:
    """The canonical record of a parsed one (`normalize`), its abstract split by language."""
    for origin in parsed.origins:  # pydantic assignments cost: only make the ones that change
        if origin.file != name:
            origin.file = name
        if not origin.format:
            origin.format = format_name
    if isinstance(parsed, RawRecord):
        record = normalize.record(parsed)
    else:
        record = normalize.fix_record(parsed)
    language.assign(record)
    return record


def _outcome(name: str, format_name: str, n: int, failures: list[Failure], warnings: list[str],
             n_failures: int | None = None) -> SourceOutcome:
    notes = []
    if failures:
        first = failures[0]
        where = f" (line {first.line})" if first.line else ""
        notes.append(f"{n_failures or len(failures)} part(s) unreadable, first: {first.reason}{where}")
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
