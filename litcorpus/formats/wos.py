"""Web of Science plain text and `.ciw` (also the old "ISI Export Format"): two-letter tags,
`PT` opens and `ER` closes a record, continuation lines indented by three spaces. A DOI inside the
cited references (CR) is never taken as the record's DOI."""

from __future__ import annotations

import re

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.formats.tagged import Dialect, TaggedRecord, parse_records
from litcorpus.models import ParseResult, RawRecord

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


FIELDS = FieldMap({
    "title": ("TI",),
    "authors": ("AF", "AU"),
    "journal": ("SO",),
    "year": ("PY",),
    "date": ("PD",),
    "volume": ("VL",),
    "issue": ("IS",),
    "pages": ("BP",),
    "page_end": ("EP",),
    "article_number": ("AR",),
    "doi": ("DI",),
    "pmid": ("PM",),
    "abstract": ("AB",),
    "keywords": ("DE", "ID"),
    "publisher": ("PU",),
    "issn": ("SN", "EI"),
    "language": ("LA",),
    "affiliations": ("C1",),
    "references": ("CR",),
    "doc_type": ("DT", "PT"),
}, every=frozenset({"keywords"}))
_RECORD_TAGS = ("TI", "AU", "SO", "DI", "UT")


def to_record(raw: TaggedRecord) -> RawRecord | None:
    index = raw.index()
    if not any(tag in index for tag in _RECORD_TAGS):
        return None  # the file header or an empty block, not a record
    return FIELDS.raw(index)


FORMATS = [Format("wos", sniff, parse, (".txt", ".ciw", ".isi"),
                  "Web of Science plain text / .ciw (tagged)", record_break="PT ")]
