"""How close each record stands to the profile and to the rest of the corpus.

Deterministic and offline: words are folded and lightly stemmed, weighted by TF-IDF over the corpus
itself. The profile becomes a query that is expanded with the words that co-occur with it in the
corpus's best-matching records (pseudo-relevance feedback: "reminders" and "alerts" join "nudges"
when the corpus uses them together). The corpus centroid says what the search is mostly about.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

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


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _unit(counts: dict[str, float]) -> Vector:
    norm = math.sqrt(sum(w * w for w in counts.values()))
    return {t: w / norm for t, w in counts.items()} if norm else {}


@dataclass
class Space:
    """TF-IDF space of a corpus: document frequencies and unit vectors per record."""

    idf: dict[str, float]
    vectors: list[Vector]
    lengths: list[int]
    matrix: object = None   # term_matrix(), once built

    @classmethod
    def build(cls, texts: list[str]) -> Space:
        bags = [Counter(tokens(t)) for t in texts]
        df: Counter = Counter()
        for bag in bags:
            df.update(bag.keys())
        n = max(len(bags), 1)
        idf = {t: math.log((n + 1) / (f + 0.5)) for t, f in df.items()}
        vectors = [_unit({t: (1 + math.log(c)) * idf[t] for t, c in bag.items()}) for bag in bags]
        return cls(idf, vectors, [sum(b.values()) for b in bags])

    def query(self, text: str) -> Vector:
        """A unit vector for a query text; words the corpus never uses get the highest weight."""
        top = max(self.idf.values(), default=1.0)
        return _unit({t: self.idf.get(t, top) for t in set(tokens(text))})


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
    """Each record's k most similar other records, as a row-normalised sparse matrix (numpy,
    scipy): the corpus's own map of which records belong together; and each record's similarity
    to its single nearest neighbour (how isolated it stands)."""
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
    graph = graph.maximum(graph.T)
    totals = np.asarray(graph.sum(axis=1)).ravel()
    totals[totals == 0] = 1.0
    return sparse.diags(1.0 / totals) @ graph, nearest.tolist()


def spread(graph, seed: list[float], alpha: float = 0.8, rounds: int = 30) -> list[float]:
    """Label spreading: each record's relevance becomes a blend of its own profile similarity
    and its neighbours' relevance, so on-topic wording carries through the corpus's own links."""
    import numpy as np

    start = np.asarray(seed, dtype=np.float64)
    top = start.max() or 1.0
    start = start / top
    score = start.copy()
    for _ in range(rounds):
        score = alpha * (graph @ score) + (1 - alpha) * start
    return score.tolist()


def term_matrix(space: Space):
    """The records' TF-IDF vectors as one sparse CSR matrix (records x words), built once."""
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


def on_topic_odds(space: Space, relevance: list[float], positive: float = 0.3,
                  negative: float = 0.1, rounds: int = 8) -> list[float]:
    """Log-odds that each record belongs with the on-topic part of the corpus.

    A two-class naive Bayes learnt from the corpus itself by expectation-maximisation: the records
    most relevant to the profile (after spreading) start as on-topic, the least relevant as
    off-topic; the on-topic seeds stay fixed while the rest are re-estimated.
    """
    import numpy as np

    matrix = term_matrix(space)
    n = matrix.shape[0]
    order = np.argsort(-np.asarray(relevance))
    fixed = order[: max(1, int(n * positive))]
    p = np.full(n, 0.5)
    p[fixed] = 1.0
    p[order[n - max(1, int(n * negative)):]] = 0.0
    log_odds = np.zeros(n)
    smoothing = 0.1
    for _ in range(rounds):
        on = matrix.T @ p + smoothing
        off = matrix.T @ (1 - p) + smoothing
        weights = np.log(on / on.sum()) - np.log(off / off.sum())
        prior = np.log(p.mean() / (1 - p.mean())) if 0 < p.mean() < 1 else 0.0
        lengths = np.asarray(matrix.sum(axis=1)).ravel()
        log_odds = (matrix @ weights) / np.maximum(lengths, 1e-9) * 10 + prior
        p = 1 / (1 + np.exp(-np.clip(log_odds, -30, 30)))
        p[fixed] = 1.0
    return log_odds.tolist()
