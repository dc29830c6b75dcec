"""Pairwise evidence: how two records' match keys compare (rapidfuzz for titles).

A field missing on either side gives None, never a penalty.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rapidfuzz import fuzz

from litcorpus.dedupe.keys import Keys, journals_agree, pages_agree, same_person


@dataclass(slots=True)
class Evidence:
    """What the rules read about one pair."""

    title: float | None        # 0..1 similarity of title keys
    first_author: bool | None
    authors: float | None      # share of the shorter author list found in the other
    fewest_authors: int | None # length of the shorter author list
    year_gap: int | None
    journal: bool | None
    volume: bool | None
    issue: bool | None
    page: bool | None
    same_pages: bool           # both print the very same page range
    doi: bool | None
    pmid: bool | None
    erratum_mismatch: bool
    comment_mismatch: bool
    part_mismatch: bool
    preprint_mismatch: bool
    short_title: bool
    scripts_differ: bool
    title_prefix: bool         # one title is the other plus a subtitle
    title_lead_in: bool        # one title is the other after a lead-in (`How did it ... <title>`)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _same(a, b) -> bool | None:
    if a is None or b is None:
        return None
    return a == b


def _prefix(x: str, y: str) -> bool:
    short, long = sorted((x, y), key=len)
    return len(short) >= 20 and short != long and long.startswith(short)


def _lead_in(x: str, y: str) -> bool:
    short, long = sorted((x, y), key=len)
    return len(short) >= 40 and short.count(" ") >= 5 and long.endswith(" " + short)


def compare(a: Keys, b: Keys) -> Evidence:
    """Evidence for the pair (a, b)."""
    title = fuzz.ratio(a.title, b.title) / 100 if a.title and b.title else None
    if a.authors and b.authors:
        x, y = a.authors[0], b.authors[0]
        first = x == y or (min(len(x), len(y)) >= 4 and fuzz.ratio(x, y) >= 80) \
            or same_person(a.people[0], b.people[0])
        short, long = sorted((a.people[:12], b.people[:12]), key=len)
        names = {p.family for p in long}
        shared = sum(1 for p in short if p.family in names
                     or any(same_person(p, q) for q in long))
        overlap = shared / len(short)
        fewest = len(short)
    else:
        first, overlap, fewest = None, None, None
    return Evidence(
        title=title,
        first_author=first,
        authors=overlap,
        fewest_authors=fewest,
        year_gap=abs(a.year - b.year) if a.year and b.year else None,
        journal=journals_agree(a.journal, b.journal),
        volume=_same(a.volume, b.volume),
        issue=_same(a.issue, b.issue),
        page=pages_agree(a.pages, b.pages),
        same_pages=bool(a.pages) and a.pages == b.pages,
        doi=_same(a.doi, b.doi),
        pmid=_same(a.pmid, b.pmid),
        erratum_mismatch=a.erratum != b.erratum,
        comment_mismatch=a.comment != b.comment,
        part_mismatch=bool(a.part and b.part and a.part != b.part),
        preprint_mismatch=a.preprint != b.preprint,
        short_title=bool(a.title and b.title) and min(len(a.title), len(b.title)) < 30,
        scripts_differ=a.script != b.script,
        title_prefix=_prefix(a.title, b.title),
        title_lead_in=_lead_in(a.title, b.title),
    )
