"""From signals to decisions: keep, review or drop, each with reasons a person can read.

Every measure is read relative to the corpus's own on-topic core (the records that match the
profile best, through their words and their nearest records), and words are weighed against that
core and against general English, never against the corpus's off-topic records: so one margin
serves corpora of any field and size, and a clean search (almost nothing off-topic) is judged as a
mixed one. A record is dropped only when its distance from the core, a weighted mean of two gaps
(relevance and wording), is beyond a margin that kept every included record of the labelled
sets when each domain was held out, with none, 100, 500 or 2,000 off-topic records added
(bench/relevance_intruders.py, BENCHMARKS.md). A record with little text, or a seed paper, is never
dropped; a record that stands apart from every other record in the corpus is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from litcorpus.relevance.scoring import DESIGN, core_of

MIN_TOKENS = 8           # fewer content words than this (a title of three words or fewer, which
                         # record_text counts twice, and no abstract): at most `review`
ISOLATED = 0.25          # nearest-neighbour and profile similarity both below this share of the
                         # corpus median: a lone record from another field
TYPICAL = -1.0           # a gap above this (one core IQR below the core's median) is typical
APART = -3.0             # below this the record is set apart on that measure


@dataclass(frozen=True)
class Margins:
    """How far from the on-topic core a record must be to be dropped.

    The distance is a weighted mean of two gaps, each 0 at the core's median and counted in the
    core's interquartile ranges: relevance (log2, counted `weight` times) and wording.
    Fitted by bench/relevance_intruders.py: `drop` is the lowest distance of any included record
    over the labelled sets and corpus make-ups, less the margin that kept every included record
    when each domain was held out, the design's parameters included (bench/relevance_nested.py).
    """

    weight: float = 2.0
    drop: float = -7.75


MARGINS = Margins()


@dataclass
class Signals:
    """What the filter measured for one record (scoring.py), before any decision."""

    profile: float            # cosine to the (expanded) profile
    spread: float             # relevance after spreading through nearest neighbours
    wording: float            # log-likelihood per word: the core's words against general English
    nearest: float            # similarity to the closest other record
    tokens: int               # content words
    matched: list[str] = field(default_factory=list)    # profile words it uses, as written there
    excluded: list[str] = field(default_factory=list)   # the profile's `exclude` terms it uses
    seed: bool = False


@dataclass
class Standing:
    """A record's place relative to the corpus's on-topic core (gaps in core IQRs)."""

    relevance: float    # (log2 relevance - core median) / core IQR
    share: float        # relevance / core median relevance
    wording: float
    isolated: bool      # far from every other record and from the profile


@dataclass
class Decision:
    decision: str
    score: float
    reasons: list[str]
    scores: dict = field(default_factory=dict)


def distance(relevance, wording, weight: float):
    """How far below the on-topic core a record sits (0 at the core; numbers or numpy arrays)."""
    return (weight * relevance + wording) / (weight + 1)


def _gap(values: np.ndarray, core: np.ndarray) -> np.ndarray:
    middle = float(np.median(values[core]))
    q75, q25 = np.percentile(values[core], [75, 25])
    return (values - middle) / (float(q75 - q25) or 1.0)


def standings(signals: list[Signals], core_share: float = DESIGN.core) -> list[Standing]:
    """Each record's relevance and wording relative to the corpus's on-topic core (the records
    with at least `core_share` of the top ten's relevance)."""
    if not signals:
        return []
    spread = np.array([s.spread for s in signals])
    core = core_of(spread, core_share)
    logged = np.log2(np.maximum(spread, 1e-6))
    relevance = _gap(logged, core)
    wording = _gap(np.array([s.wording for s in signals]), core)
    top = float(np.median(spread[core])) or 1.0
    near_middle = float(np.median([s.nearest for s in signals]))
    profile_middle = float(np.median([s.profile for s in signals]))
    return [Standing(float(relevance[i]), s.spread / top, float(wording[i]),
                     s.nearest < ISOLATED * near_middle and s.profile < ISOLATED * profile_middle)
            for i, s in enumerate(signals)]


def _wording(gap: float) -> str:
    if gap >= TYPICAL:
        return "its wording is typical of the corpus's on-topic records"
    if gap >= APART:
        return "its wording is less typical of the corpus's on-topic records than most of theirs"
    return "its wording sets it apart from the corpus's on-topic records"


def _relevance(ratio: float) -> str:
    if ratio >= 0.8:
        return "it and its closest records match the topic about as well as the on-topic records"
    if ratio >= 0.5:
        return "it and its closest records match the topic less well than the on-topic records"
    share = "a quarter" if ratio < 0.25 else "half"
    return f"it and its closest records match the topic less than {share} as well as the on-topic records"


def decide(signal: Signals, standing: Standing, margins: Margins = MARGINS) -> Decision:
    """One record's decision with its reasons (in words) and its scores (for the JSONL)."""
    gap = float(distance(standing.relevance, standing.wording, margins.weight))
    scores = {"profile_similarity": round(signal.profile, 4),
              "neighbourhood_relevance": round(signal.spread, 4),
              "relevance_vs_core": round(standing.share, 3),
              "relevance_gap": round(standing.relevance, 2),
              "wording": round(signal.wording, 3),
              "wording_gap": round(standing.wording, 2),
              "distance_from_core": round(gap, 3),
              "drop_below": margins.drop,
              "nearest_similarity": round(signal.nearest, 4),
              "content_words": signal.tokens}
    score = round(float(1 / (1 + np.exp(-np.clip(gap - margins.drop, -10, 10)))), 4)
    if signal.seed:
        return Decision("keep", 1.0, ["is one of the profile's seed papers"], scores)
    reasons = ["shares the profile's terms: " + ", ".join(signal.matched[:8]) if signal.matched
               else "shares none of the profile's terms",
               _wording(standing.wording), _relevance(standing.share)]
    dropped = gap < margins.drop
    unsure = gap < margins.drop / 2
    if dropped:
        reasons.append("far from the corpus's on-topic records, beyond the margin that kept every "
                       "included study of other reviews")
    elif unsure:
        reasons.append("between the corpus's on-topic records and the drop margin: for a person")
    if standing.isolated:
        reasons.append("stands apart: it is far less like any other record in the corpus than "
                       "records usually are, and far from the profile")
        dropped = True
    if signal.excluded:
        reasons.append("mentions the profile's excluded terms: " + ", ".join(signal.excluded))
        dropped, unsure = dropped or standing.wording < TYPICAL, True
    if signal.tokens < MIN_TOKENS and (dropped or unsure):
        reasons.append(f"little text ({signal.tokens} words): never dropped for that alone")
        return Decision("review", score, reasons, scores)
    return Decision("drop" if dropped else "review" if unsure else "keep", score, reasons, scores)


def decide_all(signals: list[Signals], margins: Margins = MARGINS,
               core_share: float = DESIGN.core) -> list[Decision]:
    """Decisions for every record, judged against the corpus's own on-topic core."""
    return [decide(s, p, margins)
            for s, p in zip(signals, standings(signals, core_share), strict=True)]
