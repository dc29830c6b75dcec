"""Ovid exports that are not RIS: the tagged Embase/MEDLINE format (`<3001. >` record markers,
`TI  - `, continuation lines) and the field-label display format (`Title` on one line, the value
indented on the next)."""

from __future__ import annotations

import re

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.formats.tagged import Dialect, TaggedRecord, split
from litcorpus.models import Origin, ParseResult, RawRecord

TAGGED = Dialect(
    name="ovid-tagged",
    tag=r"[A-Z][A-Z0-9]",
    separator="  - ?",
    start=frozenset(),  # records are cut at the `<3001. >` markers
    continuation=r" {2,}\S",
    new_value_on_continuation=frozenset({"IN", "MH", "OD", "CR"}),
)
_MARKER = re.compile(r"^<\d+\.?\s*>\s*$", re.M)
_SOURCE = re.compile(r"(?P<journal>[^.]+(?:\.[^.\d][^.]*)*?)\.\s+(?P<volume>\d+)?\s*"
                     r"(?:\((?P<issue>[^)]*)\))?\s*(?::?\s*(?P<pages>[\w\-]*\d[\w\-]*))?.*?(?P<year>(?:19|20)\d\d)")
LABELS = {"Accession Number": "source_id", "Author": "authors", "Authors": "authors",
          "Institution": "affiliations", "Title": "title", "Source": "source", "Abstract": "abstract",
          "Author Keywords": "keywords", "Keywords": "keywords", "Language": "language",
          "Document Type": "doc_type", "ISSN": "issn", "DOI Number": "doi", "DOI": "doi",
          "Year of Publication": "year", "Publication Type": "doc_type",
          "Journal Name": "journal", "Volume": "volume", "Issue": "issue", "Page": "pages",
          "References": "references", "Digital Object Identifier": "doi"}
"""The field-label format's labels -> the names its values are kept under (LABEL_FIELDS maps those)."""
LABEL_FIELDS = FieldMap({
    "title": ("title",), "journal": ("journal",), "year": ("year",), "volume": ("volume",),
    "issue": ("issue",), "pages": ("pages",), "doi": ("doi",), "abstract": ("abstract",),
    "issn": ("issn",), "language": ("language",), "affiliations": ("affiliations",),
    "references": ("references",), "doc_type": ("doc_type",),
}, joined=frozenset({"title", "journal", "abstract", "year", "doi", "issn", "language",
                     "doc_type", "volume", "issue", "pages"}))


def sniff(text: str, name: str) -> float:
    head = text.lstrip("\ufeff")[:20000]
    if _MARKER.search(head) and re.search(r"^(?:VN|DB)  - ", head, re.M):
        return 0.95
    labels = re.findall(r"^(Accession Number|Author|Title|Source|Abstract)\s*$", head, re.M)
    if len(set(labels)) >= 3 and re.search(r"^\s{2}\S", head, re.M):
        return 0.8
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    if re.search(r"^(?:VN|DB)  - ", text[:20000], re.M):
        return _parse_tagged(text, name)
    return _parse_labels(text, name)


def _source(value: str | None) -> dict:
    match = _SOURCE.search(value or "")
    return match.groupdict() if match else {}


def _parse_tagged(text: str, name: str) -> ParseResult:
    result = ParseResult()
    starts = [m.start() for m in _MARKER.finditer(text)] or [0]
    for n, begin in enumerate(starts):
        chunk = text[begin: starts[n + 1] if n + 1 < len(starts) else len(text)]
        offset = text.count("\n", 0, begin)
        for raw in split(_MARKER.sub("", chunk, count=1), TAGGED):
            record = _tagged_record(raw)
            record.origins = [Origin(file=name, line=offset + raw.line, format="ovid-tagged",
                                     source_id=raw.first("UI", "AN"))]
            result.records.append(record)
    return result


TAGGED_FIELDS = FieldMap({
    "title": ("TI",),
    "authors": ("AU",),
    "journal": ("JN", "JT"),
    "year": ("YR", "DP", "PY", "SO"),
    "volume": ("VO", "VI"),
    "pages": ("PG", "SP"),
    "doi": ("DO",),
    "pmid": ("PM",),
    "abstract": ("AB",),
    "keywords": ("KW", "MH"),
    "publisher": ("PB",),
    "language": ("LG", "LA"),
    "affiliations": ("IN",),
    "references": ("CR",),
    "doc_type": ("PT", "ST"),
})


def _tagged_record(raw: TaggedRecord) -> RawRecord:
    """Through TAGGED_FIELDS; what is missing is read from the SO citation (`Journal. 12(3):45`);
    IS is the issue beside a VO volume and the ISSN without one; MeSH's `*` (major topic) is
    syntax, not part of the heading."""
    record = TAGGED_FIELDS.raw(raw.index())
    parts = _source(raw.first("SO"))
    record.journal = record.journal or (parts.get("journal") or "").strip() or None
    record.volume = record.volume or parts.get("volume")
    record.issue = raw.first("IS") if raw.first("VO") else parts.get("issue")
    record.pages = record.pages or parts.get("pages")
    record.issn = _issn(raw)
    record.keywords = [k.lstrip("*") for k in record.keywords]
    return record


def _issn(raw: TaggedRecord) -> str | None:
    """Ovid puts the ISSN in IS when there is no VO (volume) tag."""
    value = raw.first("IS")
    if raw.first("VO") is None and re.match(r"\d{4}-?\d{3}", value or ""):
        return value
    return raw.first("SN")


def _parse_labels(text: str, name: str) -> ParseResult:
    result = ParseResult()
    blocks: list[tuple[int, dict[str, list[str]]]] = []
    current: dict[str, list[str]] | None = None
    label = None
    for number, line in enumerate(text.split("\n"), start=1):
        if re.match(r"^<\d+>\s*$", line.strip()):
            current = {}
            blocks.append((number, current))
            label = None
        elif line and not line[0].isspace() and line.strip() in LABELS or (
                line and not line[0].isspace() and line.strip() and current is not None
                and not line.startswith(" ")):
            label = line.strip()
            if current is None:
                current = {}
                blocks.append((number, current))
        elif line.strip() and current is not None and label:
            current.setdefault(label, []).append(line.strip())
    for number, fields in blocks:
        values: dict[str, list[str]] = {}
        for label, target in LABELS.items():  # the first label with values wins
            if fields.get(label) and target not in values:
                values[target] = fields[label]
        record = LABEL_FIELDS.raw(values)
        source = " ".join(values.get("source", [])) or None
        parts = _source(source)
        record.journal = record.journal or (parts.get("journal") or "").strip() or None
        record.volume = record.volume or parts.get("volume")
        record.issue = record.issue or parts.get("issue")
        record.pages = record.pages or parts.get("pages")
        record.year = record.year or source
        if record.title:
            record.title = re.sub(r"\s*\[[A-Za-z ]+\]\s*$", "", record.title).strip()
        record.authors = [re.sub(r"\s+\d+(?:,\s*\d+)*$", "", n)
                          for n in re.split(r";\s*", " ".join(values.get("authors", [])))]
        record.keywords = [k.strip(" .") for k in re.split(r";\s*", " ".join(values.get("keywords", [])))]
        source_id = " ".join(values.get("source_id", [])).rstrip(".") or None
        record.origins = [Origin(file=name, line=number, format="ovid-labels", source_id=source_id)]
        result.records.append(record)
    return result


FORMATS = [Format("ovid", sniff, parse, (".ovd", ".cgi", ".txt"),
                  "Ovid tagged (Embase, MEDLINE) and Ovid field-label display text")]
