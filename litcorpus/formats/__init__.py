"""The one registry of input formats: each a content sniffer plus a parser.

Every module in this package defines `FORMATS`, a list of `Format`. `detect()` asks each sniffer
how sure it is that a text is in its format (0 to 1); the file name's extension only breaks ties.
Parsers return records and failures as data and never touch the corpus.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from litcorpus.models import ParseResult


@dataclass(frozen=True)
class Format:
    """A named input format.

    sniff(text, name) -> confidence in [0, 1] that `text` is in this format (cheap: look at the head).
    parse(text, name) -> ParseResult with records (origins filled, line numbers 1-based) and failures.
    record_break: literal text that begins a line only where one record ends and the next begins
    (`TY  -` for RIS; `\n`, an empty line, for blank-line separated records). It lets a large file
    be parsed in pieces cut before such lines (see `litcorpus.stream`).
    rows: records are the rows of a table under one header line; a large file is cut between rows
    (never inside quotes) and `for_pieces` gives each piece the header.
    for_pieces(head) -> the parse function for the pieces of a file that opens with `head`, for a
    format that reads something from the whole file's head (RIS: its dialect); default `parse`.
    binary: the format is read from bytes, never decoded as text (PDF): `sniff_bytes(head, name)`
    tells it by its opening bytes, before any decoding, and `parse_bytes(data, name)` parses it.
    """

    name: str
    sniff: Callable[[str, str], float]
    parse: Callable[[str, str], ParseResult]
    extensions: tuple[str, ...] = field(default_factory=tuple)
    description: str = ""
    record_break: str | None = None
    rows: bool = False
    for_pieces: Callable[[str], Callable[[str, str], ParseResult]] | None = None
    binary: bool = False
    sniff_bytes: Callable[[bytes, str], float] | None = None
    parse_bytes: Callable[[bytes, str], ParseResult] | None = None

    @property
    def streamable(self) -> bool:
        """Whether a large file in this format can be read a piece at a time."""
        return self.record_break is not None or self.rows

    def piece_parser(self, head: str) -> Callable[[str, str], ParseResult]:
        """How to parse each piece of a large file whose first block is `head`."""
        return self.for_pieces(head) if self.for_pieces else self.parse


@lru_cache(maxsize=1)
def registry() -> dict[str, Format]:
    """All formats, found by importing every module of this package."""
    found: dict[str, Format] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        mod = importlib.import_module(f"{__name__}.{module}")
        for fmt in getattr(mod, "FORMATS", []):
            if fmt.name in found:
                raise RuntimeError(f"format {fmt.name!r} is registered twice")
            found[fmt.name] = fmt
    return found


MIN_CONFIDENCE = 0.3
SNIFF_CHARS = 1 << 20
"""Detection reads this many opening characters of any input, however it is read (whole, in
pieces on several cores, or streamed): the same input is always told the same way."""


def detect(text: str, name: str = "") -> Format | None:
    """The format `text` is most likely in, or None when no sniffer is confident enough."""
    best: tuple[float, Format] | None = None
    lowered = name.lower()
    text = text[:SNIFF_CHARS]
    for fmt in registry().values():
        if fmt.binary:
            continue
        try:
            score = fmt.sniff(text, name)
        except Exception:  # a sniffer bug must not stop detection of other formats
            score = 0.0
        if score <= 0:
            continue
        if fmt.extensions and lowered.endswith(fmt.extensions):
            score += 0.05
        if best is None or score > best[0]:
            best = (score, fmt)
    if best is None or best[0] < MIN_CONFIDENCE:
        return None
    return best[1]


BYTES_HEAD = 1024
"""Opening bytes a binary format is told by (`detect_bytes`)."""


def detect_bytes(head: bytes, name: str = "") -> Format | None:
    """The binary format (PDF) whose magic bytes `head` opens with, or None: asked before any
    decoding, so that a binary input is parsed from its bytes."""
    for fmt in registry().values():
        if fmt.binary and fmt.sniff_bytes and fmt.sniff_bytes(head[:BYTES_HEAD], name) >= MIN_CONFIDENCE:
            return fmt
    return None


def line_numbers(text: str, offsets: list[int]) -> list[int]:
    """1-based line numbers of ascending character offsets, counted in one pass."""
    lines, line, last = [], 1, 0
    for offset in offsets:
        line += text.count("\n", last, offset)
        last = offset
        lines.append(line)
    return lines


def line_starts(text: str, prefix: str) -> list[int]:
    """Offsets of the lines that begin with `prefix` (a literal search: far cheaper than `^` with re.M)."""
    found = [0] if text.startswith(prefix) else []
    found.extend(m.start() + 1 for m in re.finditer("\n" + re.escape(prefix), text))
    return found

