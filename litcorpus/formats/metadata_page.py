"""A metadata page saved as text (an indexing site's record page).

Labels stand on their own lines with the value after them: `Author:` then `Family Given` names
separated by commas, `Abstract` (sometimes twice) then a structured abstract, `Publisher` then the
publisher, `Reference25 articles.` then numbered references. `Title`, `Journal`, `Year`, `DOI`,
`Volume`, `Issue`, `Pages` and `Keywords` labels are read when present; a page without a title
label has no title.
"""

from __future__ import annotations

import re

from litcorpus.formats import Format
from litcorpus.formats.textblocks import numbered_references, structured_abstract
from litcorpus.models import Kind, Origin, ParseResult, RawRecord

FORMAT = "metadata-page"
LABELS = {
    "author": "authors", "authors": "authors", "title": "title", "journal": "journal",
    "source": "journal", "publication": "journal", "year": "year", "published": "date",
    "doi": "doi", "volume": "volume", "issue": "issue", "pages": "pages", "keywords": "keywords",
    "publisher": "publisher", "abstract": "abstract", "issn": "issn", "language": "language",
}
_LABEL = re.compile(r"^(?P<label>[A-Za-z]+):?\s*(?P<value>.*)$")
_REFERENCES = re.compile(r"^References?\s*(?P<count>\d+)?\s*(?:articles?\.?)?\s*$", re.I)


def _label(line: str) -> tuple[str, str] | None:
    match = _LABEL.match(line)
    if not match:
        return None
    name = LABELS.get(match.group("label").lower())
    if name is None:
        return None
    value = match.group("value").strip()
    if value and not line.rstrip().split(" ")[0].endswith(":"):
        return None  # `Abstract text…` is prose, not a label
    return name, value


def sniff(text: str, name: str) -> float:
    """`Author:` and `Abstract` labels, and a `Publisher` or `Reference… articles.` line."""
    head = [line.strip() for line in text[:20000].split("\n")[:400]]
    has_author = any(line in ("Author:", "Authors:") for line in head)
    has_abstract = "Abstract" in head
    has_tail = "Publisher" in head or any(_REFERENCES.match(line) for line in head if line)
    if has_author and has_abstract:
        return 0.75 if has_tail else 0.5
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    """The whole page is one record."""
    lines = [line.strip() for line in text.split("\n")]
    record = RawRecord(kind=Kind.METADATA_PAGE, names_family_first=True, keywords_comma=True)
    i = 0
    first = next((k for k, line in enumerate(lines) if line), 0)
    while i < len(lines):
        line = lines[i]
        refs = _REFERENCES.match(line) if line else None
        if refs:
            record.references = numbered_references(lines[i + 1:])
            break
        found = _label(line) if line else None
        if found is None:
            i += 1
            continue
        field, value = found
        i += 1
        if field == "abstract":
            while i < len(lines) and (not lines[i] or lines[i] == "Abstract"):
                i += 1
            content = []
            while i < len(lines) and not (lines[i] and (_label(lines[i]) or
                                                         _REFERENCES.match(lines[i]))):
                if lines[i]:
                    content.append(lines[i])
                i += 1
            paragraphs, _ = structured_abstract(content)
            if len(paragraphs) * 2 < len(content):  # not structured: keep every paragraph
                paragraphs = content
            record.abstract = "\n".join(paragraphs) or None
            continue
        if not value:
            while i < len(lines) and not lines[i]:
                i += 1
            value = lines[i] if i < len(lines) else ""
            i += 1
        _set(record, field, value)
    if not (record.title or record.doi or record.authors or record.abstract):
        return ParseResult()
    record.origins = [Origin(file=name, line=first + 1, format=FORMAT, source_id=None)]
    return ParseResult(records=[record])


def _set(record: RawRecord, field: str, value: str) -> None:
    if field == "authors":
        record.authors = re.split(r"\s*[,;]\s*", value)
    elif field in ("keywords", "doi"):
        setattr(record, field, [value])
    else:
        setattr(record, field, value)


FORMATS = [Format(FORMAT, sniff, parse, (".txt",),
                  "metadata page saved as text (Author:, Abstract, Publisher, References)")]
