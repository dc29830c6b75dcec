"""From signals to decisions: keep, review or drop, each with reasons a person can read.

Every measure is read relative to the corpus's own on-topic core (the records whose wording and
neighbours match the profile best), so one margin serves corpora of any field and size. A record
is dropped only when it is far from the topic (its relevance, through its own words and its
nearest records, is a small share of the core's) AND far from the on-topic part of the corpus (the
corpus's own two-class model places it well below the core). The two margins were fitted leave one
domain out over the labelled sets (bench/relevance_intruders.py, BENCHMARKS.md). A record with
little text, or a seed paper, is never dropped; a record that stands apart from every other record
in the corpus is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

CORE = 0.5               # the on-topic core: relevance at least this share of the top's (the
TOP = 10                 # mean of the TOP most relevant records), so that it does not depend on
MIN_CORE = 20            # how many off-topic records a corpus holds; at least MIN_CORE records
MIN_TOKENS = 8           # fewer content words than this (a title of three words or fewer, which
                         # record_text counts twice, and no abstract): at most `review`
ISOLATED = 0.25          # nearest-neighbour and profile similarity both below this share of the
                         # corpus median: a lone record from another field
BELOW_WORDING = -1.0     # a record may be dropped only when its wording sits more than one core
BELOW_RELEVANCE = 0.5    # IQR below the core's median AND its relevance is under half the core's


@dataclass(frozen=True)
class Margins:
    """How far from the on-topic core a record must be to be dropped.

    The distance is a weighted mean of two logarithmic gaps, both 0 at the core's median: the
    wording gap (log-odds in core interquartile ranges) and the relevance gap (log2 of relevance
    as a share of the core's, counted `weight` times). Fitted by bench/relevance_intruders.py:
    `drop` is the lowest distance of any included record over the labelled sets, less the margin
    that kept every included record when each domain was held out.
    """

    weight: float = 6.0
    drop: float = -1.81


MARGINS = Margins()


@dataclass
class Signals:
    """What the filter measured for one record (scoring.py), before any decision."""

    profile: float            # cosine to the (expanded) profile
    spread: float             # relevance after spreading through nearest neighbours
    odds: float               # log-odds of belonging to the corpus's on-topic part
    nearest: float            # similarity to the closest other record
    tokens: int               # content words
    matched: list[str] = field(default_factory=list)    # profile words it uses, as written there
    excluded: list[str] = field(default_factory=list)   # the profile's `exclude` terms it uses
    seed: bool = False


@dataclass
class Standing:
    """A record's place relative to the corpus's on-topic core."""

    odds: float         # (log-odds - core median) / core interquartile range
    relevance: float    # relevance / core median relevance
    isolated: bool      # far from every other record and from the profile


@dataclass
class Decision:
    decision: str
    score: float
    reasons: list[str]
    scores: dict = field(default_factory=dict)


def distance(odds, relevance, weight: float):
    """How far below the on-topic core a record sits (0 at the core; numbers or numpy arrays)."""
    return (odds + weight * np.log2(np.maximum(relevance, 1e-3))) / (1 + weight)


def far(odds, relevance, margins: Margins = MARGINS):
    """Far from both the topic and the corpus's on-topic part (numbers or numpy arrays)."""
    return ((odds < BELOW_WORDING) & (relevance < BELOW_RELEVANCE)
            & (distance(odds, relevance, margins.weight) < margins.drop))


def doubtful(odds, relevance, margins: Margins = MARGINS):
    """Halfway there: sent to a person for review."""
    return ((odds < BELOW_WORDING) & (relevance < BELOW_RELEVANCE)
            & (distance(odds, relevance, margins.weight) < margins.drop / 2))


def top_relevance(spread) -> float:
    """The relevance of the corpus's most relevant records (mean of the TOP highest)."""
    return float(np.mean(np.sort(np.asarray(spread))[::-1][:TOP])) if len(spread) else 0.0


def core_of(spread) -> np.ndarray:
    """Indices of the on-topic core: relevance at least CORE x the top's, or the MIN_CORE most
    relevant records when fewer reach it."""
    spread = np.asarray(spread)
    core = np.flatnonzero(spread >= CORE * top_relevance(spread))
    if len(core) < MIN_CORE:
        core = np.argsort(-spread, kind="stable")[:MIN_CORE]
    return core


def standings(signals: list[Signals]) -> list[Standing]:
    """Each record's odds and relevance relative to the corpus's on-topic core."""
    if not signals:
        return []
    spread = np.array([s.spread for s in signals])
    odds = np.array([s.odds for s in signals])
    core = core_of(spread)
    middle = float(np.median(odds[core]))
    q75, q25 = np.percentile(odds[core], [75, 25])
    scale = float(q75 - q25) or 1.0
    top = float(np.median(spread[core])) or 1.0
    near_middle = float(np.median([s.nearest for s in signals]))
    profile_middle = float(np.median([s.profile for s in signals]))
    return [Standing((s.odds - middle) / scale, s.spread / top,
                     s.nearest < ISOLATED * near_middle and s.profile < ISOLATED * profile_middle)
            for s in signals]


def _wording(odds: float) -> str:
    if odds >= BELOW_WORDING:
        return "its wording is typical of the corpus's on-topic records"
    if odds >= 3 * BELOW_WORDING:
        return "its wording is less typical of the corpus's on-topic records than most of theirs"
    return "its wording sets it apart from the corpus's on-topic records"


def _relevance(ratio: float) -> str:
    if ratio >= 0.8:
        return "it and its closest records match the topic about as well as the on-topic records"
    if ratio >= BELOW_RELEVANCE:
        return "it and its closest records match the topic less well than the on-topic records"
    share = "a quarter" if ratio < 0.25 else "half"
    return f"it and its closest records match the topic less than {share} as well as the on-topic records"


def decide(signal: Signals, standing: Standing, margins: Margins = MARGINS) -> Decision:
    """One record's decision with its reasons (in words) and its scores (for the JSONL)."""
    gap = float(distance(standing.odds, standing.relevance, margins.weight))
    scores = {"profile_similarity": round(signal.profile, 4),
              "neighbourhood_relevance": round(signal.spread, 4),
              "relevance_vs_core": round(standing.relevance, 3),
              "on_topic_log_odds": round(signal.odds, 2),
              "log_odds_vs_core": round(standing.odds, 2),
              "distance_from_core": round(gap, 3),
              "drop_below": margins.drop,
              "nearest_similarity": round(signal.nearest, 4),
              "content_words": signal.tokens}
    score = round(float(1 / (1 + np.exp(-4 * np.clip(gap - margins.drop, -5, 5)))), 4)
    if signal.seed:
        return Decision("keep", 1.0, ["is one of the profile's seed papers"], scores)
    reasons = ["shares the profile's terms: " + ", ".join(signal.matched[:8]) if signal.matched
               else "shares none of the profile's terms",
               _wording(standing.odds), _relevance(standing.relevance)]
    dropped = bool(far(standing.odds, standing.relevance, margins))
    unsure = bool(doubtful(standing.odds, standing.relevance, margins))
    if dropped:
        reasons.append("far from both the topic and the corpus's on-topic records, beyond the "
                       "margin that kept every included study of other reviews")
    elif unsure:
        reasons.append("between the corpus's on-topic records and the drop margin: for a person")
    if standing.isolated:
        reasons.append("stands apart: it is far less like any other record in the corpus than "
                       "records usually are, and far from the profile")
        dropped = True
    if signal.excluded:
        reasons.append("mentions the profile's excluded terms: " + ", ".join(signal.excluded))
        dropped, unsure = dropped or standing.odds < BELOW_WORDING, True
    if signal.tokens < MIN_TOKENS and (dropped or unsure):
        reasons.append(f"little text ({signal.tokens} words): never dropped for that alone")
        return Decision("review", score, reasons, scores)
    return Decision("drop" if dropped else "review" if unsure else "keep", score, reasons, scores)


def decide_all(signals: list[Signals], margins: Margins = MARGINS) -> list[Decision]:
    """Decisions for every record, judged against the corpus's own on-topic core."""
    return [decide(s, p, margins) for s, p in zip(signals, standings(signals), strict=True)]
