"""CNKI / Wanfang NoteExpress exports (`{Reference Type}: Journal Article`, `{Title}: …`).
A Chinese title stays in `title` and the English `{Translated Title}` goes to
`title_translations["en"]`; records that CNKI gives in English stay English."""

from __future__ import annotations

import re

from litcorpus import language
from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.models import Origin, ParseResult

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


FIELDS = FieldMap({
    "title": ("Title",),
    "journal": ("Journal", "Secondary Title"),
    "year": ("Year", "Date"),
    "volume": ("Volume",),
    "issue": ("Issue",),
    "pages": ("Pages",),
    "keywords": ("Keywords",),
    "publisher": ("Publisher",),
    "issn": ("ISBN/ISSN", "ISBN"),
    "url": ("URL",),
    "language": ("Language",),
    "doc_type": ("Reference Type",),
})


def parse(text: str, name: str) -> ParseResult:
    result = ParseResult()
    for line, fields in _records(text):
        record = FIELDS.raw(fields)
        translated = next((v for v in fields.get("Translated Title", []) if v), None)
        if translated and translated != record.title:
            record.title_translations = {"en": translated}
        record.authors = _names(next((v for v in fields.get("Author", []) if v), None))
        abstract = next((v for v in fields.get("Abstract", []) if v), None)
        record.abstract = abstract.replace("(#br)", "\n") if abstract else None
        record.affiliations = _split(next((v for v in fields.get("Author Address", []) if v), None))
        record.language = record.language or language.detect(record.title, langdetect=False)
        record.origins = [Origin(file=name, line=line, format="noteexpress", source_id=None)]
        result.records.append(record)
    return result


FORMATS = [Format("noteexpress", sniff, parse, (".net", ".txt"), "CNKI / Wanfang NoteExpress",
                  record_break="{Reference Type}")]
