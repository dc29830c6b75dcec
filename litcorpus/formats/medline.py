"""MEDLINE / PubMed tagged text (`.nbib`, PubMed's "PubMed" format): `PMID- …`, four-character
tags, continuation lines indented by six spaces."""

from __future__ import annotations

import re

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.formats.tagged import Dialect, TaggedRecord, parse_records
from litcorpus.models import ParseResult, RawName, RawRecord

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


FIELDS = FieldMap({
    "title": ("TI", "BTI"),
    "journal": ("JT", "TA"),
    "year": ("DP",),
    "date": ("DP",),
    "volume": ("VI",),
    "issue": ("IP",),
    "pages": ("PG",),
    "pmid": ("PMID",),
    "pmcid": ("PMC",),
    "abstract": ("AB",),
    "keywords": ("OT",),
    "publisher": ("PB",),
    "issn": ("IS",),
    "language": ("LA",),
    "doc_type": ("PT",),
})


def to_record(raw: TaggedRecord) -> RawRecord:
    """One MEDLINE record: FAU full names (AU when there are none) with the AD lines that follow
    each; the DOI from LID/AID values marked `[doi]`; MeSH headings when there are no keywords."""
    names: list[RawName] = []
    name_tag = "FAU" if raw.values("FAU") else "AU"
    for tag, value in raw.fields:
        if tag == name_tag:
            names.append(RawName(value))
        elif tag == "AD" and names:
            names[-1].affiliations.append(value)
    record = FIELDS.raw(raw.index())
    record.authors = names
    record.doi = [v for v in raw.values("LID") + raw.values("AID") if v.endswith("[doi]")]
    if not record.keywords:
        record.keywords = [m.split("/")[0].lstrip("*") for m in raw.values("MH")]
    if not names:
        record.affiliations = raw.values("AD")
    return record


FORMATS = [Format("medline", sniff, parse, (".nbib", ".txt", ".medline"),
                  "MEDLINE / PubMed tagged text (.nbib)", record_break="PMID-")]
