"""Blocking that stays near-linear, over `KeyColumns`: a prototype for the streaming dedupe.

The blocks are those of `blocking.block_keys` (as 64-bit hashes). A block of at most `cap`
records gives all its pairs; a larger one (a title start, first author and year, or an
issue-level DOI shared by hundreds of records is not a block) gives only the pairs of records
within `window` of each other once the block is sorted by title (a sorted neighbourhood), so no
record brings more than about `cap + window` pairs per kind of block. Everything runs on numpy
arrays: pairs are 64-bit codes `i * n + j` (i < j), never Python tuples.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from litcorpus.dedupe.columns import KeyColumns

CAP = 50
WINDOW = 25
SORT_BYTES = 32   # titles are ordered by their first 32 bytes inside a large block


def title_rank(columns: KeyColumns) -> np.ndarray:
    """Each record's place when records are sorted by title (first SORT_BYTES bytes)."""
    title = columns.text["title"]
    starts, ends = title.offsets[:-1], title.offsets[1:]
    positions = starts[:, None] + np.arange(SORT_BYTES)[None, :]
    inside = positions < ends[:, None]
    data = title.data if len(title.data) else np.zeros(1, np.uint8)
    prefix = np.where(inside, data[np.minimum(positions, len(data) - 1)], 0).astype(np.uint8)
    keys = np.ascontiguousarray(prefix).view(f"S{SORT_BYTES}").ravel()
    rank = np.empty(len(keys), np.int64)
    rank[np.argsort(keys, kind="stable")] = np.arange(len(keys))
    return rank


def block_pairs(columns: KeyColumns, kind: int, rank: np.ndarray, cap: int = CAP,
                window: int = WINDOW) -> Iterator[np.ndarray]:
    """Pair codes from one kind of block (a column of `columns.blocks`)."""
    n = len(columns)
    hashes = columns.blocks[:, kind]
    members = np.flatnonzero(hashes)
    if len(members) < 2:
        return
    order = members[np.lexsort((rank[members], hashes[members]))]
    h = hashes[order]
    first = np.r_[True, h[1:] != h[:-1]]
    block = np.cumsum(first) - 1
    sizes = np.bincount(block)
    size = sizes[block]
    small = sizes[sizes <= cap]
    reach = max(int(small.max()) - 1 if len(small) else 0,
                min(window, int(sizes.max())) - 1)
    for d in range(1, reach + 1):
        keep = (block[:-d] == block[d:]) & ((size[:-d] <= cap) | (d < window))
        if not keep.any():
            continue
        a, b = order[:-d][keep], order[d:][keep]
        low, high = np.minimum(a, b), np.maximum(a, b)
        yield low * n + high


def candidate_codes(columns: KeyColumns, cap: int = CAP, window: int = WINDOW) -> np.ndarray:
    """Unique, sorted pair codes `i * n + j` from every kind of block."""
    rank = title_rank(columns)
    chunks = [np.unique(np.concatenate(list(block_pairs(columns, k, rank, cap, window)) or
                                       [np.zeros(0, np.int64)]))
              for k in range(columns.blocks.shape[1])]
    return np.unique(np.concatenate(chunks)) if chunks else np.zeros(0, np.int64)


def decode(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes back to index arrays (i, j)."""
    return codes // max(n, 1), codes % max(n, 1)


def title_scores(columns: KeyColumns, codes: np.ndarray, batch: int = 200_000) -> np.ndarray:
    """rapidfuzz's `ratio` of the two title keys of every pair (0..1, float32), in batches:
    `process.cpdist` compares the pairs in C, one batch of strs alive at a time."""
    from rapidfuzz import fuzz, process

    title, n = columns.text["title"], len(columns)
    out = np.empty(len(codes), np.float32)
    for start in range(0, len(codes), batch):
        i, j = decode(codes[start:start + batch], n)
        out[start:start + batch] = process.cpdist(title.take(i), title.take(j),
                                                  scorer=fuzz.ratio, dtype=np.float32) / 100
    return out
