"""BibTeX that bibtexparser, biblatex and Zotero read: one entry per record, unique ASCII keys,
special characters escaped once (LaTeX escapes that came with the input decoded first), `doi` and
`url` written verbatim as biblatex reads them, `note` naming the origins."""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

from litcorpus.doc_types import BIBTEX_TYPES
from litcorpus.exporters import ExportContext, Exporter
from litcorpus.exporters.fields import origins_text
from litcorpus.models import Record

_SPECIAL = re.compile(r"([&%$#_])")
VERBATIM = ("doi", "url")
"""Fields biblatex reads verbatim: written as they are, never escaped."""
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_ACCENT = re.compile(r"\{?\\(?:([`'^\"~=.])|([uvHc])(?=[\s{]))\s*\{?([A-Za-z])\}?\}?")
_ACCENTS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
            "c": "\u0327"}
_LETTER = re.compile(r"\{?\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i)\}?(?![A-Za-z])")
_LETTERS = {"ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "o": "ø",
            "O": "Ø", "l": "ł", "L": "Ł", "i": "ı"}


def decode(value: str) -> str:
    """LaTeX escapes that came in with the input, decoded once (`\\&` -> `&`, `{\\'e}` -> `é`),
    so that escaping them again does not write them doubled."""
    if "\\" not in value:
        return value
    value = _ESCAPED.sub(r"\1", value)
    value = _ACCENT.sub(lambda m: unicodedata.normalize(
        "NFC", m.group(3) + _ACCENTS[m.group(1) or m.group(2)]), value)
    return _LETTER.sub(lambda m: _LETTERS[m.group(1)], value)


def escape(value: str) -> str:
    """Input escapes decoded, braces dropped (they would unbalance the entry), LaTeX specials
    escaped once."""
    value = decode(value).replace("\\", " ").replace("{", "").replace("}", "")
    return _SPECIAL.sub(r"\\\1", value)


def verbatim(value: str) -> str:
    """A DOI or URL as it is; only braces, which would end the field, are percent-encoded."""
    return value.replace("{", "%7B").replace("}", "%7D")


def entry_key(record: Record, used: set[str]) -> str:
    family = record.authors[0].family if record.authors and record.authors[0].family else "anon"
    base = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9]", "", base) or "anon"
    key = f"{base}{record.year or ''}"
    candidate, n = key, 0
    while candidate in used:
        n += 1
        candidate = f"{key}{chr(96 + n) if n <= 26 else n}"
    used.add(candidate)
    return candidate


def entry(record: Record, key: str) -> str:
    kind = BIBTEX_TYPES.get(record.doc_type or "", "article")
    fields = [
        ("title", record.title),
        ("author", " and ".join(escape(a.display()) for a in record.authors) or None),
        ("journal", record.journal),
        ("year", str(record.year) if record.year else None),
        ("volume", record.volume),
        ("number", record.issue),
        ("pages", record.pages.replace("-", "--") if record.pages else None),
        ("doi", record.doi),
        ("pmid", record.pmid),
        ("pmcid", record.pmcid),
        ("abstract", " ".join(record.abstract.split("\n")) if record.abstract else None),
        ("keywords", "; ".join(record.keywords) or None),
        ("publisher", record.publisher),
        ("issn", record.issn),
        ("language", record.language),
        ("url", record.url),
        ("file", ";".join(f":{_file_field(path)}:PDF" if path.lower().endswith(".pdf")
                          else f":{_file_field(path)}:HTML" for path in record.files) or None),
        ("note", f"litcorpus {record.id}; origins: {origins_text(record)}"),
    ]
    body = ",\n".join(f"  {name} = {{{_value(name, value)}}}" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _value(name: str, value: str) -> str:
    if name in ("author", "file"):
        return value  # each name, each path escaped already
    return verbatim(value) if name in VERBATIM else escape(value)


def _file_field(path: str) -> str:
    """A path as JabRef's `file` field writes it: backslash, colon and semicolon escaped."""
    return (path.replace("\\", "\\\\").replace(":", "\\:").replace(";", "\\;")
            .replace("{", "").replace("}", ""))


def write_bibtex(context: ExportContext, out: TextIO) -> int:
    used: set[str] = set()
    n = 0
    for record in context.records():
        out.write(entry(record, entry_key(record, used)) + "\n")
        n += 1
    return n


EXPORTERS = [Exporter("bibtex", write_bibtex, "BibTeX for Zotero, JabRef and LaTeX")]
