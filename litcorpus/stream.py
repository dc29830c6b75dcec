"""Large inputs read in record-aligned pieces, so memory stays bounded whatever the file's size.

A format that names its `record_break` (text that begins a line only between records, such as
`TY  -` for RIS) can be parsed piece by piece: the text is cut just before such a line, each piece
is parsed alone, and line numbers are shifted back to the whole file's.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
from collections.abc import Callable, Iterator
from typing import BinaryIO

from litcorpus import textio
from litcorpus.errors import InputError

BLOCK_BYTES = 1 << 20
HEAD_BYTES = 4 << 20
"""The opening bytes kept for format detection (and a format's `for_pieces`): enough for the
`formats.SNIFF_CHARS` characters detection reads, however many bytes a character takes."""
PIECE_CHARS = 4 << 20
"""A piece is cut at the first record start after this many characters."""
MAX_RECORD_CHARS = 64 << 20
"""A piece that grows past this without a record start fails the file: it is not that format."""
MAX_UNPACK_RATIO = 100
"""An archive member that unpacks to more than this times the archive's size is refused."""

Opener = Callable[[], BinaryIO]


def blocks(opener: Opener, packed_size: int | None = None) -> Iterator[bytes]:
    """The bytes of an input, a block at a time; `packed_size` (an archive's size) bounds what it
    may unpack to, which stops decompression bombs."""
    limit = MAX_UNPACK_RATIO * packed_size + PIECE_CHARS if packed_size is not None else None
    total = 0
    with opener() as handle:
        while block := handle.read(BLOCK_BYTES):
            total += len(block)
            if limit is not None and total > limit:
                raise InputError(f"unpacks to more than {MAX_UNPACK_RATIO} times its packed size; "
                                 "refused as a possible decompression bomb")
            yield block


def survey(opener: Opener, packed_size: int | None = None) -> tuple[str, str, bytes, list[str]]:
    """One pass over an input: (SHA-256, encoding, its first HEAD_BYTES, warnings).

    The encoding is chosen as `textio.decode` would choose it for the whole text: a BOM or UTF-16
    pattern first, then UTF-8 if every byte decodes, else Windows-1252 with a warning.
    """
    digest = hashlib.sha256()
    head = b""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    valid = True
    encoding = None
    for block in blocks(opener, packed_size):
        digest.update(block)
        if len(head) < HEAD_BYTES:
            head += block
            encoding = encoding or textio.encoding_of(head)
        if valid and encoding == "utf-8":
            try:
                utf8.decode(block)
            except UnicodeDecodeError:
                valid = False
    if encoding is None:
        raise InputError("empty file")
    warnings = []
    if encoding == "utf-8":
        if valid:
            encoding = "utf-8-sig"
        else:
            encoding = "cp1252"
            warnings.append(textio.CP1252_WARNING)
    return digest.hexdigest(), encoding, head, warnings


def head_text(head: bytes, encoding: str) -> str:
    """The first block as text for the sniffers (a character cut at its end is dropped)."""
    return textio.clean(head.decode(encoding, errors="ignore"))


def texts(opener: Opener, encoding: str, packed_size: int | None = None) -> Iterator[str]:
    """Decoded text a block at a time, line ends made `\\n` (a `\\r\\n` split across blocks too)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    held = ""
    for block in blocks(opener, packed_size):
        text = held + decoder.decode(block)
        held = ""
        if text.endswith("\r"):
            text, held = text[:-1], "\r"
        yield textio.clean(text)
    tail = held + decoder.decode(b"", final=True)
    if tail:
        yield textio.clean(tail)


def pieces(parts: Iterator[str], record_break: str | None = None) -> Iterator[tuple[int, str]]:
    """(line number of the piece's first line, piece), cut just before lines that begin with
    `record_break`, or, when it is None, between the rows of a CSV table (never inside quotes)."""
    marker = "\n" + record_break if record_break is not None else None
    buffer, line = "", 1
    for part in parts:
        buffer += part
        if len(buffer) < PIECE_CHARS:
            continue
        cut = _before_break(buffer, marker, record_break) if marker else _between_rows(buffer)
        if cut < 0:
            if len(buffer) > MAX_RECORD_CHARS:
                what = repr(record_break) if marker else "a row end outside quotes"
                raise InputError(f"no line starting with {what} in {MAX_RECORD_CHARS >> 20} MB; "
                                 "the file is not in one piece of this format")
            continue
        piece, buffer = buffer[:cut], buffer[cut:]
        yield line, piece
        line += piece.count("\n")
    if buffer:
        yield line, buffer


def split(text: str, record_break: str, parts: int) -> list[tuple[int, str]]:
    """(line number of the piece's first line, piece): `text` cut into at most `parts` pieces of
    about equal numbers of records, each cut just before a line that begins with `record_break`
    (never the first such line, which may end a preamble that belongs with the first record).

    Records, not characters: a record costs about the same to parse and normalise whatever its
    length (on the RIS file with abstracts of BENCHMARKS.md, 114 microseconds a record and 6 a KB),
    so halves of equal length took 190 and 270 ms where halves of equal count take the same."""
    marker = "\n" + record_break
    breaks = []  # every cut allowed: the start of each such line but the first
    at = text.find(marker)
    while (at := text.find(marker, at + 1)) >= 0:
        breaks.append(at + 1)
    cuts = [0, *sorted({breaks[len(breaks) * k // parts] for k in range(1, parts)})] \
        if breaks else [0]
    cuts.append(len(text))
    found, line = [], 1
    for k, (start, end) in enumerate(itertools.pairwise(cuts)):
        if k:  # the lines of the piece before (the last piece's are never counted)
            line += text.count("\n", cuts[k - 1], start)
        found.append((line, text[start:end]))
    return found


def _before_break(buffer: str, marker: str, record_break: str) -> int:
    cut = buffer.rfind(marker)
    if cut == buffer.find(marker) and not buffer.startswith(record_break):
        return -1  # the only break ends a file's preamble: keep it with the first record
    return cut + 1 if cut >= 0 else -1


def _between_rows(buffer: str) -> int:
    """Just after the last newline with an even number of quote marks before it (the buffer starts
    outside quotes; `""` inside a field toggles twice)."""
    quotes = buffer.count('"')
    end = len(buffer)
    while (newline := buffer.rfind("\n", 0, end)) > 0:
        quotes -= buffer.count('"', newline, end)
        if quotes % 2 == 0:
            return newline + 1
        end = newline
    return -1
