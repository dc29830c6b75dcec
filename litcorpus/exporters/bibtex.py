"""BibTeX that bibtexparser and Zotero read: one entry per record, unique ASCII keys, special
characters escaped, `note` naming the origins."""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

from litcorpus.doc_types import BIBTEX_TYPES
from litcorpus.exporters import ExportContext, Exporter
from litcorpus.exporters.fields import origins_text
from litcorpus.models import Kind, Record

_SPECIAL = re.compile(r"([&%$#_])")


def escape(value: str) -> str:
    """Braces dropped (they would unbalance the entry), LaTeX specials escaped."""
    value = value.replace("\\", " ").replace("{", "").replace("}", "")
    return _SPECIAL.sub(r"\\\1", value)


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
    kind = "article" if record.kind is not Kind.FULL_TEXT else "article"
    kind = BIBTEX_TYPES.get(record.doc_type or "", kind)
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
        ("note", f"litcorpus {record.id}; origins: {origins_text(record)}"),
    ]
    body = ",\n".join(f"  {name} = {{{value if name == 'author' else escape(value)}}}"
                      for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def write_bibtex(context: ExportContext, out: TextIO) -> int:
    used: set[str] = set()
    n = 0
    for record in context.records():
        out.write(entry(record, entry_key(record, used)) + "\n")
        n += 1
    return n


EXPORTERS = [Exporter("bibtex", write_bibtex, "BibTeX for Zotero, JabRef and LaTeX")]
