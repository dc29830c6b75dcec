"""Walk paths -> read -> decode -> detect -> cut into pieces -> parse -> normalise -> store.

One path for every input. Each file (or archive member) is read and its format told from the same
opening text (`formats.detect`), or from its opening bytes for a binary format; it is cut into
pieces at record breaks (one piece for a small file, a few for a large one held in memory, a piece
at a time for one streamed past `Limits.stream_mb`); the pieces of every file are parsed and
normalised by one mechanism, `jobs` at a time on as many cores (`litcorpus.parallel`), small files
bundled so that each process has work worth starting it; each file is then stored in walk order, in
one transaction, with an outcome (parsed, partly parsed, failed, skipped) and a one-line reason.
One file's failure never stops the others.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from litcorpus import collector, databases, formats, language, normalize, parallel, stream, textio
from litcorpus.corpus import Corpus, Stored, to_json, values_json, with_id
from litcorpus.errors import InputError, LitcorpusError
from litcorpus.models import Failure, ParseResult, RawRecord, Record, SourceOutcome, Status

ENV_MAX_FILE_MB = "LITCORPUS_MAX_FILE_MB"
ENV_STREAM_MB = "LITCORPUS_STREAM_MB"


@dataclass(frozen=True)
class Limits:
    """How large an input may be, and when it is read a piece at a time."""

    max_file_mb: int = 1024
    """Inputs in a format that must be read whole (XML, JSON, pages) are skipped past this size."""
    stream_mb: int = 64
    """Inputs larger than this are read in record-aligned pieces when their format allows it."""

    @classmethod
    def from_env(cls) -> Limits:
        """The limits set by LITCORPUS_MAX_FILE_MB and LITCORPUS_STREAM_MB (what the CLI uses)."""
        def read(name: str, default: int) -> int:
            value = os.environ.get(name, "").strip()
            if not value:
                return default
            try:
                return int(value)
            except ValueError:
                raise LitcorpusError(f"{name}={value!r} is not a whole number of megabytes") from None
        return cls(read(ENV_MAX_FILE_MB, cls.max_file_mb), read(ENV_STREAM_MB, cls.stream_mb))


PARALLEL_BYTES = 256 << 10
"""Work worth a child process: a file this large, in a format cut into records by a line start, is
cut into `jobs` pieces; smaller files are bundled until a bundle holds this much."""
MAX_FAILURES_KEPT = 10_000
"""A file keeps this many unreadable parts in the corpus and counts the rest."""

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

    def by_format(self) -> dict[str, FormatCount]:
        """format -> files and records, for the files that gave records."""
        table: dict[str, list[int]] = {}
        for outcome in self.outcomes:
            if outcome.status in (Status.PARSED, Status.PARTLY_PARSED):
                row = table.setdefault(outcome.format or "?", [0, 0])
                row[0] += 1
                row[1] += outcome.records
        return {k: FormatCount(files=v[0], records=v[1]) for k, v in sorted(table.items())}

    def problems(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status is not Status.PARSED]


@dataclass(frozen=True)
class FormatCount:
    files: int
    records: int


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


# The inputs: files and archive members, each with its pieces -------------------------------------

@dataclass
class Source:
    """One input: a file as given, or a member of an archive given as `file`."""

    file: str
    member: str | None = None
    sha: str | None = None
    fmt: formats.Format | None = None
    outcome: SourceOutcome | None = None
    """Decided before any parsing (skipped, unreadable); such a source has no pieces."""
    head: str = ""
    """The opening text the format was told from (`databases` reads the database from it too)."""
    warnings: list[str] = field(default_factory=list)
    pieces: Iterator[Piece] = field(default_factory=lambda: iter(()))

    @property
    def name(self) -> str:
        """`file`, or `file!member`: how messages name the input."""
        return f"{self.file}!{self.member}" if self.member else self.file

    def decided(self, status: Status, message: str) -> Source:
        self.outcome = SourceOutcome(file=self.file, member=self.member, status=status,
                                     message=message, sha256=self.sha,
                                     format=self.fmt.name if self.fmt else None)
        return self


@dataclass
class Piece:
    """Part of an input to parse: text (with the line it starts on) or, for a binary format, bytes.
    `whole` when it is the entire input (line ends already folded)."""

    source: Source
    content: str | bytes
    first_line: int = 1
    parse: Callable[[str, str], ParseResult] | None = None
    whole: bool = True

    @property
    def size(self) -> int:
        return len(self.content)


Parsed = tuple[list[str], list[Failure], list[str]]
"""A piece's records in their stored form (JSON without ID), its failures and its warnings."""


class Unreadable(NamedTuple):
    """In place of a piece: the rest of the input could not be read (a stream cut short, a piece
    without a record break); the input fails and keeps none of its records."""

    reason: str


def ingest(paths: Iterable[str | Path], corpus: Corpus, progress: Progress | None = None,
           jobs: int | None = None, limits: Limits | None = None) -> IngestReport:
    """Ingest files and folders into `corpus`; returns the outcome of every file.

    `jobs`: processes that parse at once (default: the CPUs available; see `litcorpus.parallel`).
    The corpus is the same whatever the number.
    """
    report = IngestReport()
    found = list(walk(paths))
    normalize.clear_caches()
    jobs = jobs or parallel.cpus()
    sources = _sources(found, corpus, limits or Limits(), jobs, progress)
    stored: dict[str, SourceOutcome] = {}
    with collector.rarer():
        for source, parsed in _parsed(sources, jobs):
            outcome = _store(source, parsed, corpus, stored)
            report.outcomes.append(outcome)
    if progress:
        progress("", len(found), len(found))
    return report


def _sources(found: list[tuple[Path, str | None]], corpus: Corpus, limits: Limits, jobs: int,
             progress: Progress | None) -> Iterator[Source]:
    """Every input in walk order, read and cut into pieces as it is reached."""
    planned: dict[str, str] = {}  # content hash -> the input of this run that has it
    for done, (path, skip_reason) in enumerate(found):
        if progress:
            progress(str(path), done, len(found))
        if skip_reason:
            yield Source(str(path)).decided(Status.SKIPPED, skip_reason)
            continue
        for source in _file_sources(path, limits, jobs):
            if source.outcome is None and source.sha:
                earlier = planned.get(source.sha) or corpus.known_source(source.sha)
                if earlier is not None:
                    source.pieces = iter(())
                    source.outcome = _same_as(source, earlier)
                else:
                    planned[source.sha] = source.name
            yield source


def _same_as(source: Source, earlier: str) -> SourceOutcome:
    message = ("already in the corpus" if earlier == source.name
               else f"same content as {earlier}, already in the corpus")
    return SourceOutcome(file=source.file, member=source.member, status=Status.SKIPPED,
                         message=message, sha256=source.sha)


def _file_sources(path: Path, limits: Limits, jobs: int) -> Iterator[Source]:
    """The inputs of one file: itself, or the members of an archive, in memory or streamed."""
    name = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(formats.BYTES_HEAD)
        if formats.detect_bytes(head, name) is None and (
                size > min(limits.stream_mb, limits.max_file_mb) << 20
                or _unpacks_large(path, head[:4], limits)):
            yield from _large_sources(path, name, size, head, limits, jobs)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Source(name).decided(Status.FAILED, f"cannot read: {exc.strerror or exc}")
        return
    try:
        for member, content in textio.unpack(name, data):
            yield _in_memory(Source(name, member), content, jobs)
    except LitcorpusError as exc:
        yield Source(name).decided(Status.FAILED, str(exc))


def _unpacks_large(path: Path, magic: bytes, limits: Limits) -> bool:
    """Whether a small .gz or .zip holds more than `stream_mb`: then it is streamed too."""
    limit = limits.stream_mb << 20
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


def _in_memory(source: Source, data: bytes, jobs: int) -> Source:
    """An input held in memory: detected from its opening, cut into `jobs` pieces when it is large
    and its format has a record break, else one piece."""
    source.sha = source.sha or hashlib.sha256(data).hexdigest()
    if not data or data.isspace():  # not `data.strip()`, which copies the whole input
        return source.decided(Status.SKIPPED, "empty file")
    binary = formats.detect_bytes(data[:formats.BYTES_HEAD], source.name)
    if binary is not None:
        source.fmt = binary
        source.pieces = iter([Piece(source, data)])
        return source
    try:
        decoded = textio.decode(data, line_ends=False)
    except LitcorpusError as exc:
        return source.decided(Status.FAILED, str(exc))
    text = decoded.text
    source.head = head_text = textio.clean(text[:formats.SNIFF_CHARS])
    source.fmt = formats.detect(head_text, source.name)
    if source.fmt is None:
        return source.decided(Status.FAILED, "format not recognised; see 'litcorpus formats' for "
                                             "what litcorpus reads")
    source.warnings = decoded.warnings
    if source.fmt.record_break is None or jobs < 2 or len(data) < PARALLEL_BYTES:
        source.pieces = iter([Piece(source, textio.clean(text), parse=source.fmt.parse)])
        return source
    if "\r" in text and _LONE_CR.search(text):
        text = textio.clean(text)  # a lone CR ends a line: fold here, so that lines count the same
    parse = source.fmt.piece_parser(head_text)
    source.pieces = iter([Piece(source, piece, line, parse, whole=False)
                          for line, piece in stream.split(text, source.fmt.record_break, jobs)])
    return source


_LONE_CR = re.compile("\r(?!\n)")


def _large_sources(path: Path, name: str, size: int, head: bytes, limits: Limits, jobs: int
                   ) -> Iterator[Source]:
    """A large file, a large .gz or the large members of a .zip, each read as a stream."""
    magic = head[:4]
    if magic[:2] == b"\x1f\x8b":
        yield _streamed(Source(name, textio.gz_member_name(name, head)), lambda: gzip.open(path),
                        size, None, limits, jobs)
    elif magic == b"PK\x03\x04" and textio.is_zip(path):
        with zipfile.ZipFile(path) as archive:
            for info in textio.zip_members(archive):
                source = Source(name, info.filename)
                if info.file_size <= limits.stream_mb << 20:
                    yield _in_memory(source, archive.read(info), jobs)
                else:
                    yield _streamed(source, lambda info=info: archive.open(info),
                                    info.compress_size, info.file_size, limits, jobs)
    else:
        yield _streamed(Source(name), lambda: path.open("rb"), None, size, limits, jobs)


def _streamed(source: Source, opener: stream.Opener, packed_size: int | None, size: int | None,
              limits: Limits, jobs: int) -> Source:
    """A large input read a piece at a time: one pass for its hash, encoding and head, then its
    text cut into pieces as it is parsed. A format that cannot be cut is read whole, within
    `max_file_mb`."""
    try:
        source.sha, encoding, head, source.warnings = stream.survey(opener, packed_size)
    except (LitcorpusError, OSError, EOFError, zipfile.BadZipFile) as exc:
        return source.decided(Status.FAILED, _reason(exc))
    source.head = head_text = stream.head_text(head, encoding)[:formats.SNIFF_CHARS]
    source.fmt = formats.detect(head_text, source.name)
    if source.fmt is None or not source.fmt.streamable:
        too_big = size is not None and size > limits.max_file_mb << 20
        data = b"" if too_big else b"".join(stream.blocks(opener, packed_size))
        if too_big or len(data) > limits.max_file_mb << 20:
            return source.decided(Status.SKIPPED, _too_big(size if too_big else len(data), limits))
        return _in_memory(source, data, jobs)
    parse = source.fmt.piece_parser(head_text)
    source.pieces = (Piece(source, piece, line, parse, whole=False) for line, piece in
                     stream.pieces(stream.texts(opener, encoding, packed_size),
                                   source.fmt.record_break))
    return source


def _too_big(size: int, limits: Limits) -> str:
    return (f"{size / 2**20:.0f} MB is over the {limits.max_file_mb} MB limit for a format read "
            f"whole; split the export or raise the limit ({ENV_MAX_FILE_MB})")


# Parsing: one mechanism for the pieces of every input ---------------------------------------------

def _parsed(sources: Iterator[Source], jobs: int
            ) -> Iterator[tuple[Source, Iterator[Parsed | Unreadable]]]:
    """Each source with its pieces' results, in order; the pieces of all sources parsed `jobs`
    bundles at a time on as many cores, a bundle being one piece or small pieces together."""
    results = _piece_results(sources, jobs)
    for _, group in itertools.groupby(results, key=lambda item: id(item[0])):
        first = next(group)
        source = first[0]
        yield source, (parsed for _, parsed in itertools.chain([first], group) if parsed is not None)


def _piece_results(sources: Iterator[Source], jobs: int
                   ) -> Iterator[tuple[Source, Parsed | Unreadable | None]]:
    """(source, a piece's result) in order; (source, None) once for a source without pieces."""
    def items() -> Iterator[tuple[Source, Piece | Unreadable | None]]:
        for source in sources:
            empty = True
            try:
                for piece in source.pieces:
                    empty = False
                    yield source, piece
            except (LitcorpusError, OSError, EOFError, zipfile.BadZipFile) as exc:
                empty = False
                yield source, Unreadable(_reason(exc))
            if empty:
                yield source, None

    def bundles() -> Iterator[list[tuple[Source, Piece | Unreadable | None]]]:
        bundle, size = [], 0
        for item in items():
            bundle.append(item)
            size += item[1].size if isinstance(item[1], Piece) else 0
            if size >= PARALLEL_BYTES:
                yield bundle
                bundle, size = [], 0
        if bundle:
            yield bundle

    batches = bundles()
    while batch := list(itertools.islice(batches, jobs)):
        for bundle, parsed in zip(batch, parallel.results(_parse_bundle, batch), strict=True):
            yield from zip((source for source, _ in bundle), parsed, strict=True)


def _parse_bundle(bundle: list[tuple[Source, Piece | Unreadable | None]]
                  ) -> list[Parsed | Unreadable | None]:
    return [_parse_piece(piece) if isinstance(piece, Piece) else piece for _, piece in bundle]


def _parse_piece(piece: Piece) -> Parsed:
    """One piece parsed and its records prepared in their stored form, as JSON (which costs far
    less to send from a child process than record objects)."""
    source, fmt = piece.source, piece.source.fmt
    with collector.paused():
        result = _parsed_raw(piece)
        failures, rows, parsed = [], [], result.records
        for n, raw in enumerate(parsed):
            row = _made(stored, raw, source.file, source.member, fmt.name, failures)
            parsed[n] = None  # each record let go once made: one form at a time
            if row is not None:
                rows.append(row)
    return rows, result.failures + failures, result.warnings


def _parse_records(piece: Piece) -> ParseResult:
    """One piece parsed, its records normalised (`prepare`), line numbers counted from the
    input's start."""
    source = piece.source
    result = _parsed_raw(piece)
    failures, records = [], []
    for raw in result.records:
        record = _made(prepare, raw, source.file, source.member, source.fmt.name, failures)
        if record is not None:
            records.append(record)
    result.records = records
    result.failures.extend(failures)
    return result


def _parsed_raw(piece: Piece) -> ParseResult:
    """One piece parsed, its records as the parser gave them, line numbers counted from the
    input's start."""
    source, fmt = piece.source, piece.source.fmt
    name = source.name  # `file!member` for a member, as parsers have always been told
    if isinstance(piece.content, bytes):
        result = _guarded(fmt, fmt.parse_bytes, piece.content, name)
    else:
        text = piece.content if piece.whole else textio.clean(piece.content)
        result = _guarded(fmt, piece.parse or fmt.parse, text, name)
    shift = piece.first_line - 1
    if shift:
        for failure in result.failures:
            failure.line = failure.line + shift if failure.line else None
        for record in result.records:
            for origin in record.origins:
                origin.line = origin.line + shift if origin.line else None
    return result


def _guarded(fmt: formats.Format, parse: Callable, content: str | bytes, name: str) -> ParseResult:
    try:
        return parse(content, name)
    except LitcorpusError as exc:
        return ParseResult(failures=[Failure(reason=str(exc))])
    except Exception as exc:  # a parser bug: report it for this file, keep going with the others
        return ParseResult(failures=[Failure(reason=f"{fmt.name} parser error: "
                                                    f"{type(exc).__name__}: {exc}")])


def _made(make: Callable, parsed: RawRecord | Record, file: str, member: str | None,
          format_name: str, failures: list[Failure]):
    """`make(parsed, ...)` (`prepare` or `stored`), or None with a failure added when the
    normaliser cannot make the record (a bug there must not cost the file's other records)."""
    try:
        return make(parsed, file, format_name, member)
    except Exception as exc:  # noqa: BLE001 - reported as this record's failure
        line = parsed.origins[0].line if parsed.origins else None
        failures.append(Failure(line=line, reason=f"record could not be normalised: "
                                                  f"{type(exc).__name__}: {exc}"))
        return None


def prepare(parsed: RawRecord | Record, file: str, format_name: str, member: str | None = None
            ) -> Record:
    """The canonical record of a parsed one (`normalize`), its origins naming the input as given,
    its abstract split by language."""
    _name_origins(parsed, file, format_name, member)
    if isinstance(parsed, RawRecord):
        record = normalize.record(parsed)
    else:
        record = normalize.fix_record(parsed)
    language.assign(record)
    return record


def stored(parsed: RawRecord | Record, file: str, format_name: str, member: str | None = None
           ) -> str:
    """`to_json(prepare(...))`, the record as the corpus stores it; for a raw record made from its
    values without building the `Record` (`normalize.values`, `language.assign_values`,
    `corpus.values_json`: the same JSON at a fraction of the cost)."""
    if not isinstance(parsed, RawRecord):
        return to_json(prepare(parsed, file, format_name, member))
    _name_origins(parsed, file, format_name, member)
    values = normalize.values(parsed)
    language.assign_values(values)
    return values_json(values)


def _name_origins(parsed: RawRecord | Record, file: str, format_name: str, member: str | None
                  ) -> None:
    """The origins of a parsed record naming the input as given."""
    for origin in parsed.origins:  # pydantic assignments cost: only make the ones that change
        if origin.file != file:
            origin.file = file
        if origin.member != member:
            origin.member = member
        if not origin.format:
            origin.format = format_name


# Storing ---------------------------------------------------------------------------------------

def _store(source: Source, parsed: Iterator[Parsed | Unreadable], corpus: Corpus,
           stored: dict[str, SourceOutcome]) -> SourceOutcome:
    """Store one input's outcome, records and failures in one transaction, its pieces' records as
    they come (a streamed file's while the rest of it is parsed)."""
    if source.outcome is not None:
        for _ in parsed:  # nothing to store; the source has no pieces
            pass
        outcome = source.outcome
        if outcome.status is Status.SKIPPED and outcome.sha256 in stored \
                and stored[outcome.sha256].status is Status.FAILED:
            earlier = stored[outcome.sha256]  # the same bytes failed just now: so do these
            outcome = earlier.model_copy(update={"file": source.file, "member": source.member})
        if not outcome.message.startswith("already in the corpus"):
            corpus.add_source(outcome)
        return outcome
    failures: list[Failure] = []
    notes = list(source.warnings)
    counts = Counter()
    name = source.fmt.name

    def records() -> Iterator[Stored]:
        for piece in parsed:
            if isinstance(piece, Unreadable):
                raise InputError(piece.reason)
            rows, piece_failures, piece_warnings = piece
            counts["failures"] += len(piece_failures)
            failures.extend(piece_failures[:MAX_FAILURES_KEPT - len(failures)])
            notes.extend(w for w in piece_warnings if w not in notes)
            for row in rows:
                counts["records"] += 1
                stored_id = record_id(source.sha, counts["records"])
                yield Stored(stored_id, with_id(row, stored_id))

    def finish() -> SourceOutcome:
        final = _outcome(source, name, counts["records"], failures, notes, counts["failures"])
        final.sha256 = source.sha
        final.database = databases.name_of(name, source.head)
        return final

    try:
        corpus.add_source(SourceOutcome(file=source.file, member=source.member, format=name,
                                        status=Status.PARSED, sha256=source.sha),
                          records(), failures, finish)
        outcome = finish()
    except (LitcorpusError, OSError, EOFError, zipfile.BadZipFile) as exc:  # rolled back: none kept
        for _ in parsed:
            pass
        outcome = source.decided(Status.FAILED, _reason(exc)).outcome
        corpus.add_source(outcome)
    stored[source.sha] = outcome
    return outcome


def record_id(sha: str, seq: int) -> str:
    """A record's ID: the start of its input's content hash and the record's place in it (1, 2 ...)."""
    return f"{sha[:10]}-{seq}"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, LitcorpusError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read: {exc.strerror}"
    return f"cannot read: {exc}"


def _outcome(source: Source, format_name: str, n: int, failures: list[Failure],
             warnings: list[str], n_failures: int | None = None) -> SourceOutcome:
    notes = []
    if failures and not n and len(failures) == 1 and not failures[0].line:
        notes.append(failures[0].reason)  # one reason for the whole file (a page that is no article)
    elif failures:
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
    return SourceOutcome(file=source.file, member=source.member, format=format_name, status=status,
                         records=n, message=message)


# One input read in memory, without a corpus (tests, tools) ---------------------------------------

def read(name: str, data: bytes) -> tuple[SourceOutcome, ParseResult]:
    """Detect, parse and normalise one input's bytes as ingest does, in this process; never raises
    for bad input. The result's records are canonical `Record`s."""
    source = _in_memory(Source(name), data, jobs=1)
    if source.outcome is not None:
        return source.outcome, ParseResult()
    result = ParseResult()
    for piece in source.pieces:
        part = _parse_records(piece)
        result.records.extend(part.records)
        result.failures.extend(part.failures)
        result.warnings.extend(w for w in part.warnings if w not in result.warnings)
    outcome = _outcome(source, source.fmt.name, len(result.records), result.failures,
                       source.warnings + result.warnings)
    outcome.sha256 = source.sha
    outcome.database = databases.name_of(source.fmt.name, source.head)
    return outcome, result
