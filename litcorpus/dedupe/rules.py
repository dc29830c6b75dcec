"""Named, declarative dedupe rules. The first rule that holds decides a pair.

Vetoes come first (`distinct`), then `match` rules, then `maybe` rules for a person to decide.
Each condition reads `Evidence`; a field missing on either side is None and never counts against
a pair (`is not False` reads as "agrees or is missing").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from litcorpus.dedupe.scoring import Evidence

Verdict = Literal["match", "maybe", "distinct"]


@dataclass(frozen=True)
class Rule:
    name: str
    verdict: Verdict
    description: str
    holds: Callable[[Evidence], bool]


def _t(e: Evidence, at_least: float) -> bool:
    return e.title is not None and e.title >= at_least


def _no_conflict(e: Evidence) -> bool:
    """Nothing printed on both records contradicts: the same year (or one apart in the same
    journal: online first vs issue), and volume, issue and pages agree or are missing."""
    year_ok = e.year_gap is None or e.year_gap == 0 or (e.year_gap == 1 and e.journal is True)
    return year_ok and e.volume is not False and e.issue is not False and e.page is not False


def _reprinted_in_issue(e: Evidence) -> bool:
    """The same title and the same full list of three or more authors in one issue of a journal:
    one paper printed twice (a conference abstract in a supplement), whatever the pages say."""
    return (_t(e, 0.95) and not e.short_title and e.journal is True and e.volume is True
            and e.issue is True and e.first_author is True and e.authors == 1.0
            and (e.fewest_authors or 0) >= 3 and e.year_gap == 0)


RULES: tuple[Rule, ...] = (
    # vetoes
    Rule("different_doi", "distinct", "both have a DOI and the DOIs differ",
         lambda e: e.doi is False),
    Rule("different_pmid", "distinct", "both have a PMID and the PMIDs differ",
         lambda e: e.pmid is False),
    Rule("erratum_vs_article", "distinct", "one is an erratum, correction or retraction notice",
         lambda e: e.erratum_mismatch and e.doi is not True),
    Rule("comment_vs_article", "distinct", "one is a comment, reply or letter on the other",
         lambda e: e.comment_mismatch and e.doi is not True),
    Rule("different_part", "distinct", "the titles name different parts (part 1 vs part 2)",
         lambda e: e.part_mismatch),
    Rule("preprint_vs_published", "distinct",
         "a preprint and a journal version: kept apart, linked as versions",
         lambda e: e.preprint_mismatch and e.doi is not True and e.journal is not True),
    Rule("different_pages_same_volume", "distinct",
         "same journal and volume but clearly different pages",
         lambda e: e.journal is not False and e.volume is True and e.page is False
         and e.doi is not True and not _reprinted_in_issue(e)),
    Rule("different_issue_same_volume", "distinct",
         "same journal and volume but different issues (e.g. a recurring editorial column)",
         lambda e: e.journal is not False and e.volume is True and e.issue is False
         and e.doi is not True and not e.same_pages),
    Rule("years_apart", "distinct", "publication years more than one year apart",
         lambda e: e.year_gap is not None and e.year_gap > 1 and e.doi is not True),
    # matches
    Rule("same_doi", "match", "the same DOI", lambda e: e.doi is True),
    Rule("same_pmid", "match", "the same PubMed ID", lambda e: e.pmid is True),
    Rule("ti095_au_yr", "match",
         "title similarity >= .95, first author agrees, most authors shared, nothing contradicts",
         lambda e: _t(e, 0.95) and e.first_author is True and (e.authors or 0) >= 0.5
         and _no_conflict(e) and (not e.short_title or e.journal is not False)),
    Rule("ti090_au_yr_venue", "match",
         "title similarity >= .90, first author, same year, and journal, volume or page agree",
         lambda e: _t(e, 0.90) and e.first_author is True and e.year_gap == 0
         and e.volume is not False and e.page is not False
         and (e.journal is True or e.volume is True or e.page is True)),
    Rule("ti098_venue_no_authors", "match",
         "title similarity >= .98, one side lacks authors, same year, journal, volume and page agree",
         lambda e: _t(e, 0.98) and e.first_author is None and not e.short_title
         and e.year_gap == 0 and e.journal is not False and _no_conflict(e)
         and (e.volume is True or e.page is True or e.journal is True)),
    Rule("ti098_venue_same_pages", "match",
         "near-identical titles in the same journal volume with the very same page range "
         "(author lists may be printed differently)",
         lambda e: _t(e, 0.98) and e.same_pages and e.volume is True and e.journal is not False
         and (e.year_gap is None or e.year_gap <= 1) and not e.short_title),
    Rule("ti095_venue_page", "match",
         "title similarity >= .95 with journal, volume, first page and year agreeing "
         "(author lists may be garbled)",
         lambda e: _t(e, 0.95) and (e.authors or 0) >= 0.5 and e.year_gap == 0
         and e.journal is True and e.volume is True and e.page is True and e.issue is not False),
    Rule("translated_title_au_yr_venue_page", "match",
         "titles differ (e.g. a translation) but authors, year, journal, volume, first page and "
         "issue (or the script of the title) agree",
         lambda e: (e.scripts_differ or e.issue is True) and e.first_author is True
         and (e.authors or 0) >= 0.5 and e.year_gap == 0 and e.journal is True
         and e.volume is True and e.page is True),
    Rule("subtitle_au_yr_venue_page", "match",
         "one title is the other without its subtitle; authors, year, journal, volume and first "
         "page agree",
         lambda e: e.title_prefix and e.first_author is True and e.year_gap == 0
         and e.journal is True and e.volume is not False and e.page is True
         and e.issue is not False),
    Rule("lead_in_au_yr_journal", "match",
         "one title is the other after a lead-in (`How did it ... <title>`); first author, year "
         "and journal agree and nothing contradicts",
         lambda e: e.title_lead_in and e.first_author is True and e.year_gap == 0
         and e.journal is True and _no_conflict(e)),
    Rule("same_issue_all_authors_pages_differ", "match",
         "near-identical titles and the same three or more authors in the same journal issue; "
         "only the pages differ (an abstract printed twice in a supplement)",
         _reprinted_in_issue),
    Rule("ti098_authors_reordered", "match",
         "near-identical titles, the same two or more authors in another order, the same year, "
         "and nothing contradicts",
         lambda e: _t(e, 0.98) and not e.short_title and e.first_author is False
         and e.authors == 1.0 and (e.fewest_authors or 0) >= 2 and e.year_gap == 0
         and e.journal is not False and _no_conflict(e)),
    # doubtful: a person decides
    Rule("ti095_authors_differ", "maybe", "near-identical titles, but the authors do not agree",
         lambda e: _t(e, 0.95) and _no_conflict(e)),
    Rule("ti085_au_or_yr", "maybe", "similar titles (>= .85) with the first author or year agreeing",
         lambda e: _t(e, 0.85) and (e.first_author is True or e.year_gap == 0)
         and _no_conflict(e)),
)

BY_NAME = {rule.name: rule for rule in RULES}


def decide(evidence: Evidence) -> Rule | None:
    """The first rule that holds for a pair, or None (not duplicates, no rule needed)."""
    for rule in RULES:
        if rule.holds(evidence):
            return rule
    return None
