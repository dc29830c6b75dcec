"""Blocking: candidate pairs from several keys, so true pairs are never out of reach while
the number of comparisons stays near linear."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterator

from litcorpus.dedupe.keys import Keys

MAX_BLOCK = 200   # larger blocks are compared by sorted neighbourhood instead of all pairs
WINDOW = 25


def block_keys(k: Keys) -> Iterator[tuple]:
    """The blocks one record falls in."""
    if k.doi:
        yield ("doi", k.doi)
    if k.pmid:
        yield ("pmid", k.pmid)
    compact = k.title.replace(" ", "")
    if len(compact) >= 12:
        yield ("title-start", compact[:24])
        yield ("title-end", compact[-24:])
    if k.authors and k.year:
        yield ("author-year", k.authors[0], k.year)
    if k.volume and k.first_page:
        yield ("volume-page", k.volume, k.first_page)
    if k.authors and k.first_page:
        yield ("author-page", k.authors[0], k.first_page)


def candidate_pairs(all_keys: list[Keys]) -> list[tuple[int, int]]:
    """Index pairs (i < j), sorted, that share at least one block.

    Pairs are gathered as 64-bit codes in numpy arrays (a Python set of tuples costs about 100
    bytes a pair: gigabytes at a million records) and made unique once."""
    import numpy as np

    blocks: dict[tuple, list[int]] = defaultdict(list)
    for k in all_keys:
        for key in block_keys(k):
            blocks[key].append(k.index)
    n_records = max(len(all_keys), 1)
    small = array("q")  # pairs of ordinary blocks, 8 bytes each
    chunks = []
    for members in blocks.values():
        n = len(members)
        if n < 2:
            continue
        if n <= MAX_BLOCK:
            for x in range(n):
                a = members[x]
                for y in range(x + 1, n):
                    b = members[y]
                    small.append(a * n_records + b if a < b else b * n_records + a)
        else:
            ordered = np.asarray(sorted(members, key=lambda i: all_keys[i].title), dtype=np.int64)
            a = np.concatenate([ordered[:-step] for step in range(1, min(WINDOW, n))])
            b = np.concatenate([ordered[step:] for step in range(1, min(WINDOW, n))])
            low, high = np.minimum(a, b), np.maximum(a, b)
            chunks.append(low[low != high] * n_records + high[low != high])
    chunks.append(np.frombuffer(small, dtype=np.int64) if small else np.zeros(0, np.int64))
    codes = np.unique(np.concatenate(chunks))
    return list(zip((codes // n_records).tolist(), (codes % n_records).tolist(), strict=True))
