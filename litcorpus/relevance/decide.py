"""From scores to decisions: keep, review or drop, each with reasons a person can read.

A record is dropped only when the corpus's own model places it well outside its on-topic part
(log-odds below DROP_ODDS) AND it shares none of the profile's words, or when it stands apart from
every other record; a record with little text is never dropped for that alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

MIN_TOKENS = 15          # fewer content words than this (a short title alone): at most `review`
DROP_ODDS = -4.0         # log-odds of belonging to the on-topic part of the corpus
REVIEW_ODDS = -4.0       # review: log-odds below this and neighbourhood relevance below
REVIEW_SPREAD = 1.0      # ...this share of the corpus median
MAX_MATCHED = 0          # a record sharing any of the profile's words is never dropped
ISOLATED = 0.25          # nearest-neighbour and profile similarity both below this share of
                         # the corpus median: a lone record from another field


@dataclass
class Evidence:
    profile: float            # cosine to the (expanded) profile
    spread: float             # relevance after spreading through nearest neighbours
    odds: float               # log-odds of belonging to the corpus's on-topic part
    nearest: float            # similarity to the closest other record
    tokens: int
    matched: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    seed: bool = False


@dataclass
class Decision:
    decision: str
    score: float
    reasons: list[str]


def decide_all(evidence: list[Evidence]) -> list[Decision]:
    """Decisions for every record, judged against the corpus's own distribution."""
    middle = median(e.spread for e in evidence) if evidence else 0.0
    near_middle = median(e.nearest for e in evidence) if evidence else 0.0
    profile_middle = median(e.profile for e in evidence) if evidence else 0.0
    decisions = []
    for e in evidence:
        score = round(1 / (1 + pow(2.718281828, -e.odds / 4)), 4)
        if e.seed:
            decisions.append(Decision("keep", 1.0, ["is one of the profile's seed papers"]))
            continue
        relative = e.spread / middle if middle else 1.0
        reasons = [
            "matches profile words: " + ", ".join(e.matched[:8]) if e.matched
            else "matches none of the profile's words",
            f"relevance through its nearest neighbours is {relative:.2f} x the corpus median",
            f"log-odds {e.odds:+.1f} of belonging to the corpus's on-topic part",
        ]
        if e.excluded:
            reasons.append("mentions excluded terms: " + ", ".join(e.excluded))
        isolated = (e.nearest < ISOLATED * near_middle and e.profile < ISOLATED * profile_middle)
        if isolated:
            reasons.append(f"stands apart: its closest record is only {e.nearest:.3f} similar "
                           f"(corpus median {near_middle:.3f})")
        far = (e.odds < DROP_ODDS and len(e.matched) <= MAX_MATCHED) or isolated
        doubtful = e.odds < REVIEW_ODDS and relative < REVIEW_SPREAD
        if e.excluded:
            far, doubtful = far or e.odds < 0, True
        if e.tokens < MIN_TOKENS:
            reasons.append(f"little text ({e.tokens} words): never dropped for that alone")
            decision = "review" if far or doubtful else "keep"
        elif far:
            decision = "drop"
        elif doubtful:
            decision = "review"
        else:
            decision = "keep"
        decisions.append(Decision(decision, score, reasons))
    return decisions
