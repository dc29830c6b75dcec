"""RIS in every dialect reviewers meet (Scopus, Web of Science, Ovid/Embase, EBSCO, ProQuest, Lens,
Zotero, EndNote, Rayyan, CAS). `tag_blocks` reads the tag layer as rispy does; which tag means
which field is data (FIELDS, with per-dialect overrides in DIALECT_FIELDS); the dialect is
recognised from the tags."""

from __future__ import annotations

import functools
import re

from litcorpus.formats import Format
from litcorpus.formats.fieldmap import FieldMap
from litcorpus.models import Failure, Origin, ParseResult

# record field -> tags in order of preference (first present wins; see formats.fieldmap)
FIELDS = FieldMap({
    "title": ("TI", "T1", "CT", "BT", "ST"),
    "authors": ("AU", "A1"),
    "journal": ("T2", "JF", "JO", "JA", "J2", "J1", "SO"),
    "year": ("PY", "Y1", "DA", "Y2"),
    "date": ("DA", "Y1", "PY"),
    "volume": ("VL", "VO"),
    "issue": ("IS", "CP"),
    "pages": ("SP",),
    "page_end": ("EP",),
    "doi": ("DO", "DI"),
    "doi_mentions": ("M3", "UR", "L3", "N1"),
    "abstract": ("AB", "N2"),
    "keywords": ("KW",),
    "publisher": ("PB", "PU"),
    "issn": ("SN",),
    "language": ("LA",),
    "affiliations": ("AD", "C1"),
    "url": ("UR", "L2", "LK"),
    "doc_type": ("TY",),
}, every=frozenset({"doi_mentions", "affiliations"}),
    joined=frozenset({"TI", "T1", "T2", "JF", "JO", "AB", "N2"}))
SOURCE_ID = ("AN", "ID", "UT", "U1")
DIALECT_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    # Web of Science RIS: J9/JI are abbreviations, T2 is the full source title; CP is the
    # conference's name, not an issue.
    "wos": {"journal": ("T2", "SO", "JO", "JI", "J9"), "issue": ("IS",)},
    # Ovid: JF is the full journal title, JA the abbreviation.
    "ovid": {"journal": ("JF", "JO", "JA", "T2")},
    # EBSCO: JF full title; AN accession.
    "ebsco": {"journal": ("JF", "JO", "T2")},
    # ProQuest: AN "2214991469; 51887".
    "proquest": {"journal": ("JF", "T2", "JO")},
}
DIALECT_SOURCE_ID = {"ovid": ("ID", "AN")}  # Ovid's ID is its accession number
_RECORD_START = re.compile(r"^TY  -", re.M)
_TAG_LINE = re.compile(r"^[A-Z][A-Z0-9]  -( |$)", re.M)


def sniff(text: str, name: str) -> float:
    """`TY  - ` starting a record and an `ER  -` ending one."""
    head = text[:50000]
    if _RECORD_START.search(head) and re.search(r"^ER  -", head, re.M):
        return 0.9
    if _RECORD_START.search(head) and len(_TAG_LINE.findall(head)) >= 3:
        return 0.6
    if re.search(r"^ER  -", head, re.M) and len(_TAG_LINE.findall(head)) >= 2:
        return 0.5  # a record without TY (rispy's example_bom.ris)
    return 0.0


def dialect(text: str) -> str:
    """Which database or tool wrote the file, from its tags and their values."""
    head = text[:20000]
    db = " ".join(re.findall(r"^(?:DB|DP)  - (.*)$", head, re.M)).lower()
    if "scopus" in db:
        return "scopus"
    if re.search(r"^(?:WE|J9|JI|PI|PA)  -", head, re.M):
        return "wos"
    if "ovid" in db or "embase" in db or "psycinfo" in db or re.search(r"^\d+\.\s*$", head, re.M):
        return "ovid"
    if "ebsco" in db:
        return "ebsco"
    if "proquest" in db:
        return "proquest"
    if re.search(r"^AN  - rayyan-", head, re.M):
        return "rayyan"
    if "lens" in db:
        return "lens"
    if "nlm" in db or "pubmed" in db:
        return "endnote-pubmed"
    if "scifinder" in head.lower() or "cas" == db.strip():
        return "cas"
    if re.search(r"^(?:L4|J2)  -", head, re.M) or re.search(r"^DA  - \d{4}/\d\d", head, re.M):
        return "zotero"
    return "ris"


def parse(text: str, name: str, kind: str | None = None) -> ParseResult:
    """Every TY ... ER block becomes a record; a block cut off before ER is a failure.

    `kind` is the dialect, recognised from the text's head when not given.
    """
    result = ParseResult()
    kind = kind or dialect(text)
    fields = _dialect_map(kind)
    id_tags = DIALECT_SOURCE_ID.get(kind, SOURCE_ID)
    shift = 0
    if not _RECORD_START.search(text):
        text, shift = "TY  - GEN\n" + text, -1  # a record without its TY line
    blocks, cut_off = tag_blocks(text)
    source_format = f"ris/{kind}"
    for line, tags in blocks:
        record = fields.raw(tags)
        source_id = next((values[0] for tag in id_tags if (values := tags.get(tag))), None)
        record.origins = [Origin(file=name, line=max(line + shift, 1), format=source_format,
                                 source_id=source_id)]
        result.records.append(record)
    for line in cut_off:
        result.failures.append(Failure(line=max(line + shift, 1),
                                       reason="record ends without 'ER  -' (file cut short?)"))
    return result


def tag_blocks(text: str) -> tuple[list[tuple[int, dict[str, list[str]]]], list[int]]:
    """The tag layer, as rispy reads it: (records as (first line, tag -> its non-empty values in
    order, a continuation line being a further value of the tag above it), first lines of records
    cut off before `ER  -`). A tag line is two capitals or a capital and a digit, `  -`, and the
    value from its seventh character; lines outside `TY` ... `ER` are passed over."""
    blocks: list[tuple[int, dict[str, list[str]]]] = []
    cut_off: list[int] = []
    current: dict[str, list[str]] | None = None
    values: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        if line[2:5] == "  -" and line[:1].isalpha() and line[:2].isupper():
            tag = line[:2]
            if tag == "TY":
                if current is not None:
                    cut_off.append(start)
                current, start = {}, number
            elif current is None:
                continue
            elif tag == "ER":
                blocks.append((start, current))
                current = None
                continue
            values = current.get(tag)
            if values is None:
                values = current[tag] = []
            value = line[6:].strip()
            if value:
                values.append(value)
        elif current is not None:
            value = line.strip()
            if value:
                values.append(value)
    if current is not None:
        cut_off.append(start)
    return blocks, cut_off


@functools.lru_cache(maxsize=16)
def _dialect_map(kind: str) -> FieldMap:
    return FIELDS.with_fields(**DIALECT_FIELDS.get(kind, {}))


FORMATS = [Format("ris", sniff, parse, (".ris", ".txt"),
                  "RIS (Scopus, Web of Science, Ovid/Embase, EBSCO, ProQuest, Zotero, EndNote, "
                  "Rayyan, CAS)", record_break="TY  -",
                  for_pieces=lambda head: functools.partial(parse, kind=dialect(head)))]
