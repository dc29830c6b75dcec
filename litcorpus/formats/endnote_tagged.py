"""EndNote tagged / Refer (`%0 Journal Article`, `%T`, `%A`, …), records separated by blank
lines; `%T` may come before `%0` and some records lack `%0`."""

from __future__ import annotations

import re

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.formats.tagged import Dialect, TaggedRecord, parse_records
from litcorpus.models import ParseResult, RawRecord

DIALECT = Dialect(
    name="endnote-tagged",
    id_tags=("%M", "%F"),
    tag=r"%[A-Z0-9@!#$&()*+,\-./:;<=>?\[\]^_{|}~]",
    separator=r"[ \t]?",
    start=frozenset({"%0"}),
    blank_line_ends=True,
    continuation=r"(?!%\S)\S",
    new_value_on_continuation=frozenset({"%K"}),  # one keyword a line
)


def sniff(text: str, name: str) -> float:
    head = text.lstrip("\ufeff")[:20000]
    tags = re.findall(r"^%([0ATDJVNPRXKBCIM@])\s", head, re.M)
    if len(tags) >= 3 and ("T" in tags) and ("0" in tags or "A" in tags):
        return 0.85
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    return parse_records(text, name, DIALECT, to_record)


FIELDS = FieldMap({
    "title": ("%T",),
    "authors": ("%A",),
    "journal": ("%J", "%B"),
    "year": ("%D",),
    "date": ("%8", "%D"),
    "volume": ("%V",),
    "issue": ("%N",),
    "pages": ("%P",),
    "doi": ("%R",),
    "doi_mentions": ("%U",),
    "abstract": ("%X",),
    "keywords": ("%K",),
    "publisher": ("%I",),
    "issn": ("%@",),
    "language": ("%G",),
    "affiliations": ("%+",),
    "url": ("%U",),
    "doc_type": ("%0",),
})


def to_record(raw: TaggedRecord) -> RawRecord:
    return FIELDS.raw(raw.index())


FORMATS = [Format("endnote-tagged", sniff, parse, (".enw", ".enl", ".txt", ".refer"),
                  "EndNote tagged / Refer (%0, %T, %A …)", record_break="\n")]
