"""Why the intruder test stops where it does: the corpus seen as clusters (an analysis, not a gate).

    python bench/relevance_clusters.py [--targets Cohen_2006/ADHD.csv,...] [--clusters]

For each target of the intruder test (bench/relevance_intruders.py, same corpora), the records'
TF-IDF vectors are reduced to 100 dimensions (scipy svds) and cut into 20 k-means clusters
(scipy kmeans2, seed 0). A cluster's affinity is the cosine of its centroid to the
profile-weighted centroid of the corpus, divided by the best cluster's. The script prints, per
target, what the shipped rule drops plus two variants that also drop records in clusters of low
affinity; `--clusters` lists every cluster (size, own records, intruders, affinity, top words).
The variants are not shipped: see the Relevance section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance_intruders import INTRUDERS, SHARED, build  # noqa: E402

VARIANTS = {
    # name: (log-odds below, cluster affinity below, profile words at most, rare words at most)
    "any words, odds<-8, affinity<0.5": (-8.0, 0.5, 10**6, 10**6),
    "1 common word, odds<-12, affinity<0.5": (-12.0, 0.5, 1, 0),
}


def clusters(space, profile_sim, k: int = 20, dims: int = 100):
    """(cluster of each record, affinity of each cluster relative to the best one)."""
    import numpy as np
    from scipy.cluster.vq import kmeans2
    from scipy.sparse.linalg import svds

    from litcorpus.relevance.scoring import term_matrix

    matrix = term_matrix(space)
    u, s, _ = svds(matrix, k=dims, random_state=0)
    points = u * s
    points /= np.maximum(np.linalg.norm(points, axis=1, keepdims=True), 1e-9)
    _, label = kmeans2(points, k, minit="++", seed=0, iter=30)
    core = (points * np.asarray(profile_sim)[:, None]).sum(axis=0)
    core /= np.linalg.norm(core)
    centres = np.array([points[label == c].mean(axis=0) if (label == c).any()
                        else np.zeros(points.shape[1]) for c in range(k)])
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
    affinity = centres @ core
    return label, affinity / affinity.max(), matrix


def analyse(target: str, topics: dict, show_clusters: bool) -> None:
    import numpy as np

    from litcorpus.corpus import Corpus
    from litcorpus.relevance import Profile, score_records
    from litcorpus.relevance.decide import DROP_ODDS, decide_all
    from litcorpus.relevance.scoring import Space, record_text

    with tempfile.TemporaryDirectory() as tmp:
        db, own = build(target, topics, Path(tmp))
        with Corpus(db) as corpus:
            records = list(corpus.canonical_records())
    included = {f"T-{r['record_id']}" for r in own if r["label_included"] == "1"}
    kinds = np.array(["included" if r.origins[0].source_id in included
                      else "own" if r.origins[0].source_id.startswith("T-") else "intruder"
                      for r in records])
    profile = Profile(topic=topics[target]["title"], description=topics[target]["profile"])
    evidence = score_records(records, profile)
    shipped = np.array([d.decision == "drop" for d in decide_all(evidence)])
    space = Space.build([record_text(r) for r in records])  # the filter's space, for its vectors
    label, affinity, matrix = clusters(space, [e.profile for e in evidence])
    df = Counter(t for v in space.vectors for t in v)
    odds = np.array([e.odds for e in evidence])
    words = np.array([len(e.matched) for e in evidence])
    rare = np.array([sum(df[w] <= 0.1 * len(records) for w in e.matched) for e in evidence])
    long_enough = np.array([e.tokens >= 15 for e in evidence])
    ours = (kinds != "intruder")

    def row(name: str, drop) -> None:  # shares of all rows, as in relevance_intruders.py
        print(f"  {name:<40} included dropped {int((drop & (kinds == 'included')).sum()):>2}"
              f"   own dropped {drop[ours].sum() / len(own):6.1%}   intruders dropped "
              f"{drop[kinds == 'intruder'].sum() / INTRUDERS:6.1%}")

    print(target)
    row(f"shipped (odds<{DROP_ODDS:g}, no profile word)", shipped)
    for name, (cut, low, most, most_rare) in VARIANTS.items():
        extra = (odds < cut) & (affinity[label] < low) & long_enough & (words <= most) \
            & (rare <= most_rare)
        row(name, shipped | extra)
    if show_clusters:
        names = dict(enumerate(dict.fromkeys(t for v in space.vectors for t in v)))  # term_matrix's columns
        for c in np.argsort(affinity):
            members = label == c
            top = np.asarray(matrix[members].mean(axis=0)).ravel().argsort()[::-1][:7]
            print(f"    cluster {c:>2}: {int(members.sum()):>4} records, {int(ours[members].sum()):>4} "
                  f"own, {int((~ours[members]).sum()):>4} intruders, affinity {affinity[c]:.2f}: "
                  + " ".join(names[j] for j in top))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", help="comma-separated keys of topics.json (default: all)")
    parser.add_argument("--clusters", action="store_true", help="list every cluster")
    args = parser.parse_args()
    topics = json.loads((SHARED / "topics.json").read_text("utf-8"))
    targets = args.targets.split(",") if args.targets else [t for t in topics if t[0] != "_"]
    for target in targets:
        analyse(target, topics, args.clusters)
    return 0


if __name__ == "__main__":
    sys.exit(main())
