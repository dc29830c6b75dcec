"""Match keys: normalised forms of a record's fields, used only for comparing, never shown.

Every key is a small string, number or tuple, so that issue 19 can hold them in columns and compare
pairs in batches; nothing here looks at another record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from litcorpus import normalize
from litcorpus.models import Kind, Record

_ERRATUM = re.compile(r"^(?:errata|correction|author correction|publisher correction)\b|"
                      r"\b(?:erratum|corrigendum|corrigenda|correction to)\b")
_RETRACTION = re.compile(r"^(?:retraction|retracted|notice of retraction|withdrawn|"
                         r"expression of concern)\b")
_ANNOTATION = re.compile(r"\[[^\]]{0,120}(?:\]|$)")  # `[Chinese]`, `[Erratum appears in ...` cut short
_BRACKETED = re.compile(r"\[([^\]]{20,300})\]")
_COMMENT = re.compile(r"^(?:comment(?:ary)? on|reply to|response to|re|in response to|"
                      r"author reply|authors reply|in reply|reply)\b")
_PART = re.compile(r"\b(?:part|pt|study|phase|paper)\s+(\d+|[ivx]{1,4}|one|two|three|four)\b")
_PREPRINT_DOI = ("10.1101/", "10.21203/", "10.2139/ssrn", "10.31219/", "10.31234/", "10.20944/",
                 "10.48550/")
_PREPRINT_VENUE = re.compile(r"\b(?:medrxiv|biorxiv|arxiv|ssrn|preprints?|research square|"
                             r"psyarxiv|osf preprints)\b")
_STOP = frozenset("of the and in for on a an to & journal j".split())
_TRAILING_LANG = re.compile(r"\s(?:chinese|german|french|spanish|japanese|russian|portuguese|"
                            r"italian|polish|korean|article in \w+)$")
_SPLIT = re.compile(r"\s*(?:;|\s=\s|\s/\s)\s*")
_ENGLISH = frozenset("the of and in for with on by to a an from is are at as after during versus "
                     "vs or between among".split())
_FOREIGN = frozenset("de la el los las en y del con por para una un le les des et du au aux pour "
                     "sur dans der die das und mit von zur zum bei fur im den dem di il della delle "
                     "e em do da dos das com na no ao uma".split())
_MONTH = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*")
_fold = lru_cache(maxsize=1 << 16)(normalize.fold)  # journal and author names repeat in a corpus


@dataclass(slots=True)
class Keys:
    """What dedupe compares for one record."""

    index: int
    id: str
    doi: str | None
    pmid: str | None
    title: str
    title_parts: tuple[str, ...]  # other forms of the title: one language of a bilingual title
    authors: tuple[str, ...]
    people: tuple[Person, ...]  # the same authors with more of their names, for garbled exports
    year: int | None
    journal: tuple[str, ...]
    volume: str | None
    issue: str | None
    first_page: str | None
    pages: str | None
    script: str
    language: str               # `english`, `foreign` or `other`, by the title's function words
    erratum: bool
    retraction: bool
    comment: bool
    part: str | None
    numbers: tuple[str, ...]    # the numbers a title carries (`ICIS 2013, Volume 5` -> 2013, 5)
    preprint: bool
    full_text: bool
    title_count: int = 1        # records in the corpus with this very title key (set by dedupe)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "junior", "senior"})


class Person(NamedTuple):
    """One author's names as folded keys: family (`author_key`), the first given name when it is
    spelled out, both initials, and the whole family name without spaces. (A named tuple: dedupe
    rebuilds millions of them from its key columns.)"""

    family: str
    given: str
    family_initial: str
    given_initial: str
    compound: str


def person(family: str | None, given: str | None) -> Person:
    """Keys of one author (family missing: the given name stands in, as in `author_key`)."""
    family, given = (family, given) if family else (given, None)
    given_words = _fold(given).split()
    first_given = given_words[0] if given_words else ""
    folded = _fold(family)
    return Person(family=author_key(family), given=first_given if len(first_given) > 1 else "",
                  family_initial=folded[:1], given_initial=first_given[:1],
                  compound=folded.replace(" ", ""))


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


def shared_people(short: tuple[Person, ...], long: tuple[Person, ...]) -> int:
    """How many authors of `short` are `same_person` as an author of `long`: the count that
    testing every pair gives, through sets of the names each test reads (dedupe compares
    millions of author lists)."""
    names = {q.family for q in long}
    missing = [p for p in short if p.family not in names]
    if not missing:
        return len(short)
    family_initial = {(q.family, q.given_initial) for q in long}
    compound = {q.compound for q in long}
    given_initial = {(q.given, q.family_initial) for q in long if q.given}
    joined = {q.compound + q.given for q in long if q.given and len(q.compound) >= 3}
    found = sum(1 for p in missing
                if (p.given and ((p.given, p.family_initial) in family_initial
                                 or (len(p.compound) >= 3 and p.compound + p.given in compound)))
                or (p.family, p.given_initial) in given_initial or p.compound in joined)
    return len(short) - len(missing) + found


def author_key(family: str | None) -> str:
    """Last word of a family name, folded: `van Kessel`, `Kessel` and `Si Hyun Kang` (a full name
    in the family field) compare as `kessel` and `kang`; lost characters (`Bu?lova`) are dropped."""
    words = [w for w in _fold((family or "").replace("?", "")).split() if w not in _SUFFIXES]
    return words[-1] if words else ""


def journal_words(value: str | None) -> tuple[str, ...]:
    """Journal name as significant words, for abbreviation-aware comparison."""
    words = _fold(value).replace("&", " ").split()
    return tuple(w for w in words if w not in _STOP)


DOC_KINDS = frozenset(("erratum", "retraction", "comment", "preprint"))


def doc_kind(record: Record) -> str | None:
    """The subtype of a record that dedupe must never merge with an article: `erratum`,
    `retraction`, `comment` or `preprint`, or None.

    The one place dedupe reads the document type: the normaliser's `doc_subtype`, from the
    controlled vocabulary of litcorpus.doc_types (issue 18)."""
    return record.doc_subtype if record.doc_subtype in DOC_KINDS else None


def doi_of(record: Record) -> str | None:
    """The DOI dedupe compares: the normaliser's canonical DOI (issue 18 owns its variants)."""
    return record.doi


def keys(record: Record, index: int) -> Keys:
    """Derive the match keys of one record."""
    raw_title = record.title or ""
    title = _title_key(raw_title)
    journal = journal_words(record.journal)
    doi = doi_of(record)
    venue = " ".join(journal)
    volume = _number(record.volume)
    if volume is not None and record.year is not None and volume == str(record.year):
        volume = None  # a volume printed as the year (HBR's `2016`) says nothing the year does not
    people = tuple(p for p in (person(a.family, a.given) for a in record.authors) if p.family)
    kind = doc_kind(record)
    pages = _pages(record.pages)
    script = _script(raw_title)
    return Keys(
        index=index,
        id=record.id or str(index),
        doi=doi,
        pmid=record.pmid,
        title=title,
        title_parts=_title_parts(raw_title, title, record.title_translations),
        authors=tuple(p.family for p in people),
        people=people,
        year=record.year,
        journal=journal,
        volume=volume,
        issue=_issue(record.issue),
        first_page=pages.partition("-")[0] if pages else None,
        pages=pages,
        script=script,
        language=_language_class(title, script),
        erratum=bool(_ERRATUM.search(title)) or kind == "erratum",
        retraction=bool(_RETRACTION.search(title)) or kind == "retraction",
        comment=bool(_COMMENT.search(title)) or kind == "comment",
        part=_part(title),
        numbers=tuple(sorted(re.findall(r"\d+", title))),
        preprint=bool(doi and doi.startswith(_PREPRINT_DOI)) or bool(_PREPRINT_VENUE.search(venue))
        or kind == "preprint",
        full_text=record.kind == Kind.FULL_TEXT,
    )


def _title_key(raw: str) -> str:
    """The title key without database annotations (`[Chinese]`, `(Structured abstract)` stays)."""
    stripped = _ANNOTATION.sub(" ", raw)
    title = normalize.title_key(stripped if len(stripped.strip()) > 10 else raw)
    return _TRAILING_LANG.sub("", title)


def _title_parts(raw: str, title: str, translations: dict[str, str]) -> tuple[str, ...]:
    """Other forms of a title worth comparing: each language of a bilingual title
    (`Utilidad de ... ; Are antimicrobials useful ...?`), a long bracketed original-language title
    (`English title [Titulo original]`), and translations a source gave apart."""
    parts: list[str] = []
    pieces = [p for p in _SPLIT.split(_ANNOTATION.sub(" ", raw)) if len(p.split()) >= 4]
    if len(pieces) >= 2 and len({_language_class(normalize.fold(p), _script(p))
                                 for p in pieces}) > 1:
        parts.extend(normalize.title_key(p) for p in pieces)
    parts.extend(normalize.title_key(m) for m in _BRACKETED.findall(raw) if len(m.split()) >= 4)
    parts.extend(normalize.title_key(t) for t in translations.values())
    return tuple(dict.fromkeys(p for p in parts if len(p) >= 20 and p != title))


def _language_class(folded: str, script: str) -> str:
    """`english`, `foreign` or `other` (another script, or no function word to tell by), from a
    folded text and its script."""
    if script != "latin":
        return "other"
    words = folded.split()
    english = sum(1 for w in words if w in _ENGLISH)
    foreign = sum(1 for w in words if w in _FOREIGN)
    if english > foreign:
        return "english"
    return "foreign" if foreign > english else "other"


def _number(value: str | None) -> str | None:
    """The volume number: `35 Suppl 1` -> `35`, `v. 7 issue 4` -> `7`; no digits, no volume."""
    folded = _fold(value)
    match = re.search(r"\d+", folded)
    if not match:
        return None
    if match.start() > 0 and folded[:match.start()].strip() not in ("v", "vol", "volume", "no", "n"):
        return folded  # `Suppl 2`, `S1`: kept whole
    return match.group(0).lstrip("0") or "0"


def _issue(value: str | None) -> str | None:
    """The issue number: `1619, SI` -> `1619`, `11 Suppl` -> `11`, a supplement's own number
    (`Suppl 2`, `S4`) -> `s2`, `s4`; a month (`May`, `Jul-Aug`) or a value without digits (`issu`)
    is no issue."""
    folded = _fold(value)
    if not folded or _MONTH.match(folded):
        return None
    match = re.search(r"\d+", folded)
    if not match:
        return None
    supplement = re.match(r"s(?:uppl?|upplement)?\s*$", folded[:match.start()])
    return ("s" if supplement else "") + (match.group(0).lstrip("0") or "0")


def _pages(value: str | None) -> str | None:
    """The page range, expanded (`1019-27` -> `1019-1027`), lower case; None when a spreadsheet
    made it a date (`08-Aug`) or it holds no page number."""
    full = (normalize.pages_full(value) or "").lower().strip()
    if not full or _MONTH.search(full) or not re.search(r"\d", full):
        return None
    head, dash, tail = full.partition("-")
    head = re.sub(r"^(?:pp?\.?\s*)", "", head.strip()).lstrip("0") or head
    return head + dash + tail.strip()


def _script(title: str) -> str:
    """`cjk`, `cyrillic`, `greek` or `latin`: what most letters of a title are written in."""
    if title.isascii():
        return "latin"
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


def _acronym(word: str, words: tuple[str, ...]) -> bool:
    """`word` spells `words` by their opening letters, one or more from each, in order
    (`icis`, `amcis` ~ `americas conference information systems`, `hicss`)."""
    if not words:
        return not word
    if not word or len(word) < len(words) or word[0] != words[0][0]:
        return False
    head = words[0]
    return any(_acronym(word[n:], words[1:])
               for n in range(1, min(len(head), len(word)) + 1) if word[:n] == head[:n])


@lru_cache(maxsize=1 << 16)  # a corpus has a few thousand journal names and millions of pairs
def journals_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool | None:
    """True when the names are equal or one abbreviates the other word by word
    (`bmc health serv res` ~ `bmc health services research`, `nature reviews drug disco` ~
    `nature reviews drug discovery`); None when either is missing."""
    if not a or not b:
        return None
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    for x, y in ((short, long), (long, short)):
        if len(y) >= 3 and any(_acronym(w, y) for w in {x[0], x[-1]}):
            return True  # `icis ...`, `amcis 2017 proceedings` ~ `americas conference ...`
    if len(short) != len(long):
        # `journal of clinical virology : the official publication of ...`: a subtitle or a
        # second-language title after the name; the shorter name must open the longer one
        return len(short) >= 2 and all(x.startswith(y) or y.startswith(x)
                                       for x, y in zip(long, short, strict=False))
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(a, b, strict=True))
