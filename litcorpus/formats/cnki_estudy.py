"""CNKI E-Study (知网研学) field-label exports: `DataType: 1` opens each record, then one bilingual
label a line (`Title-题名: …`, `Author-作者: 张三;李四;`). CNKI's custom export writes the same kind
of lines with a second label set, each record opening with `SrcDatabase-来源库:` after a blank
line. Labels are read whole, through one map (LABELS): `Page-页码` holds the pages, while
`PageCount-页数` (and the custom export's `PageCount-页码`) is a count of pages and is not read."""

from __future__ import annotations

import re

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.formats.tagged import Dialect, TaggedRecord, parse_records
from litcorpus.models import ParseResult, RawRecord

DIALECT = Dialect(
    name="cnki-estudy",
    tag=r"DataType|[A-Za-z]+-(?:[^\x00-\x7f\s:：]+|DOI)",  # English-Chinese, or `DOI-DOI`
    separator=r"[ \t]*[:：]",
    start=frozenset({"DataType"}),
    blank_line_ends=True,
    continuation=r"\S",  # a value that runs over lines (abstracts): any line that is no label
)

LABELS: dict[str, str] = {
    "Title-题名": "title",
    "Author-作者": "authors",
    "Source-刊名": "journal", "Source-文献来源": "journal", "Source-来源": "journal",
    "Year-年": "year", "Year-年鉴年份": "year",
    "PubTime-出版时间": "date", "PubTime-发表时间": "date", "PubTime-出版日期": "date",
    "Keyword-关键词": "keywords",
    "Summary-摘要": "abstract",
    "Roll-卷": "volume", "Volume-卷": "volume",
    "Period-期": "issue",
    "Page-页码": "pages",
    "Organ-机构": "affiliations", "Organ-单位": "affiliations", "Organ-作者机构": "affiliations",
    "Link-链接": "url", "URL-网址": "url",
    "DOI-DOI": "doi",
    "ISSN-国际标准刊号": "issn",
    "SrcDatabase-来源库": "doc_type",
    "Organ-出版者": "publisher",
}
"""Every label CNKI prints that a record field holds (one field may have several labels)."""

DATA_TYPES = {"1": "期刊", "2": "学位论文", "3": "会议", "4": "报纸", "6": "年鉴"}
"""`DataType` numbers, the document type when the record names no source database."""

_SNIFF_START = re.compile(r"^(?:DataType[ \t]*[:：][ \t]*\d|SrcDatabase-来源库[ \t]*[:：])", re.M)
_SNIFF_TITLE = re.compile(r"^Title-题名[ \t]*[:：]", re.M)
_LIST = re.compile(r"[;；]+")
_NAMES = re.compile(r"[;；]+|(?<=[\u4e00-\u9fff])[,，、](?=[\u4e00-\u9fff])")


def sniff(text: str, name: str) -> float:
    head = text[:20000]
    if "Title-题名" not in head:  # a plain scan before the line-anchored ones
        return 0.0
    head = head.lstrip("\ufeff")
    return 0.95 if _SNIFF_START.search(head) and _SNIFF_TITLE.search(head) else 0.0


def parse(text: str, name: str) -> ParseResult:
    return parse_records(text, name, DIALECT, to_record)


def _split(value: str | None, pattern: re.Pattern = _LIST) -> list[str]:
    return [v.strip() for v in pattern.split(value or "") if v.strip()]


FIELDS = FieldMap({name: (name,) for name in (
    "title", "journal", "year", "date", "volume", "issue", "pages", "doi", "abstract",
    "publisher", "issn", "url")})
"""The record fields LABELS names, read by the field map (lists are split below)."""


def to_record(raw: TaggedRecord) -> RawRecord | None:
    """One record: each label through LABELS, the first value of a field kept."""
    fields: dict[str, list[str]] = {}
    for label, value in raw.fields:
        field = LABELS.get(label)
        if field and value and field not in fields:
            fields[field] = [value]
    if not fields:
        return None  # a header line or a stray `DataType` with nothing under it
    record = FIELDS.raw(fields)
    if record.abstract and record.abstract.startswith("<正>"):  # "from the body text": no abstract
        record.abstract = record.abstract[3:].strip() or None
    if record.date:
        record.date = record.date.split(" ")[0]  # `2021-01-15 16:54`: an online-first time
    first = {field: values[0] for field, values in fields.items()}
    record.authors = _split(first.get("authors"), _NAMES)
    record.keywords = _split(first.get("keywords"))
    record.affiliations = _split(first.get("affiliations"))
    doc_type = first.get("doc_type") or DATA_TYPES.get(raw.first("DataType") or "")
    record.doc_type = [doc_type] if doc_type else []
    return record


FORMATS = [Format("cnki-estudy", sniff, parse, (".txt",),
                  "CNKI E-Study / field-label export (DataType: 1, Title-题名: …)",
                  record_break="DataType:")]
