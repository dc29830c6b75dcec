"""The relevance filter: drop what is clearly off-topic, never what is relevant, with reasons.

`filter_corpus(corpus, profile)` scores every canonical record against the profile and against
the corpus's own main body, decides keep / review / drop, and stores the decisions (a person's
decisions, set with `set_decision`, are never overwritten).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from litcorpus import normalize
from litcorpus.corpus import Corpus
from litcorpus.errors import LitcorpusError
from litcorpus.relevance.decide import Evidence, decide_all
from litcorpus.relevance.profile import Profile, load_profile
from litcorpus.relevance.scoring import (
    Space,
    cosine,
    expand,
    neighbours,
    on_topic_odds,
    record_text,
    spread,
    tokens,
)

DECISIONS = ("keep", "review", "drop")


@dataclass
class FilterReport:
    """Counts per decision and every decision with its reasons."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DECISIONS, 0))
    decisions: list[tuple[str, str | None, str, float, list[str]]] = field(default_factory=list)


def _is_seed(record, seeds: set[str]) -> bool:
    return bool(seeds) and bool({record.doi, record.pmid, normalize.title_key(record.title)} & seeds)


def score_records(records: list, profile: Profile) -> list[Evidence]:
    """Evidence for each record: profile similarity, corpus similarity, matched words."""
    space = Space.build([record_text(r) for r in records])
    query = space.query(profile.text())
    expanded, _ = expand(space, query)
    profile_sim = [cosine(expanded, v) for v in space.vectors]
    if len(records) > 1:
        graph, nearest = neighbours(space)
        spread_sim = spread(graph, profile_sim)
    else:
        spread_sim, nearest = profile_sim, [1.0]
    odds = on_topic_odds(space, spread_sim) if len(records) > 2 else [0.0] * len(records)
    profile_words = set(tokens(profile.text()))
    exclude = [(term, set(tokens(term))) for term in profile.exclude]
    seeds = {normalize.doi(s) or normalize.pmid(s) or normalize.title_key(s) for s in profile.seeds}
    seeds.discard(None)
    evidence = []
    for i, record in enumerate(records):
        words = set(space.vectors[i])
        evidence.append(Evidence(
            profile=profile_sim[i],
            spread=spread_sim[i],
            odds=odds[i],
            nearest=nearest[i],
            tokens=space.lengths[i],
            matched=sorted(profile_words & words),
            excluded=[term for term, parts in exclude if parts and parts <= words],
            seed=_is_seed(record, seeds),
        ))
    return evidence


def filter_corpus(corpus: Corpus, profile: Profile, *, progress=None) -> FilterReport:
    """Decide keep / review / drop for every canonical record and store the decisions."""
    records = list(corpus.canonical_records())
    report = FilterReport()
    if not records:
        return report
    people = {i for (i,) in corpus.db.execute("SELECT id FROM relevance WHERE by_person = 1")}
    decisions = decide_all(score_records(records, profile))
    with corpus.transaction() as db:
        db.execute("DELETE FROM relevance WHERE by_person = 0")
        for record, decision in zip(records, decisions, strict=True):
            if record.id in people:
                row = corpus.relevance()[record.id]
                report.counts[row["decision"]] += 1
                report.decisions.append((record.id, record.title, row["decision"],
                                         row["score"] or 0.0, row["reasons"]))
                continue
            db.execute("INSERT OR REPLACE INTO relevance VALUES (?, ?, ?, ?, 0)",
                       (record.id, decision.decision, decision.score,
                        json.dumps(decision.reasons)))
            report.counts[decision.decision] += 1
            report.decisions.append((record.id, record.title, decision.decision, decision.score,
                                     decision.reasons))
    corpus.record_run("filter", {"profile": profile.model_dump()})
    return report


def set_decision(corpus: Corpus, record_id: str, decision: str) -> None:
    """Record a person's decision for one record; later filter runs keep it."""
    if decision not in DECISIONS:
        raise LitcorpusError(f"decision {decision!r} is not one of keep, review, drop")
    if not any(r.id == record_id for r in corpus.canonical_records()):
        raise LitcorpusError(f"no record {record_id!r} in the corpus",
                             "use an id from 'litcorpus export --format jsonl'")
    with corpus.transaction() as db:
        db.execute("INSERT OR REPLACE INTO relevance VALUES (?, ?, NULL, ?, 1)",
                   (record_id, decision, json.dumps(["decided by a person"])))


__all__ = ["DECISIONS", "FilterReport", "Profile", "filter_corpus", "load_profile", "set_decision"]
