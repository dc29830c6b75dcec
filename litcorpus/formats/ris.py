"""RIS in every dialect reviewers meet (Scopus, Web of Science, Ovid/Embase, EBSCO, ProQuest, Lens,
Zotero, EndNote, Rayyan, CAS). rispy reads the tag layer; which tag means which field is data
(FIELDS, with per-dialect overrides in DIALECT_FIELDS); the dialect is recognised from the tags."""

from __future__ import annotations

import functools
import re

import rispy

from litcorpus import normalize
from litcorpus.formats import Format, line_numbers, line_starts
from litcorpus.models import Failure, Kind, Origin, ParseResult, Record

# record field -> tags in order of preference (first present wins)
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("TI", "T1", "CT", "BT", "ST"),
    "authors": ("AU", "A1"),
    "journal": ("T2", "JF", "JO", "JA", "J2", "J1", "SO"),
    "year": ("PY", "Y1", "DA", "Y2"),
    "date": ("DA", "Y1", "PY"),
    "volume": ("VL", "VO"),
    "issue": ("IS", "CP"),
    "start_page": ("SP",),
    "end_page": ("EP",),
    "doi": ("DO", "DI", "M3", "UR", "L3", "N1"),
    "abstract": ("AB", "N2"),
    "keywords": ("KW",),
    "publisher": ("PB", "PU"),
    "issn": ("SN",),
    "language": ("LA",),
    "affiliations": ("AD", "C1"),
    "source_id": ("AN", "ID", "UT", "U1"),
    "url": ("UR", "L2", "LK"),
    "notes": ("N1",),
}
DIALECT_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    # Web of Science RIS: J9/JI are abbreviations, T2 is the full source title; CP is the
    # conference's name, not an issue.
    "wos": {"journal": ("T2", "SO", "JO", "JI", "J9"), "issue": ("IS",)},
    # Ovid: JF is the full journal title, JA the abbreviation; ID is Ovid's accession number.
    "ovid": {"journal": ("JF", "JO", "JA", "T2"), "source_id": ("ID", "AN")},
    # EBSCO: JF full title; AN accession.
    "ebsco": {"journal": ("JF", "JO", "T2")},
    # ProQuest: AN "2214991469; 51887".
    "proquest": {"journal": ("JF", "T2", "JO")},
}
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
    fields = {**FIELDS, **DIALECT_FIELDS.get(kind, {})}
    offsets = line_starts(text, "TY  -")
    if not offsets:
        text = "TY  - GEN\n" + text  # a record without its TY line
        offset, offsets = -1, [0]
    else:
        offset = 0
    starts = [n + offset for n in line_numbers(text, offsets)]
    try:
        raw_records = rispy.loads(text, implementation=_TagLists, mapping={"TY": "TY"})
    except Exception as exc:  # rispy is a third-party parser: report, never crash
        result.failures.append(Failure(reason=f"RIS could not be read: {exc}"))
        return result
    for n, raw in enumerate(raw_records):
        line = max(starts[n], 1) if n < len(starts) else None
        raw["TY"] = [raw["TY"]] if raw.get("TY") else []  # rispy reads the TY line itself
        try:
            record = to_record(raw, fields)
        except (ValueError, TypeError) as exc:
            result.failures.append(Failure(line=line, reason=f"unreadable RIS record: {exc}"))
            continue
        record.origins = [Origin(file=name, line=line, format=f"ris/{kind}",
                                 source_id=_first(raw, fields["source_id"]))]
        result.records.append(record)
    for start in starts[len(raw_records):]:
        result.failures.append(Failure(line=start, reason="record ends without 'ER  -' "
                                                          "(file cut short?)"))
    return result


class _TagLists(rispy.RisParser):
    """rispy's RIS reader, keeping every tag as a list of its non-empty values (continuation lines
    included), whatever the tag: the field maps decide what a tag means, not the tag layer."""

    def _add_tag(self, record: dict, tag: str | None, content: str, extend_multiline: bool = False
                 ) -> None:
        if content and tag:
            try:
                record[tag].append(content)
            except KeyError:
                record[tag] = [content]


_JOINED = frozenset(("TI", "T1", "T2", "JF", "JO"))  # tags whose continuation lines are one value
_DOI_TAGS = frozenset(("DO", "DI"))  # a DOI field; other tags are searched only when they mention one
_DATE_PARTS = re.compile(r"[/\-]")
_YEAR = re.compile(r"\d{4}")
_PLAIN = ("title", "journal", "volume", "issue", "publisher", "issn", "language", "url")  # as given


def _first(raw: dict[str, list[str]], tags: tuple[str, ...]) -> str | None:
    for tag in tags:
        values = raw.get(tag)
        if values:
            return " ".join(values) if tag in _JOINED else values[0]
    return None


def to_record(raw: dict[str, list[str]], fields: dict[str, tuple[str, ...]]) -> Record:
    """One tag dictionary (tag -> non-empty values) to a record, through the field map."""
    values: dict = {"kind": Kind.EXPORT_RECORD}  # only what the record has: less to validate
    for tag in fields["authors"]:
        names = raw.get(tag)
        if names:
            values["authors"] = [a for a in map(normalize.author, names) if a]
            break
    for tag in fields["doi"]:
        for value in raw.get(tag, ()):
            if tag in _DOI_TAGS or value.startswith("10.") or "doi" in value.lower():
                doi = normalize.find_doi(value)
                if doi:
                    values["doi"] = doi
                    break
        if "doi" in values:
            break
    start, end = _first(raw, fields["start_page"]), _first(raw, fields["end_page"])
    pages = f"{start}-{end}" if start and end and end != start else start
    for tag in fields["abstract"]:
        if tag in raw:
            values["abstract"] = " ".join(raw[tag])
            break
    keywords = raw.get("KW")
    if keywords:
        values["keywords"] = [k for value in keywords
                              for k in (value.split(";") if ";" in value else (value,))]
    affiliations = [a for tag in fields["affiliations"] for a in raw.get(tag, ())]
    if affiliations:
        values["affiliations"] = affiliations
    for name in _PLAIN:
        for tag in fields[name]:
            found = raw.get(tag)
            if found:
                values[name] = " ".join(found) if tag in _JOINED else found[0]
                break
    type_code = raw["TY"][0].strip() if raw.get("TY") else ""
    for name, value in (
            ("year", normalize.year(_first(raw, fields["year"]))),
            ("date", _clean_date(_first(raw, fields["date"]))),
            ("pages", pages),
            ("doc_type", type_code or None)):
        if value is not None:
            values[name] = value
    return Record(**values)


def _clean_date(value: str | None) -> str | None:
    """`2020/03/01/` -> `2020-03-01`, `2012///` -> `2012`."""
    if not value:
        return None
    parts = [p for p in _DATE_PARTS.split(value.strip()) if p.strip()]
    if parts and _YEAR.fullmatch(parts[0]):
        nums = [parts[0]] + [p.zfill(2) for p in parts[1:3] if p.isdigit()]
        return "-".join(nums)
    return value.strip() or None


FORMATS = [Format("ris", sniff, parse, (".ris", ".txt"),
                  "RIS (Scopus, Web of Science, Ovid/Embase, EBSCO, ProQuest, Zotero, EndNote, "
                  "Rayyan, CAS)", record_break="TY  -",
                  for_pieces=lambda head: functools.partial(parse, kind=dialect(head)))]
