"""Match keys: normalised forms of a record's fields, used only for comparing, never shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcorpus import normalize
from litcorpus.models import Record

_ERRATUM = re.compile(r"^(?:erratum|errata|corrigendum|correction|retraction|retracted|"
                      r"notice of retraction|expression of concern)\b")
_ANNOTATION = re.compile(r"\[[^\]]{0,120}\]")
_COMMENT = re.compile(r"^(?:comment(?:ary)? on|reply to|response to|re|letter to the editor|"
                      r"author reply|authors reply|in reply)\b")
_PART = re.compile(r"\b(?:part|pt|study|phase|paper)\s+(\d+|[ivx]{1,4}|one|two|three|four)\b")
_PREPRINT_DOI = ("10.1101/", "10.21203/", "10.2139/ssrn", "10.31219/", "10.31234/", "10.20944/",
                 "10.48550/")
_PREPRINT_VENUE = re.compile(r"\b(?:medrxiv|biorxiv|arxiv|ssrn|preprints?|research square|"
                             r"psyarxiv|osf preprints)\b")
_STOP = frozenset("of the and in for on a an to & journal j".split())
_TRAILING_LANG = re.compile(r"\s(?:chinese|german|french|spanish|japanese|russian|portuguese|"
                            r"italian|polish|korean|article in \w+)$")


@dataclass(slots=True)
class Keys:
    """What dedupe compares for one record."""

    index: int
    id: str
    doi: str | None
    pmid: str | None
    title: str
    authors: tuple[str, ...]
    people: tuple[Person, ...]  # the same authors with more of their names, for garbled exports
    year: int | None
    journal: tuple[str, ...]
    volume: str | None
    issue: str | None
    first_page: str | None
    pages: str | None
    script: str
    issn: str | None
    erratum: bool
    comment: bool
    part: str | None
    preprint: bool


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "junior", "senior"})


@dataclass(frozen=True, slots=True)
class Person:
    """One author's names as folded keys: family (`author_key`), the first given name when it is
    spelled out, both initials, and the whole family name without spaces."""

    family: str
    given: str
    family_initial: str
    given_initial: str
    compound: str


def person(family: str | None, given: str | None) -> Person:
    """Keys of one author (family missing: the given name stands in, as in `author_key`)."""
    family, given = (family, given) if family else (given, None)
    given_words = normalize.fold(given).split()
    first_given = given_words[0] if given_words else ""
    return Person(family=author_key(family), given=first_given if len(first_given) > 1 else "",
                  family_initial=normalize.fold(family)[:1], given_initial=first_given[:1],
                  compound=normalize.fold(family).replace(" ", ""))


def same_person(p: Person, q: Person) -> bool:
    """The same author although an export garbled the name: given and family swapped
    (`Carignani, Andrea` ~ `Andrea, C.`) or a compound family name split (`Andres-Gamboa, O` ~
    `Andres, Gamboa O`). Initials must agree, so two different people rarely pass."""
    if p.family == q.family:
        return True
    for x, y in ((p, q), (q, p)):
        if x.given and x.given == y.family and y.given_initial == x.family_initial:
            return True
        if x.given and len(x.compound) >= 3 and x.compound + x.given == y.compound:
            return True
    return False


def author_key(family: str | None) -> str:
    """Last word of a family name, folded: `van Kessel`, `Kessel` and `Si Hyun Kang` (a full name
    in the family field) compare as `kessel` and `kang`; lost characters (`Bu?lova`) are dropped."""
    words = [w for w in normalize.fold(family).split() if w not in _SUFFIXES]
    return words[-1] if words else ""


def journal_words(value: str | None) -> tuple[str, ...]:
    """Journal name as significant words, for abbreviation-aware comparison."""
    words = normalize.fold(value).replace("&", " ").split()
    return tuple(w for w in words if w not in _STOP)


def keys(record: Record, index: int) -> Keys:
    """Derive the match keys of one record."""
    raw_title = record.title or ""
    stripped = _ANNOTATION.sub(" ", raw_title)
    title = normalize.title_key(stripped if len(stripped.strip()) > 10 else raw_title)
    title = _TRAILING_LANG.sub("", title)
    journal = journal_words(record.journal)
    doi = record.doi
    venue = " ".join(journal)
    volume = _volume(record.volume)
    if volume is not None and record.year is not None and volume == str(record.year):
        volume = None  # a volume printed as the year (HBR's `2016`) says nothing the year does not
    people = tuple(p for p in (person(a.family, a.given) for a in record.authors) if p.family)
    return Keys(
        index=index,
        id=record.id or str(index),
        doi=doi,
        pmid=record.pmid,
        title=title,
        authors=tuple(p.family for p in people),
        people=people,
        year=record.year,
        journal=journal,
        volume=volume,
        issue=_issue(record.issue),
        first_page=normalize.first_page(record.pages),
        pages=(normalize.pages_full(record.pages) or "").lower() or None,
        script=_script(raw_title),
        issn=re.sub(r"[^0-9x]", "", (record.issn or "").lower())[:8] or None,
        erratum=bool(_ERRATUM.search(title)) or record.doc_subtype == "erratum",
        comment=bool(_COMMENT.search(title)) or record.doc_subtype in ("comment", "editorial")
        or "letter" in normalize.fold(record.doc_type_original),
        part=_part(title),
        preprint=bool(doi and doi.startswith(_PREPRINT_DOI)) or bool(_PREPRINT_VENUE.search(venue)),
    )


def _volume(value: str | None) -> str | None:
    """The volume number: `35 Suppl 1` -> `35`; a value without digits (`(Jul)`) is no volume."""
    folded = normalize.fold(value)
    match = re.match(r"^(\d+)", folded)
    if match:
        return match.group(1).lstrip("0") or "0"
    return folded if re.search(r"\d", folded) else None


_MONTH = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def _issue(value: str | None) -> str | None:
    """The issue as printed, folded; a month name (`May`, `Jul-Aug`) is no issue number."""
    folded = normalize.fold(value)
    return None if not folded or _MONTH.match(folded) else folded


def _script(title: str) -> str:
    """`cjk`, `cyrillic`, `greek` or `latin`: what most letters of a title are written in."""
    letters = [c for c in title if c.isalpha()]
    if not letters:
        return "latin"
    for name, low, high in (("cjk", "\u3040", "\u9fff"), ("cyrillic", "\u0400", "\u04ff"),
                            ("greek", "\u0370", "\u03ff"), ("hangul", "\uac00", "\ud7af")):
        if sum(1 for c in letters if low <= c <= high) > len(letters) / 3:
            return name
    return "latin"


def pages_agree(a: str | None, b: str | None) -> bool | None:
    """Whether two page fields can be the same article: True when the first pages are equal,
    False only when both are clean ranges or numbers that clearly differ, else None (unknown:
    garbled exports print `Suppl-29` for `S417-S429`)."""
    if not a or not b:
        return None
    first_a, _, last_a = a.partition("-")
    first_b, _, last_b = b.partition("-")
    if first_a == first_b:
        return True
    if (not last_a and last_b and first_a == last_b) or (not last_b and last_a and first_b == last_a):
        return None  # `569` for `567-569`: only the last page printed
    clean = re.compile(r"^[a-z]?\d+$")
    if not (clean.match(first_a) and clean.match(first_b)):
        return None
    if first_a[0].isalpha() != first_b[0].isalpha():
        return None  # an article number (e12724) beside a page range
    if last_a and last_b and (last_a.endswith(last_b) or last_b.endswith(last_a)):
        return None
    return False


def _part(title: str) -> str | None:
    match = _PART.search(title)
    if not match:
        return None
    value = match.group(1)
    return {"i": "1", "ii": "2", "iii": "3", "iv": "4", "one": "1", "two": "2", "three": "3",
            "four": "4"}.get(value, value)


def journals_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool | None:
    """True when the names are equal or one abbreviates the other word by word
    (`bmc health serv res` ~ `bmc health services research`); None when either is missing."""
    if not a or not b:
        return None
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(long) >= 3 and "".join(w[0] for w in long) in short[:1] + short[-1:] or (
            len(short) >= 3 and "".join(w[0] for w in short) in long[:1] + long[-1:]):
        return True  # `icis ...` ~ `international conference information systems`
    if len(short) != len(long):
        # `journal of clinical virology : the official publication of ...`: a subtitle or a
        # second-language title after the name; the shorter name must open the longer one
        return len(short) >= 2 and all(x.startswith(y) or y.startswith(x)
                                       for x, y in zip(long, short, strict=False))
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(a, b, strict=True))
