"""Ovid exports that are not RIS: the tagged Embase/MEDLINE format (`<3001. >` record markers,
`TI  - `, continuation lines) and the field-label display format (`Title` on one line, the value
indented on the next)."""

from __future__ import annotations

import re

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.formats.tagged import Dialect, TaggedRecord, split
from litcorpus.models import Kind, Origin, ParseResult, Record

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


def _tagged_record(raw: TaggedRecord) -> Record:
    source = raw.first("SO")
    parts = _source(source)
    return Record(
        title=raw.first("TI"),
        authors=[a for a in (normalize.author(n) for n in raw.values("AU")) if a],
        journal=raw.first("JN", "JT") or (parts.get("journal") or "").strip() or None,
        year=normalize.year(raw.first("YR", "DP", "PY") or source),
        volume=raw.first("VO", "VI") or parts.get("volume"),
        issue=raw.first("IS") if raw.first("VO") else parts.get("issue"),
        pages=raw.first("PG", "SP") or parts.get("pages"),
        doi=normalize.find_doi(raw.first("DO")),
        pmid=raw.first("PM"),
        abstract=raw.first("AB"),
        keywords=[m.lstrip("*") for m in raw.values("KW") or raw.values("MH")],
        publisher=raw.first("PB"),
        issn=_issn(raw),
        language=raw.first("LG", "LA"),
        affiliations=raw.values("IN"),
        references=raw.values("CR"),
        doc_type=raw.first("PT", "ST"),
        kind=Kind.EXPORT_RECORD,
    )


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
        def get(key: str, fields=fields) -> str | None:
            for label_name, target in LABELS.items():
                if target == key and fields.get(label_name):
                    return " ".join(fields[label_name])
            return None

        source = get("source")
        parts = _source(source)
        title = get("title")
        if title:
            title = re.sub(r"\s*\[[A-Za-z ]+\]\s*$", "", title).strip()
        record = Record(
            title=title,
            authors=[a for a in (normalize.author(re.sub(r"\s+\d+(?:,\s*\d+)*$", "", n))
                                 for n in re.split(r";\s*", get("authors") or "")) if a],
            journal=get("journal") or (parts.get("journal") or "").strip() or None,
            year=normalize.year(get("year") or source),
            volume=get("volume") or parts.get("volume"),
            issue=get("issue") or parts.get("issue"),
            pages=get("pages") or parts.get("pages"),
            doi=normalize.find_doi(get("doi")),
            abstract=get("abstract"),
            keywords=[k.strip(" .") for k in re.split(r";\s*", get("keywords") or "") if k.strip(" .")],
            issn=get("issn"),
            language=get("language"),
            affiliations=fields.get("Institution", []),
            references=fields.get("References", []),
            doc_type=get("doc_type"),
            kind=Kind.EXPORT_RECORD,
        )
        record.origins = [Origin(file=name, line=number, format="ovid-labels",
                                 source_id=(get("source_id") or "").rstrip(".") or None)]
        result.records.append(record)
    return result


FORMATS = [Format("ovid", sniff, parse, (".ovd", ".cgi", ".txt"),
                  "Ovid tagged (Embase, MEDLINE) and Ovid field-label display text")]
