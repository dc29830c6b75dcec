"""Match weights: Fellegi-Sunter m- and u-probabilities per field agreement level.

For every field level, m is how often true duplicates show it and u how often different works
that reached comparison show it; a level's weight is log2(m/u) bits, positive when it speaks for a
duplicate and negative against. A pair's weight is the sum over the fields both records have (a
missing field adds nothing) plus the prior odds; its probability follows from that.

The probabilities are estimated on the corpus being deduped, without labels, by EM over its own
candidate pairs (as Splink does): a field that is noise in this corpus (an EndNote record number
in `issue`) comes out with m close to u and counts for little there. EM starts from, and is held
towards, a prior fitted on labelled sets (`prior.json`, written by bench/fit_dedupe_prior.py) with
the strength of `PRIOR_PAIRS` pairs, so a corpus of twenty records is judged by the prior and a
corpus of thousands mostly by itself. The same pairs always give the same weights.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from litcorpus.dedupe.scoring import FIELDS, LEVELS

PRIOR_FILE = Path(__file__).with_name("prior.json")
PRIOR_PAIRS = 100.0
"""How many pairs' worth of evidence the prior counts for, per field and class."""
ITERATIONS = 60
TOLERANCE = 1e-7


@dataclass
class Model:
    """m, u per field level, and the share of duplicates among the pairs compared (`prior`)."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float
    pairs: int = 0                 # how many pairs the model was estimated on (0: the prior alone)
    source: str = "prior"
    prior_m: dict[str, list[float]] = field(default_factory=dict)  # m of the labelled prior
    stats: dict | None = None      # EM's final counts, for `without` (None: nothing to take out)
    _without: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        if not self.prior_m:
            self.prior_m = self.m

    def without(self, levels: dict[str, int | None]) -> Model:
        """The model as estimated without one of the pairs it was estimated on (the pair with
        these levels): a pair's own levels never vouch for themselves, which matters in a corpus
        of a few records, where one pair would otherwise move a rare level's weight. One model
        per level pattern (a corpus has a few hundred patterns and millions of pairs)."""
        if not self.stats:
            return self
        pattern = tuple(levels[name] for name in FIELDS)
        if pattern not in self._without:
            self._without[pattern] = self._estimated_without(levels)
        return self._without[pattern]

    def _estimated_without(self, levels: dict[str, int | None]) -> Model:
        st = self.stats
        w = probability(self.total(levels))
        m, u = dict(self.m), dict(self.u)
        for name in FIELDS:
            level = levels[name]
            if level is None or name in IDENTIFIER:
                continue
            hm, hu = list(st["m"][name]), list(st["u"][name])
            hm[level] = max(hm[level] - w, 0.0)
            hu[level] = max(hu[level] - (1 - w), 0.0)
            m[name] = [(x + st["strength"] * y) / (sum(hm) + st["strength"])
                       for x, y in zip(hm, st["prior_m"][name], strict=True)]
            u[name] = [(x + st["strength"] * y) / (sum(hu) + st["strength"])
                       for x, y in zip(hu, st["prior_u"][name], strict=True)]
        prior = (st["matches"] - w + st["strength"] * st["prior"]) / (st["pairs"] - 1 + st["strength"])
        return Model(m=m, u=u, prior=prior, pairs=self.pairs - 1, source=self.source,
                     prior_m=self.prior_m)

    def weight(self, name: str, level: int | None) -> float:
        """log2(m/u) of one field level; 0 for a missing field."""
        if level is None:
            return 0.0
        return math.log2(self.m[name][level] / self.u[name][level])

    def weights(self, levels: dict[str, int | None]) -> dict[str, float]:
        return {name: self.weight(name, levels[name]) for name in FIELDS if levels[name] is not None}

    def total(self, levels: dict[str, int | None]) -> float:
        """Prior log2-odds plus the weights of every field present."""
        return math.log2(self.prior / (1 - self.prior)) + sum(self.weights(levels).values())

    def to_dict(self) -> dict:
        return {"m": self.m, "u": self.u, "prior": self.prior}


def probability(total: float) -> float:
    """The probability of a duplicate from a pair's total weight (log2-odds)."""
    if total > 60:
        return 1.0
    return 1 / (1 + 2 ** -total)


def load_prior(path: Path | None = None) -> Model:
    """The shipped prior, or one written by bench/fit_dedupe_prior.py."""
    data = json.loads((path or PRIOR_FILE).read_text("utf-8"))
    return Model(m=data["m"], u=data["u"], prior=data["prior"], source=str(path or "prior"))


def encode(levels: list[dict[str, int | None]]) -> np.ndarray:
    """Pairs' levels as an int8 matrix (pairs x fields), -1 for a missing field."""
    out = np.full((len(levels), len(FIELDS)), -1, dtype=np.int8)
    for row, found in enumerate(levels):
        for col, name in enumerate(FIELDS):
            if found[name] is not None:
                out[row, col] = found[name]
    return out


def estimate(gammas: np.ndarray, prior: Model, *, strength: float = PRIOR_PAIRS) -> Model:
    """EM (maximum a posteriori, Dirichlet priors centred on `prior`) over the pairs' levels.

    Pairs with the same levels are counted once with their multiplicity, so the cost is in the
    number of distinct patterns, not of pairs. Deterministic: no sampling, a fixed start."""
    if len(gammas) == 0:
        return Model(m=prior.m, u=prior.u, prior=prior.prior, pairs=0, source="prior",
                     prior_m=prior.prior_m)
    patterns, counts = np.unique(gammas, axis=0, return_inverse=False, return_counts=True)
    counts = counts.astype(float)
    m = {f: np.asarray(prior.m[f], float) for f in FIELDS}
    u = {f: np.asarray(prior.u[f], float) for f in FIELDS}
    lam = prior.prior
    onehots = [[patterns[:, col] == level for level in range(len(LEVELS[name]))]
               for col, name in enumerate(FIELDS)]
    fixed = [col for col, name in enumerate(FIELDS) if name in IDENTIFIER]
    hm_all, hu_all = {}, {}
    for _ in range(ITERATIONS):
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for col, name in enumerate(FIELDS):
            for level, hit in enumerate(onehots[col]):
                log_m[hit] += math.log(m[name][level])
                log_u[hit] += math.log(u[name][level])
        odds = np.clip(np.log(lam / (1 - lam)) + log_m - log_u, -700, 700)
        w = 1 / (1 + np.exp(-odds))
        wm, wu = w * counts, (1 - w) * counts
        new_m, new_u = {}, {}
        for col, name in enumerate(FIELDS):
            hm = np.array([wm[hit].sum() for hit in onehots[col]])
            hu = np.array([wu[hit].sum() for hit in onehots[col]])
            hm_all[name], hu_all[name] = hm, hu
            if col in fixed:
                new_m[name], new_u[name] = m[name], u[name]
                continue
            new_m[name] = (hm + strength * np.asarray(prior.m[name])) / (hm.sum() + strength)
            new_u[name] = (hu + strength * np.asarray(prior.u[name])) / (hu.sum() + strength)
        new_lam = (wm.sum() + strength * prior.prior) / (counts.sum() + strength)
        change = max(abs(new_lam - lam), *(np.abs(new_m[f] - m[f]).max() for f in FIELDS),
                     *(np.abs(new_u[f] - u[f]).max() for f in FIELDS))
        m, u, lam = new_m, new_u, float(new_lam)
        if change < TOLERANCE:
            break
    return Model(m={f: [round(float(x), 8) for x in m[f]] for f in FIELDS},
                 u={f: [round(float(x), 8) for x in u[f]] for f in FIELDS},
                 prior=round(lam, 8), pairs=int(counts.sum()), source="corpus",
                 prior_m=prior.prior_m,
                 stats={"m": {f: hm_all[f].tolist() for f in FIELDS},
                        "u": {f: hu_all[f].tolist() for f in FIELDS},
                        "matches": float(wm.sum()), "pairs": float(counts.sum()),
                        "strength": strength, "prior": prior.prior, "prior_m": prior.m,
                        "prior_u": prior.u})


def fit_labelled(sets: list[tuple[np.ndarray, np.ndarray]], *, smoothing: float = 0.5) -> Model:
    """A prior from labelled sets: level counts among true pairs (m) and among the other compared
    pairs (u), pooled over the sets and smoothed by half a pair per level. Identifiers keep their
    stated weights (`IDENTIFIER`)."""
    out_m, out_u = {}, {}
    for col, name in enumerate(FIELDS):
        if name in IDENTIFIER:
            out_m[name], out_u[name] = IDENTIFIER[name]
            continue
        for target, true in ((out_m, True), (out_u, False)):
            found = np.zeros(len(LEVELS[name]))
            for gammas, labels in sets:
                column = gammas[labels == true, col]
                found += [(column == level).sum() for level in range(len(found))]
            found += smoothing
            target[name] = [round(float(x), 6) for x in found / found.sum()]
    labels = np.concatenate([labels for _, labels in sets]) if sets else np.zeros(0, bool)
    share = float(labels.mean()) if len(labels) else 0.5
    return Model(m=out_m, u=out_u, prior=round(float(np.clip(share, 0.01, 0.99)), 6),
                 source="labelled")


IDENTIFIER = {"identifier": ([0.98, 0.02], [0.0005, 0.9995])}
"""Stated, not fitted: a DOI or PMID is made to name one article, so two different works share one
only by mistake (1 in 2,000 pairs that carry both, +11 bits); issue- and book-level identifiers are
caught per corpus (identifiers.py) before this applies. Different identifiers are a hard veto."""
