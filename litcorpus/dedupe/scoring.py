"""Pairwise evidence: how two records' match keys compare, as one agreement level per field.

Each field of a pair gets one level from a short list (`LEVELS`), or None when either side lacks
the field: a missing field is never held against a pair. The levels are what the match weights
(`weights.py`) are estimated for; the raw scores beside them are kept for `explain`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from litcorpus.dedupe.keys import Keys, journals_agree, pages_agree, same_person, shared_people

LEVELS: dict[str, tuple[str, ...]] = {
    "title": ("the same", "the same (a short title)", "near-identical (>= .95)",
              "very similar (>= .90)", "one contains the other", "similar (>= .80)",
              "somewhat similar (< .80)"),
    "authors": ("all authors of the shorter list shared, first author agrees",
                "first author agrees, most authors shared",
                "first author agrees (the only author, or few others shared)",
                "the same authors in another order", "first author differs, half or more shared",
                "first author differs, few or none shared"),
    "year": ("the same", "one year apart", "two or more years apart"),
    "journal": ("agrees", "differs"),
    "volume": ("agrees", "differs"),
    "issue": ("agrees", "differs"),
    "pages": ("the same range", "the same first page", "differ"),
    "identifier": ("the same DOI or PMID", "different DOIs or PMIDs"),
}
FIELDS = tuple(LEVELS)
AGREEING = {"title": 4, "authors": 2, "year": 0, "journal": 0, "volume": 0, "issue": 0, "pages": 1,
            "identifier": 0}
"""The last level of each field that counts as agreement (levels are ordered best first)."""
CONTRADICTING = {"title": (), "authors": (4, 5), "year": (2,), "journal": (1,), "volume": (1,),
                 "issue": (1,), "pages": (2,), "identifier": (1,)}
"""Levels that speak against a pair; whether they stop a merge depends on how often copies show
them in this corpus (rules.guards)."""
CLEARLY_DIFFERENT = 0.6
"""Title similarity below which two titles in one script (and no shared language part) are
clearly two works: a hard veto."""
SHORT_TITLE = 30
AUTHORS_COMPARED = 12
"""Authors of each record that the author comparison reads (first author, shared names)."""


@dataclass(slots=True)
class Evidence:
    """What is known about one pair: the level of each field, and the facts behind them."""

    levels: dict[str, int | None]
    title: float | None           # best 0..1 similarity of the title keys (or of a language part)
    title_via: str | None         # "part" when the best similarity came from one language's title
    year_gap: int | None
    scripts_differ: bool
    ids_demoted: tuple[str, ...]  # identifiers shared here that this corpus shows are not per article
    erratum_mismatch: bool
    retraction_mismatch: bool
    comment_mismatch: bool
    part_mismatch: bool
    preprint_mismatch: bool
    full_text_side: bool          # one side is read from a full text, whose title may be misread
    title_count: int = 1          # records in the corpus that carry either title key

    def level_name(self, name: str) -> str | None:
        level = self.levels.get(name)
        return None if level is None else LEVELS[name][level]

    def agrees(self, name: str) -> bool | None:
        """True on a field's agreeing levels, False on its contradicting ones (`CONTRADICTING`),
        None when missing or in between (a title only somewhat similar, authors reordered)."""
        level = self.levels.get(name)
        if level is None:
            return None
        if level in CONTRADICTING[name]:
            return False
        return True if level <= AGREEING[name] else None

    def as_dict(self) -> dict:
        out: dict = {"levels": {k: v for k, v in self.levels.items() if v is not None}}
        if self.title is not None:
            out["title"] = self.title
        if self.title_via:
            out["title_via"] = self.title_via
        if self.year_gap is not None:
            out["year_gap"] = self.year_gap
        if self.ids_demoted:
            out["ids_demoted"] = list(self.ids_demoted)
        if self.title_count > 2:
            out["title_count"] = self.title_count
        for name in ("erratum_mismatch", "retraction_mismatch", "comment_mismatch",
                     "part_mismatch", "preprint_mismatch", "scripts_differ"):
            if getattr(self, name):
                out[name] = True
        return out


def title_similarity(a: Keys, b: Keys) -> tuple[float | None, str | None, bool]:
    """(best similarity, "part" when found through one language of a bilingual title, whether one
    title contains the other). None when the titles cannot be compared (missing, other scripts)."""
    if not a.title or not b.title:
        return None, None, False
    comparable = a.script == b.script and not (
        {a.language, b.language} == {"english", "foreign"})
    best = fuzz.ratio(a.title, b.title) / 100 if comparable else None
    via = None
    if (best is None or best < 0.95) and (a.title_parts or b.title_parts):
        for x in (a.title, *a.title_parts):
            for y in (b.title, *b.title_parts):
                if x is a.title and y is b.title:
                    continue
                score = fuzz.ratio(x, y) / 100
                if best is None or score > best:
                    best, via = score, "part"
    if not comparable and best is not None and best < 0.95:
        best, via = None, None  # titles in two languages: string similarity says nothing
    contained = best is not None and best < 0.95 and title_contains(a.title, b.title)
    return best, via, contained


def title_contains(x: str, y: str) -> bool:
    """One title is the other plus a subtitle, or the other cut short by a field limit (anywhere,
    mid-word too: `... an analysis of large gene`), or after a lead-in (`How did it ... <title>`)."""
    short, long = sorted((x, y), key=len)
    return (len(short) >= 20 and short.count(" ") >= 3 and short != long
            and (long.startswith(short) or long.endswith(" " + short)))


def compare(a: Keys, b: Keys, demoted: frozenset[str] = frozenset()) -> Evidence:
    """Evidence for the pair (a, b); identifiers in `demoted` count as missing."""
    title, via, contained = title_similarity(a, b)
    levels: dict[str, int | None] = dict.fromkeys(FIELDS)
    if title is not None:
        short = min(len(a.title), len(b.title)) < SHORT_TITLE
        if title >= 1.0 and via is None:
            levels["title"] = 1 if short else 0
        elif title >= 0.95:
            levels["title"] = 2
        elif title >= 0.90:
            levels["title"] = 3
        elif contained:
            levels["title"] = 4
        elif title >= 0.80:
            levels["title"] = 5
        else:
            levels["title"] = 6
    levels["authors"] = _authors(a, b)
    gap = abs(a.year - b.year) if a.year and b.year else None
    if gap is not None:
        levels["year"] = min(gap, 2)
    levels["journal"] = _level(journals_agree(a.journal, b.journal))
    levels["volume"] = _level(None if a.volume is None or b.volume is None else a.volume == b.volume)
    levels["issue"] = _level(None if a.issue is None or b.issue is None else a.issue == b.issue)
    page = pages_agree(a.pages, b.pages)
    if page is not None:
        levels["pages"] = 2 if page is False else 0 if a.pages == b.pages else 1
    shown = []
    ids: list[bool] = []
    for x, y in ((a.doi, b.doi), (a.pmid, b.pmid)):
        if x and y:
            if x in demoted or y in demoted:
                shown.extend(v for v in (x, y) if v in demoted and v not in shown)
            else:
                ids.append(x == y)
    if ids:
        levels["identifier"] = 0 if all(ids) else 1
    if levels["identifier"] == 0 and (a.full_text or b.full_text) and (levels["title"] or 0) > 4:
        levels["title"] = None  # a full text's title may be misread; its DOI is not
    return Evidence(
        levels=levels, title=title, title_via=via, year_gap=gap,
        scripts_differ=a.script != b.script, ids_demoted=tuple(shown),
        erratum_mismatch=a.erratum != b.erratum,
        retraction_mismatch=a.retraction != b.retraction,
        comment_mismatch=a.comment != b.comment,
        part_mismatch=bool(a.part and b.part and a.part != b.part) or (
            _numbers_differ(a, b) and levels["pages"] not in (0, 1) and levels["identifier"] != 0),
        preprint_mismatch=a.preprint != b.preprint,
        full_text_side=a.full_text or b.full_text,
        title_count=max(a.title_count, b.title_count),
    )


def _numbers_differ(a: Keys, b: Keys) -> bool:
    """Both titles carry numbers and neither's are all in the other's (`Volume 3` vs `Volume 5`,
    `2013` vs `2014`); a title cut short before its number is not a difference. It counts only
    when no page or identifier says the records are one item (`p6INK4a` for `p16INK4a`)."""
    if not a.numbers or not b.numbers or a.numbers == b.numbers:
        return False
    x, y = Counter(a.numbers), Counter(b.numbers)
    return bool(x - y) and bool(y - x)


def _level(agree: bool | None) -> int | None:
    return None if agree is None else 0 if agree else 1


def _authors(a: Keys, b: Keys) -> int | None:
    if not a.authors or not b.authors:
        return None
    x, y = a.authors[0], b.authors[0]
    first = x == y or (min(len(x), len(y)) >= 4 and fuzz.ratio(x, y) >= 80) \
        or same_person(a.people[0], b.people[0])
    short, long = sorted((a.people[:AUTHORS_COMPARED], b.people[:AUTHORS_COMPARED]), key=len)
    overlap = shared_people(short, long) / len(short)
    if first:
        if len(short) >= 2 and overlap == 1.0:
            return 0
        return 1 if len(short) >= 2 and overlap >= 0.5 else 2
    if len(short) >= 2 and overlap == 1.0:
        return 3
    return 4 if overlap >= 0.5 else 5
