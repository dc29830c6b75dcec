"""How close each record stands to the profile and to the rest of the corpus.

Deterministic and offline: words are folded and lightly stemmed, and weighted by how rare they are
in general English (a fixed background shipped with litcorpus, data/english_words.npz), never by how
often the corpus itself uses them, so that a record's measures do not move with how many off-topic
records the corpus holds. The profile becomes a query that is expanded with the words that co-occur
with it in the corpus's best-matching records (pseudo-relevance feedback: "reminders" and "alerts"
join "nudges" when the corpus uses them together).
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from litcorpus import normalize
from litcorpus.models import Record

STOP = frozenset("""
a about above across after again against all almost also although always among an and another
any are around as at be because been before being below between both but by can could did do does
doing done due during each either else enough especially etc even ever every few for from further
had has have having here how however i if in into is it its itself just least less like made many
may might more most much must near neither no nor not of off often on once one only or other our
out over own per perhaps rather same several shall she should since so some such than that the
their them then there these they this those though through thus to too toward towards under until
upon us use used uses using very was we well were what when where whether which while who whom whose
why will with within without would yet you your study studies result results method methods
conclusion conclusions background objective objectives aim aims purpose introduction discussion
paper article review author authors finding findings show shows showed shown found find report
reported reports analysis analyses data based new two three four first second total mean among
significant significantly compared comparison group groups effect effects approach level levels
including include included includes however overall examined examine examines investigate
investigated describe described present presents presented provide provides provided
""".split())
_WORD = re.compile(r"[a-z][a-z0-9]+")
_SUFFIXES = ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ities", "ity",
             "ness", "ings", "ing", "ies", "ers", "er", "ed", "es", "ly", "s")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, stable suffix stripper: enough to join `reminders`/`reminder`, `nudging`/`nudge`."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix == "ies":
                word += "y"
            break
    return word.rstrip("e") if len(word) > 5 else word


_TAG = re.compile(r"<[^>]{1,40}>")


def _fold(text: str) -> str:
    """normalize.fold for the words `tokens` keeps, without its per-character pass on plain
    ASCII text (most abstracts): same words, a quarter of the time."""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        return normalize.fold(text)
    return _TAG.sub(" ", text).lower()


def tokens(text: str) -> list[str]:
    """Folded, stemmed content words of a text."""
    return [stem(w) for w in _WORD.findall(_fold(text)) if w not in STOP and len(w) > 2]


def surface_words(text: str) -> dict[str, str]:
    """Each content word's stem mapped to the word as first written in `text`, in order, so that
    reasons show "reminders" and "NHS" rather than the stems "remind" and "nhs" (a capital that
    only starts a sentence is dropped)."""
    shown: dict[str, str] = {}
    for found in re.finditer(r"[^\W\d_]\w*", text):
        written = found.group()
        if written[:1].isupper() and written[1:].islower() and (
                not text[:found.start()].strip() or text[:found.start()].rstrip()[-1] in ".!?:;"):
            written = written.lower()
        for word in _WORD.findall(_fold(written)):
            if word not in STOP and len(word) > 2:
                shown.setdefault(stem(word), written if _fold(written) == word else word)
    return shown


def record_text(record: Record) -> str:
    """The words a record offers: title (twice, it is the densest), abstract, keywords, journal."""
    return " ".join(filter(None, [record.title, record.title, record.abstract,
                                  " ".join(record.keywords), record.journal]))


Vector = dict[str, float]


@dataclass(frozen=True)
class Design:
    """The filter's design parameters, chosen on the labelled sets (BENCHMARKS.md), never fitted
    per corpus: label spreading's `alpha` and `mass`, the on-topic core's `core` share of the top
    ten's relevance, and the core wording's `smoothing` towards the background (in words)."""

    alpha: float = 0.8
    mass: float = 1.0
    core: float = 0.7
    smoothing: float = 2000.0


DESIGN = Design()
BACKGROUND = Path(__file__).parent / "data" / "english_words.npz"


@dataclass(frozen=True)
class Background:
    """General English, from outside any corpus: each stem's log share of running text (GloVe
    6B's word frequencies, PDDL; tools/relevance_background.py says how the file is made)."""

    index: dict[str, int]
    log_share: object      # numpy float array, one per stem
    unknown: float         # log share of a word the list does not hold: the rarest listed

    def log_shares(self, terms) -> object:
        import numpy as np

        found = [self.index.get(t, -1) for t in terms]
        return np.array([self.log_share[i] if i >= 0 else self.unknown for i in found])

    def weight(self, term: str) -> float:
        """How informative a word is: minus its log share of general English."""
        i = self.index.get(term)
        return -float(self.log_share[i]) if i is not None else -self.unknown


@lru_cache(maxsize=1)
def background() -> Background:
    import numpy as np

    with np.load(BACKGROUND) as data:
        stems = data["stems"].tobytes().decode("utf-8").split("\n")
        log_share = data["log_share"].astype(np.float64)
    return Background({s: i for i, s in enumerate(stems)}, log_share, float(log_share.min()))


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _unit(counts: dict[str, float]) -> Vector:
    norm = math.sqrt(sum(w * w for w in counts.values()))
    return {t: w / norm for t, w in counts.items()} if norm else {}


@dataclass
class Space:
    """The records' words: unit vectors weighted by the background (how rare each word is in
    general English), and the word counts as a sparse matrix (records x `terms`)."""

    weights: dict[str, float]
    vectors: list[Vector]
    lengths: list[int]
    counts: object          # scipy CSR matrix of word counts, columns in the order of `terms`
    terms: list[str]
    matrix: object = None   # term_matrix(), once built

    @classmethod
    def build(cls, texts: list[str]) -> Space:
        import numpy as np
        from scipy import sparse

        bags = [Counter(tokens(t)) for t in texts]
        columns: dict[str, int] = {}
        indptr, cols, vals = [0], [], []
        for bag in bags:
            cols.extend(columns.setdefault(term, len(columns)) for term in bag)
            vals.extend(bag.values())
            indptr.append(len(cols))
        terms = list(columns)
        known = background()
        weights = dict(zip(terms, (-known.log_shares(terms)).tolist(), strict=True))
        vectors = [_unit({t: (1 + math.log(c)) * weights[t] for t, c in bag.items()}) for bag in bags]
        counts = sparse.csr_matrix((np.array(vals, dtype=np.float64), np.array(cols, dtype=np.int64),
                                    indptr), shape=(len(bags), max(len(terms), 1)))
        return cls(weights, vectors, [sum(b.values()) for b in bags], counts, terms)

    def query(self, text: str) -> Vector:
        """A unit vector for a query text, weighted by the same background."""
        known = background()
        return _unit({t: known.weight(t) for t in set(tokens(text))})


def centroid(vectors: list[Vector], weights: list[float] | None = None) -> Vector:
    total: dict[str, float] = {}
    for i, vector in enumerate(vectors):
        w = 1.0 if weights is None else weights[i]
        if w <= 0:
            continue
        for t, x in vector.items():
            total[t] = total.get(t, 0.0) + w * x
    return _unit(total)


def expand(space: Space, query: Vector, k: int = 30, terms: int = 40, weight: float = 0.6
           ) -> tuple[Vector, list[str]]:
    """Pseudo-relevance feedback: add the strongest words of the k records closest to the query.

    Returns the expanded unit query and the words it added (for the reasons shown to a person).
    """
    scored = sorted(range(len(space.vectors)), key=lambda i: -cosine(query, space.vectors[i]))
    top = [space.vectors[i] for i in scored[:k] if cosine(query, space.vectors[i]) > 0]
    if not top:
        return query, []
    feedback = centroid(top)
    strongest = sorted(feedback.items(), key=lambda kv: -kv[1])[:terms]
    combined = dict(query)
    added = []
    for t, w in strongest:
        if t not in combined:
            added.append(t)
        combined[t] = combined.get(t, 0.0) + weight * w
    return _unit(combined), added


def neighbours(space: Space, k: int = 15, chunk: int = 2000):
    """Each record's k most similar other records, as a symmetric sparse matrix of similarities
    (numpy, scipy): the corpus's own map of which records belong together; and each record's
    similarity to its single nearest neighbour (how isolated it stands)."""
    import numpy as np
    from scipy import sparse

    matrix = term_matrix(space).astype(np.float32)
    n = len(space.vectors)
    k = min(k, max(n - 1, 1))
    nearest = np.zeros(n)
    g_rows, g_cols, g_vals = [], [], []
    if n > 1:
        transposed = matrix.T.tocsr()
        for start in range(0, n, chunk):
            block = (matrix[start:start + chunk] @ transposed).toarray()
            size = block.shape[0]
            block[np.arange(size), start + np.arange(size)] = -1.0  # never one's own neighbour
            top = np.argpartition(-block, k - 1, axis=1)[:, :k]
            sims = np.clip(np.take_along_axis(block, top, axis=1), 0, None)
            nearest[start:start + size] = sims.max(axis=1)
            g_rows.append(np.repeat(np.arange(start, start + size), k))
            g_cols.append(top.ravel())
            g_vals.append(sims.ravel())
    graph = sparse.csr_matrix((np.concatenate(g_vals) if g_vals else [],
                               (np.concatenate(g_rows) if g_rows else [],
                                np.concatenate(g_cols) if g_cols else [])), shape=(n, n))
    return graph.maximum(graph.T).tocsr(), nearest.tolist()


def top_mean(values, top: int = 10) -> float:
    """The mean of the `top` highest values: where the corpus's most relevant records stand."""
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    return float(np.mean(np.sort(values)[::-1][:top])) if len(values) else 0.0


def spread(graph, seed, alpha: float = 0.8, mass: float = 1.0, rounds: int = 30) -> list[float]:
    """Label spreading: each record's relevance becomes a blend of its own profile similarity and
    its neighbours' relevance, weighted by how similar they are, so on-topic wording carries
    through the corpus's own links. `mass` is a similarity that always counts for nothing: a record
    with only weak links to others (an intruder among on-topic records) inherits little, however
    few records of its own kind the corpus holds."""
    import numpy as np
    from scipy import sparse

    start = np.asarray(seed, dtype=np.float64)
    start = start / (top_mean(start) or 1.0)
    totals = np.asarray(graph.sum(axis=1)).ravel()
    weighted = sparse.diags(1.0 / (totals + mass)) @ graph
    score = start.copy()
    for _ in range(rounds):
        score = alpha * (weighted @ score) + (1 - alpha) * start
    return score.tolist()


def term_matrix(space: Space):
    """The records' weighted unit vectors as one sparse CSR matrix (records x words), built once."""
    if space.matrix is None:
        import numpy as np
        from scipy import sparse

        vocabulary: dict[str, int] = {}
        indptr, cols, vals = [0], [], []
        for vector in space.vectors:
            cols.extend(vocabulary.setdefault(term, len(vocabulary)) for term in vector)
            vals.extend(vector.values())
            indptr.append(len(cols))
        space.matrix = sparse.csr_matrix(
            (np.array(vals, dtype=np.float64), np.array(cols, dtype=np.int64), indptr),
            shape=(len(space.vectors), max(len(vocabulary), 1)))
    return space.matrix


def core_of(relevance, share: float = 0.7, least: int = 20):
    """Indices of the corpus's on-topic core: the records whose relevance is at least `share` of
    the top ten's (or the `least` most relevant when fewer reach it). Defined from the top of the
    relevance scale, it does not depend on how many off-topic records the corpus holds."""
    import numpy as np

    relevance = np.asarray(relevance, dtype=np.float64)
    core = np.flatnonzero(relevance >= share * top_mean(relevance))
    if len(core) < least:
        core = np.argsort(-relevance, kind="stable")[:least]
    return core


def core_wording(space: Space, core, smoothing: float = 2000.0) -> list[float]:
    """How much each record's words are those of the core rather than of general English: the
    mean log-likelihood ratio, per word, of the core's word distribution (smoothed towards the
    background by `smoothing` words) against the background's. Both sides are fixed by the core
    and by general English, never by the corpus's off-topic records."""
    import numpy as np

    counts = space.counts
    share = np.exp(background().log_shares(space.terms))
    in_core = np.asarray(counts[core].sum(axis=0)).ravel()
    ratio = np.log((in_core + smoothing * share) / (in_core.sum() + smoothing) / share)
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    return ((counts @ ratio) / np.maximum(lengths, 1.0)).tolist()

