"""Web of Science plain text and `.ciw` (also the old "ISI Export Format"): two-letter tags,
`PT` opens and `ER` closes a record, continuation lines indented by three spaces. A DOI inside the
cited references (CR) is never taken as the record's DOI."""

from __future__ import annotations

import re

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.formats.tagged import Dialect, TaggedRecord, parse_records
from litcorpus.models import Author, Kind, ParseResult, Record

DIALECT = Dialect(
    name="wos",
    id_tags=("UT",),
    tag=r"[A-Z][A-Z0-9]",
    separator=" ?",
    start=frozenset({"PT"}),
    end=frozenset({"ER"}),
    continuation=r" {2,3}\S",
    new_value_on_continuation=frozenset({"AU", "AF", "CR", "C1", "BE", "CA", "SN", "EI", "RP",
                                         "EM", "OI", "RI", "FU"}),
    skip=frozenset({"FN", "VR", "EF"}),
)


def sniff(text: str, name: str) -> float:
    head = text.lstrip("\ufeff")[:20000]
    if re.match(r"\s*(?:FN (?:Clarivate|Thomson|ISI)|FN )", head) and re.search(r"^PT ", head, re.M):
        return 0.95
    if re.search(r"^PT [A-Z]\s*$", head, re.M) and re.search(r"^(?:AU|TI|SO) ", head, re.M) \
            and re.search(r"^ER\s*$", head, re.M):
        return 0.85
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    return parse_records(text, name, DIALECT, to_record)


def to_record(raw: TaggedRecord) -> Record | None:
    if not any(tag in ("TI", "AU", "SO", "DI", "UT") for tag, _ in raw.fields):
        return None  # the file header or an empty block, not a record
    names = raw.values("AF") or raw.values("AU")
    authors: list[Author] = [a for a in (normalize.author(n) for n in names) if a]
    start, end = raw.first("BP"), raw.first("EP")
    pages = f"{start}-{end}" if start and end else start or raw.first("AR")
    return Record(
        title=raw.first("TI"),
        authors=authors,
        journal=raw.first("SO"),
        year=normalize.year(raw.first("PY")),
        date=raw.first("PD"),
        volume=raw.first("VL"),
        issue=raw.first("IS"),
        pages=pages,
        doi=normalize.doi(raw.first("DI")),
        pmid=raw.first("PM"),
        abstract=raw.first("AB"),
        keywords=[k.strip() for v in raw.values("DE") + raw.values("ID")
                  for k in v.split(";") if k.strip()],
        publisher=raw.first("PU"),
        issn=raw.first("SN", "EI"),
        language=raw.first("LA"),
        affiliations=raw.values("C1"),
        references=raw.values("CR"),
        doc_type=raw.first("DT"),
        kind=Kind.EXPORT_RECORD,
    )


FORMATS = [Format("wos", sniff, parse, (".txt", ".ciw", ".isi"),
                  "Web of Science plain text / .ciw (tagged)", record_break="PT ")]
