"""The decision for one pair: hard vetoes first, then the weight of the evidence, then the guards
that keep a merge to what nothing contradicts.

- A hard veto (`VETOES`) is what is never the same record: an erratum, retraction notice or
  comment beside an article, two parts of a series, a preprint beside its journal version, clearly
  different titles, different article-level DOIs or PMIDs.
- Otherwise the pair's weight (`weights.Model`) gives the probability that it is a duplicate.
  It is merged when that is at least `MERGE_AT` and the guards hold: the titles agree (or an
  identifier does, or the titles cannot be compared and journal, volume and pages agree), and no
  field that is reliable in this corpus disagrees (weight below -`CONTRADICTION` bits).
- A pair in doubt goes to the review queue (`maybe`): probability at least `QUEUE_AT`, a merge
  stopped by a guard, two DOIs on records that agree on everything else, or near-identical titles
  of the same year with an author in common.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from litcorpus.dedupe.scoring import CLEARLY_DIFFERENT, FIELDS, Evidence
from litcorpus.dedupe.weights import Model, probability

Verdict = Literal["match", "maybe", "distinct"]
MERGE_AT = 0.99
QUEUE_AT = 0.5
RECURRING = 5
"""A title carried by this many records or more (a column, `Editorial`, an abstract in several
supplements) merges only with a page or an identifier in common."""
RARE_IN_COPIES = 0.02
"""A contradiction is a disagreement that fewer than 2 % of copies of one work show in the labelled
libraries (the prior's m) and that this corpus also finds telling (twice as common between
different works as between copies, a weight below -1 bit). It stops an automatic merge. A field
that is noise in this corpus (an EndNote record number in `issue`) weighs about 0 here and stops
nothing. The labelled m is used because EM cannot tell copies that disagree on a field from
different works that agree on everything else (volumes 1-5 of one proceedings)."""


@dataclass(frozen=True)
class Veto:
    name: str
    description: str
    holds: Callable[[Evidence], bool]


def _titles_clearly_differ(e: Evidence) -> bool:
    return (e.title is not None and e.title < CLEARLY_DIFFERENT and e.levels["title"] != 4
            and not (e.levels["identifier"] == 0 and e.full_text_side))


VETOES: tuple[Veto, ...] = (
    Veto("erratum_vs_article", "one is an erratum or correction notice, the other is not",
         lambda e: e.erratum_mismatch),
    Veto("retraction_vs_article", "one is a retraction notice or expression of concern",
         lambda e: e.retraction_mismatch),
    Veto("comment_vs_article", "one is a comment on or reply to the other",
         lambda e: e.comment_mismatch),
    Veto("different_part", "the titles name different parts or numbers (part 1 vs part 2, "
         "volume 3 vs volume 5)",
         lambda e: e.part_mismatch),
    Veto("preprint_vs_published", "a preprint and a journal version: versions, not copies",
         lambda e: e.preprint_mismatch and e.levels["identifier"] != 0
         and e.levels["journal"] != 0),
    Veto("different_titles", "the titles are clearly different (similarity below .6)",
         _titles_clearly_differ),
    Veto("different_identifiers", "both carry an article-level DOI or PMID and they differ",
         lambda e: e.levels["identifier"] == 1),
)
BY_NAME: dict[str, str] = {v.name: v.description for v in VETOES} | {
    "weights": "the weight of the evidence (see the fields)",
    "weights_guarded": "the weight of the evidence is high, but a guard sends it to a person",
    "weights_doubtful": "the weight of the evidence leaves it in doubt",
    "title_year_author": "near-identical titles of the same year with an author in common",
    "identifiers_differ_else_equal": "two different DOIs or PMIDs on records that agree on "
                                     "everything else (a DOI alias, such as JSTOR's 10.2307)",
    "person": "decided by a person",
    "chain_refused": "kept apart: joining would put records together that contradict each other",
}


@dataclass
class Judgement:
    """The verdict on a pair, the rule that gave it, and the reasons in plain words."""

    verdict: Verdict
    rule: str
    total: float | None = None
    probability: float | None = None
    reasons: list[str] = field(default_factory=list)


def judge(e: Evidence, model: Model, *, counted: bool = True) -> Judgement:
    """Veto, merge, queue or keep apart one pair. `counted`: the pair was among those the model
    was estimated on, so it is judged by the model estimated without it."""
    for veto in VETOES:
        if veto.holds(e):
            if veto.name == "different_identifiers" and _else_equal(e):
                return Judgement("maybe", "identifiers_differ_else_equal",
                                 reasons=[BY_NAME["identifiers_differ_else_equal"]])
            return Judgement("distinct", veto.name, reasons=[veto.description])
    if counted:
        model = model.without(e.levels)
    total = model.total(e.levels)
    p = probability(total)
    title = title_supported(e)
    against = [] if title and e.levels["identifier"] == 0 else contradictions(e, model)
    if not title and not against and _full_citation(e) and e.levels["identifier"] == 0:
        title = True  # a garbled title (.6 to .9 similar) on one article by identifier and citation
    if e.title_count >= RECURRING and e.levels["pages"] not in (0, 1) \
            and e.levels["identifier"] != 0 and not _same_issue(e):
        against = against + [f"the title recurs in {e.title_count} records here, and no page or "
                             "identifier tells these two apart from a recurring column"]
    if e.levels["journal"] == 1 and not _locator_agrees(e):
        against = against + ["the journals differ and no volume, page or identifier agrees (an "
                             "abstract and its paper look like this)"]
    if p >= MERGE_AT:
        if title and not against:
            return Judgement("match", "weights", total, p)
        stops = ([] if title else ["the titles do not agree and no identifier or full citation "
                                   "does"]) + against
        return Judgement("maybe", "weights_guarded", total, p, stops)
    if against:
        return Judgement("distinct", "weights", total, p, against)
    if p >= QUEUE_AT and title:
        return Judgement("maybe", "weights_doubtful", total, p, against)
    if _title_year_author(e) and not against:
        return Judgement("maybe", "title_year_author", total, p, [BY_NAME["title_year_author"]])
    return Judgement("distinct", "weights", total, p)


def title_supported(e: Evidence) -> bool:
    """The titles agree; or they cannot be compared (one missing, two languages or scripts) and an
    article-level identifier agrees, or journal, volume and pages do; or a full text carries the
    same article-level identifier."""
    if e.levels["identifier"] == 0 and e.full_text_side:
        return True  # a full text's title may be misread; its DOI is printed on every page
    if e.levels["title"] is not None:
        return bool(e.agrees("title"))
    return e.levels["identifier"] == 0 or bool(
        e.agrees("journal") and e.agrees("volume") and e.agrees("pages"))


def contradictions(e: Evidence, model: Model) -> list[str]:
    """Disagreements that copies of one work rarely show in this corpus, in plain words."""
    found = []
    for name in FIELDS:
        level = e.levels[name]
        if e.agrees(name) is False and model.prior_m[name][level] < RARE_IN_COPIES \
                and model.weight(name, level) < -1:
            found.append(f"{name} {e.level_name(name)}: rare between copies of one work "
                         f"({model.prior_m[name][level]:.1%} in labelled libraries) and "
                         f"{model.weight(name, level):+.1f} bits in this corpus")
    return found


def contradicts(e: Evidence, model: Model, *, counted: bool = True) -> str | None:
    """Why two records may not sit in one cluster (a veto or a disagreement copies rarely show),
    or None."""
    for veto in VETOES:
        if veto.holds(e):
            return veto.description
    if title_supported(e) and e.levels["identifier"] == 0:
        return None
    found = contradictions(e, model.without(e.levels) if counted else model)
    return found[0] if found else None


def _full_citation(e: Evidence) -> bool:
    """Journal, volume and (first) page agree."""
    return e.levels["journal"] == 0 and e.levels["volume"] == 0 and e.levels["pages"] in (0, 1)


def _same_issue(e: Evidence) -> bool:
    """Volume and issue agree: a recurring column appears once an issue, so two records of one
    title in one issue are one item."""
    return e.levels["volume"] == 0 and e.levels["issue"] == 0


def _locator_agrees(e: Evidence) -> bool:
    return e.levels["volume"] == 0 or e.levels["pages"] in (0, 1) or e.levels["identifier"] == 0


def _else_equal(e: Evidence) -> bool:
    """Everything but the identifiers agrees: titles near-identical, same year, first author."""
    return ((e.title or 0) >= 0.95 and e.levels["year"] == 0 and e.levels["authors"] in (0, 1, 2)
            and not any(e.agrees(name) is False for name in FIELDS if name != "identifier"))


def _title_year_author(e: Evidence) -> bool:
    return (e.title or 0) >= 0.95 and e.levels["year"] == 0 and e.levels["authors"] in (0, 1, 2, 3, 4)
