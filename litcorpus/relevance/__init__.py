"""The relevance filter: drop what is clearly off-topic, never what is relevant, with reasons.

`filter_corpus(corpus, profile)` measures every canonical record against the profile and against
the corpus's own on-topic core, decides keep / review / drop, and stores the decisions with their
reasons and scores (a person's decisions, set with `set_decision`, are final).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from litcorpus import normalize
from litcorpus.corpus import Corpus
from litcorpus.errors import LitcorpusError
from litcorpus.relevance.decide import MARGINS, Decision, Margins, Signals, decide_all
from litcorpus.relevance.profile import Profile, load_profile
from litcorpus.relevance.scoring import (
    DESIGN,
    Design,
    Space,
    core_of,
    core_wording,
    cosine,
    expand,
    neighbours,
    record_text,
    spread,
    surface_words,
    tokens,
)

DECISIONS = ("keep", "review", "drop")


class RecordDecision(NamedTuple):
    """One record's decision as the filter run reports it."""

    id: str
    title: str | None
    decision: str
    score: float
    reasons: list[str]


@dataclass
class FilterReport:
    """Counts per decision and every decision with its reasons."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DECISIONS, 0))
    decisions: list[RecordDecision] = field(default_factory=list)


def _is_seed(record, seeds: set[str]) -> bool:
    return bool(seeds) and bool({record.doi, record.pmid, normalize.title_key(record.title)} & seeds)


@dataclass
class Linked:
    """What the filter measures once per corpus, whatever its design parameters: the words, the
    similarity to the (expanded) profile, the nearest-records graph and each record's terms."""

    space: Space
    profile: list[float]
    graph: object
    nearest: list[float]
    matched: list[list[str]]
    excluded: list[list[str]]
    seed: list[bool]


def link_records(records: list, profile: Profile) -> Linked:
    """Each record's words, profile similarity and nearest records (the costly part)."""
    space = Space.build([record_text(r) for r in records])
    query = space.query(profile.text())
    expanded, _ = expand(space, query)
    profile_sim = [cosine(expanded, v) for v in space.vectors]
    graph, nearest = neighbours(space) if len(records) > 1 else (None, [1.0])
    shown = surface_words(profile.text())
    exclude = [(term, set(tokens(term))) for term in profile.exclude]
    seeds = {normalize.doi(s) or normalize.pmid(s) or normalize.title_key(s) for s in profile.seeds}
    seeds.discard(None)
    matched, excluded = [], []
    for vector in space.vectors:
        words = set(vector)
        matched.append([shown[t] for t in shown if t in words])
        excluded.append([term for term, parts in exclude if parts and parts <= words])
    return Linked(space, profile_sim, graph, nearest, matched, excluded,
                  [_is_seed(r, seeds) for r in records])


def signals_of(linked: Linked, design: Design = DESIGN) -> list[Signals]:
    """Signals for each record under the design parameters: neighbourhood relevance and wording
    against the on-topic core."""
    if linked.graph is None:
        spread_sim = linked.profile
    else:
        spread_sim = spread(linked.graph, linked.profile, design.alpha, design.mass)
    typical = core_wording(linked.space, core_of(spread_sim, design.core), design.smoothing)
    return [Signals(profile=linked.profile[i], spread=spread_sim[i], wording=typical[i],
                    nearest=linked.nearest[i], tokens=linked.space.lengths[i],
                    matched=linked.matched[i], excluded=linked.excluded[i], seed=linked.seed[i])
            for i in range(len(linked.profile))]


def score_records(records: list, profile: Profile, design: Design = DESIGN) -> list[Signals]:
    """Signals for each record: profile similarity, neighbourhood relevance, wording against the
    on-topic core, nearest-neighbour similarity and the profile's terms it shares."""
    return signals_of(link_records(records, profile), design)


def filter_corpus(corpus: Corpus, profile: Profile, margins: Margins | None = None) -> FilterReport:
    """Decide keep / review / drop for every canonical record and store the decisions; a person's
    decisions stay as they are."""
    records = list(corpus.canonical_records())
    report = FilterReport()
    if not records:
        return report
    people = corpus.decided_by_person()
    decisions = decide_all(score_records(records, profile), margins or MARGINS)
    stored = corpus.relevance() if people else {}
    rows = []
    for record, decision in zip(records, decisions, strict=True):
        if record.id in people:
            row = stored[record.id]
            decision = Decision(row["decision"], row["score"] or 0.0, row["reasons"])
        else:
            rows.append((record.id, decision.decision, decision.score, decision.reasons,
                         decision.scores))
        report.counts[decision.decision] += 1
        report.decisions.append(RecordDecision(record.id, record.title, decision.decision,
                                               decision.score, decision.reasons))
    corpus.store_relevance(rows)
    corpus.record_run("filter", {"profile": profile.model_dump(),
                                 "margins": asdict(margins or MARGINS),
                                 "design": asdict(DESIGN)})
    return report


def set_decision(corpus: Corpus, record_id: str, decision: str) -> None:
    """Record a person's decision for one record; later filter runs keep it."""
    if decision not in DECISIONS:
        raise LitcorpusError(f"decision {decision!r} is not one of keep, review, drop")
    if not any(r.id == record_id for r in corpus.canonical_records()):
        raise LitcorpusError(f"no record {record_id!r} in the corpus",
                             "use an id from 'litcorpus export --format jsonl'")
    corpus.set_person_decision(record_id, decision)


__all__ = ["DECISIONS", "DESIGN", "Design", "FilterReport", "Linked", "Margins", "Profile",
           "Signals", "filter_corpus", "link_records", "load_profile", "score_records",
           "set_decision", "signals_of"]
