"""MEDLINE / PubMed tagged text (`.nbib`, PubMed's "PubMed" format): `PMID- …`, four-character
tags, continuation lines indented by six spaces."""

from __future__ import annotations

import re

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.formats.tagged import Dialect, TaggedRecord, parse_records
from litcorpus.models import Author, Kind, ParseResult, Record

DIALECT = Dialect(
    name="medline",
    id_tags=("PMID",),
    tag=r"[A-Z][A-Z0-9]{0,3}",
    separator=r"[ \t]*- ",
    start=frozenset({"PMID"}),
    continuation=r" {2,}\S",
)
_SNIFF = re.compile(r"^PMID- \d+", re.M)
_TAG = re.compile(r"^(?:TI  |AB  |FAU |AU  |DP  |TA  |JT  )- ", re.M)


def sniff(text: str, name: str) -> float:
    head = text[:30000]
    if _SNIFF.search(head) and _TAG.search(head):
        return 0.95
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    return parse_records(text, name, DIALECT, to_record)


def to_record(raw: TaggedRecord) -> Record:
    """One MEDLINE record: FAU full names with the AD lines that follow each of them."""
    authors: list[Author] = []
    current: Author | None = None
    for tag, value in raw.fields:
        if tag == "FAU":
            current = normalize.author(value)
            if current:
                authors.append(current)
        elif tag == "AU" and not raw.values("FAU"):
            current = normalize.author(value)
            if current:
                authors.append(current)
        elif tag == "AD" and current is not None:
            current.affiliations.append(value)
    doi = next((normalize.doi(v) for v in raw.values("LID") + raw.values("AID")
                if v.endswith("[doi]")), None)
    date = raw.first("DP")
    return Record(
        title=raw.first("TI", "BTI"),
        authors=authors,
        journal=raw.first("JT", "TA"),
        year=normalize.year(date),
        date=date,
        volume=raw.first("VI"),
        issue=raw.first("IP"),
        pages=raw.first("PG"),
        doi=doi,
        pmid=raw.first("PMID"),
        pmcid=raw.first("PMC"),
        abstract=raw.first("AB"),
        keywords=raw.values("OT") or [m.split("/")[0].lstrip("*") for m in raw.values("MH")],
        publisher=raw.first("PB"),
        issn=raw.first("IS"),
        language=raw.first("LA"),
        affiliations=[] if authors else raw.values("AD"),
        doc_type=raw.first("PT"),
        kind=Kind.EXPORT_RECORD,
    )


FORMATS = [Format("medline", sniff, parse, (".nbib", ".txt", ".medline"),
                  "MEDLINE / PubMed tagged text (.nbib)", record_break="PMID-")]
