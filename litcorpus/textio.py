"""Bytes to text: BOMs, UTF-16, cp1252 fallback with a warning, and .gz/.zip members in memory."""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from litcorpus.errors import InputError

MAX_ARCHIVE_MEMBER = 512 * 1024 * 1024  # bytes unpacked from one archive member at most

BINARY_SIGNATURES = {
    b"%PDF": "a PDF file; export the records as RIS, MEDLINE or BibTeX instead",
    b"\x89PNG": "a PNG image, not a text export",
    b"\xff\xd8\xff": "a JPEG image, not a text export",
    b"PK\x03\x04": "an Office or other zip-based file, not a text export",
    b"\xd0\xcf\x11\xe0": "an old Office document, not a text export",
}


@dataclass
class Decoded:
    """Text of one input with how it was decoded."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


CP1252_WARNING = "not UTF-8; read as Windows-1252 (Latin-1); check accented names"


def encoding_of(head: bytes) -> str:
    """The encoding the opening bytes show: a BOM's, UTF-16 by its zero bytes, or `utf-8` (to be
    confirmed by decoding). Raises InputError for binary content."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return name
    head = head[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return "utf-16-be"
    for signature, what in BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise InputError(f"this is {what}")
    if b"\x00" in head:
        raise InputError("binary content (NUL bytes), not a text export")
    return "utf-8"


def decode(data: bytes, line_ends: bool = True) -> Decoded:
    """Decode input bytes: BOM first, then UTF-16 without BOM, UTF-8, and cp1252 as a last resort.

    `line_ends=False` leaves `\\r\\n` and `\\r` as they are, for `clean` to fold piece by piece.
    """
    encoding = encoding_of(data)
    if encoding in ("utf-8-sig", "utf-16"):
        try:
            return Decoded(clean(data.decode(encoding), line_ends), encoding)
        except UnicodeDecodeError as exc:
            raise InputError(f"starts with a {encoding} byte-order mark but is not {encoding}: "
                             f"{exc.reason}") from None
    if encoding != "utf-8":
        return Decoded(clean(data.decode(encoding, errors="replace"), line_ends), encoding)
    try:
        return Decoded(clean(data.decode("utf-8"), line_ends), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if _looks_binary(text):
        raise InputError("binary content that decodes as no text encoding")
    return Decoded(clean(text, line_ends), "cp1252", [CP1252_WARNING])


def clean(text: str, line_ends: bool = True) -> str:
    """Normalise line ends to \\n (unless told not to) and drop a stray BOM."""
    text = text.lstrip("\ufeff")
    if line_ends and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\f") or c == "\ufffd")
    return controls / len(sample) > 0.05


def unpack(name: str, data: bytes, member: str | None = None
           ) -> Iterator[tuple[str | None, bytes]]:
    """Yield (member, bytes): (None, data) for a plain file, each member of a .zip, or the
    content of a .gz, by its name inside the archive (`inner.zip!a.ris` for an archive inside one).

    Archives are read in memory, never unpacked to disk.
    """
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
                inner = handle.read(MAX_ARCHIVE_MEMBER + 1)
        except (OSError, EOFError) as exc:
            raise InputError(f"broken gzip file: {exc}") from None
        if len(inner) > MAX_ARCHIVE_MEMBER:
            raise InputError("gzip content larger than 512 MiB; unpack it first")
        yield from unpack(name, inner, _inside(member, gz_member_name(member or name, data)))
        return
    if data[:4] == b"PK\x03\x04" and is_zip(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in zip_members(archive):
                if info.file_size > MAX_ARCHIVE_MEMBER:
                    raise InputError(f"zip member {info.filename} is larger than 512 MiB")
                yield from unpack(name, archive.read(info), _inside(member, info.filename))
        return
    yield member, data


def _inside(outer: str | None, inner: str) -> str:
    return f"{outer}!{inner}" if outer else inner


def gz_member_name(name: str, head: bytes = b"") -> str:
    """What a .gz file's content is called: the name its header stores (gzip's FNAME), else the
    file's name without `.gz` (`export.ris.gz` -> `export.ris`)."""
    if len(head) > 10 and head[:2] == b"\x1f\x8b" and head[3] & 0x08:
        at = 10
        if head[3] & 0x04:  # FEXTRA comes first
            at += 2 + int.from_bytes(head[10:12], "little")
        end = head.find(b"\x00", at)
        if end > at:
            return PurePath(head[at:end].decode("latin-1")).name
    base = PurePath(name).name
    return base[:-3] if base.lower().endswith(".gz") and len(base) > 3 else base


def zip_members(archive: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo]:
    """The files of a zip archive, without folders and macOS resource forks."""
    for info in archive.infolist():
        if not (info.is_dir() or info.filename.startswith("__MACOSX/")):
            yield info


def is_zip(source) -> bool:
    """A zip archive of exports (a path or a binary file), not an Office document."""
    try:
        with zipfile.ZipFile(source) as archive:
            return not any(n.endswith((".xml", ".rels")) and n.startswith(("word/", "xl/", "ppt/", "["))
                           for n in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
