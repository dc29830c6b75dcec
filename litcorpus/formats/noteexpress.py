"""CNKI / Wanfang NoteExpress exports (`{Reference Type}: Journal Article`, `{Title}: …`).
A Chinese title stays in `title` and the English `{Translated Title}` goes to
`title_translations["en"]`; records that CNKI gives in English stay English."""

from __future__ import annotations

import re

from litcorpus import language, normalize
from litcorpus.formats import Format
from litcorpus.models import Kind, Origin, ParseResult, Record

_FIELD = re.compile(r"^\{([^}]+)\}\s*[:：]\s?(.*)$")


def sniff(text: str, name: str) -> float:
    head = text.lstrip("\ufeff")[:5000]
    return 0.95 if re.search(r"^\{Reference Type\}\s*[:：]", head, re.M) else 0.0


def _records(text: str):
    current, start, last = None, 0, None
    for number, line in enumerate(text.split("\n"), start=1):
        match = _FIELD.match(line)
        if match:
            key, value = match.group(1).strip().rstrip(","), match.group(2).strip()
            if key == "Reference Type" and current:
                yield start, current
                current = None
            if current is None:
                current, start = {}, number
            current.setdefault(key, []).append(value)
            last = key
        elif line.strip() and current is not None and last:
            current[last][-1] = f"{current[last][-1]} {line.strip()}".strip()
    if current:
        yield start, current


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in re.split(r";+|；+", value or "") if v.strip()]


def _names(value: str | None) -> list[str]:
    """Authors: `;`-separated; Chinese names may also be separated by commas (`周岷江,王天益`)."""
    if value and re.search(r"[\u4e00-\u9fff]", value):
        return [v.strip() for v in re.split(r"[;；,，、]+", value) if v.strip()]
    return _split(value)


def parse(text: str, name: str) -> ParseResult:
    result = ParseResult()
    for line, fields in _records(text):
        def first(*keys: str, fields=fields) -> str | None:
            for key in keys:
                for value in fields.get(key, []):
                    if value:
                        return value
            return None

        title = first("Title")
        translated = first("Translated Title")
        abstract = (first("Abstract") or "").replace("(#br)", "\n") or None
        record = Record(
            title=title,
            title_translations={"en": translated} if translated and translated != title else {},
            authors=[a for a in (normalize.author(n) for n in _names(first("Author"))) if a],
            journal=first("Journal", "Secondary Title"),
            year=normalize.year(first("Year", "Date")),
            volume=first("Volume"),
            issue=first("Issue"),
            pages=first("Pages"),
            abstract=abstract,
            keywords=_split(first("Keywords")),
            publisher=first("Publisher"),
            issn=first("ISBN/ISSN", "ISBN"),
            affiliations=_split(first("Author Address")),
            url=first("URL"),
            language=language.code(first("Language")) or language.detect(title, langdetect=False),
            doc_type=first("Reference Type"),
            kind=Kind.EXPORT_RECORD,
        )
        record.origins = [Origin(file=name, line=line, format="noteexpress", source_id=None)]
        result.records.append(record)
    return result


FORMATS = [Format("noteexpress", sniff, parse, (".net", ".txt"), "CNKI / Wanfang NoteExpress",
                  record_break="{Reference Type}")]
