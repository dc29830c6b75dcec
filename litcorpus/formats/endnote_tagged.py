"""EndNote tagged / Refer (`%0 Journal Article`, `%T`, `%A`, …), records separated by blank
lines; `%T` may come before `%0` and some records lack `%0`."""

from __future__ import annotations

import re

from litcorpus import normalize
from litcorpus.formats import Format
from litcorpus.formats.tagged import Dialect, TaggedRecord, parse_records
from litcorpus.models import Kind, ParseResult, Record

DIALECT = Dialect(
    name="endnote-tagged",
    id_tags=("%M", "%F"),
    tag=r"%[A-Z0-9@!#$&()*+,\-./:;<=>?\[\]^_{|}~]",
    separator=r"[ \t]?",
    start=frozenset({"%0"}),
    blank_line_ends=True,
    continuation=r"(?!%\S)\S",
)


def sniff(text: str, name: str) -> float:
    head = text.lstrip("\ufeff")[:20000]
    tags = re.findall(r"^%([0ATDJVNPRXKBCIM@])\s", head, re.M)
    if len(tags) >= 3 and ("T" in tags) and ("0" in tags or "A" in tags):
        return 0.85
    return 0.0


def parse(text: str, name: str) -> ParseResult:
    return parse_records(text, name, DIALECT, to_record)


def to_record(raw: TaggedRecord) -> Record:
    return Record(
        title=raw.first("%T"),
        authors=[a for a in (normalize.author(n) for n in raw.values("%A")) if a],
        journal=raw.first("%J", "%B"),
        year=normalize.year(raw.first("%D")),
        date=raw.first("%8", "%D"),
        volume=raw.first("%V"),
        issue=raw.first("%N"),
        pages=raw.first("%P"),
        doi=normalize.find_doi(raw.first("%R")) or normalize.find_doi(raw.first("%U")),
        abstract=raw.first("%X"),
        keywords=[k.strip() for v in raw.values("%K") for k in re.split(r"[;\n]", v) if k.strip()],
        publisher=raw.first("%I"),
        issn=raw.first("%@"),
        language=raw.first("%G"),
        affiliations=raw.values("%+"),
        url=raw.first("%U"),
        doc_type=raw.first("%0"),
        kind=Kind.EXPORT_RECORD,
    )


FORMATS = [Format("endnote-tagged", sniff, parse, (".enw", ".enl", ".txt", ".refer"),
                  "EndNote tagged / Refer (%0, %T, %A …)", record_break="\n")]
