"""Blocking: candidate pairs from several keys, so that true pairs stay within reach while the
number of comparisons stays linear as the corpus grows.

Each record falls in a few blocks (`block_keys`: its DOI, PMID, title start and end, first author
and year, volume and first page, first author and first page). Inside a block, records are sorted
by title (then first author and year) and each is paired with the next `WINDOW - 1` (a sorted
neighbourhood): copies of one work have near-identical titles and sit side by side, and a
frequent key (a title start shared by thousands of records at a million, `editorial introduction`,
an author and year) brings no record more than `WINDOW - 1` pairs per kind of block, however large
the corpus. (Issue 19: all pairs of blocks of up to 100 records gave 5.7 pairs a record at 100k and
29.5 at 1M.)

The match weights are learnt from a population that does not depend on the window
(`learning_codes`): every pair of a block of up to `LEARN_CAP` records and pairs within
`LEARN_WINDOW` in a larger one, sampled to a fixed size in a large corpus.

It all runs in numpy over the block-key hashes of `columns.KeyColumns`: a pair is one 64-bit code
`i * n + j` (i < j), never a Python tuple.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from litcorpus.dedupe.keys import Keys

if TYPE_CHECKING:
    from litcorpus.dedupe.columns import KeyColumns

BLOCK_KINDS = ("doi", "pmid", "title-start", "title-end", "author-year", "volume-page",
               "author-page")
WINDOW = 5
"""Inside a block, records are paired with the next `WINDOW - 1` records in title order."""
CAP = WINDOW
"""Blocks of up to this many records give all their pairs."""
SORT_BYTES = 64
"""Title order inside a block: the title key's first 64 bytes, then first author and year."""
RANK_ROWS = 16_384
"""Records whose title bytes `title_rank` gathers at once (an index array of 8 MB)."""
LEARN_CAP, LEARN_WINDOW = 100, 25
"""The pairs the match weights are learnt from (`learning_codes`): every pair of a block of up to
100 records, and pairs within 25 places in title order in a larger block (the labelled libraries'
largest block is 71 records: there, every pair that shares a block)."""
LEARN_PAIRS = 200_000
"""At most about this many of them (before pairs found in two kinds of block count once): a
deterministic sample beyond, so that learning costs the same at any size of corpus."""


def block_keys(k: Keys) -> Iterator[tuple]:
    """The blocks one record falls in, as (kind, value...) tuples; kinds are `BLOCK_KINDS`."""
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


def title_rank(columns: KeyColumns) -> np.ndarray:
    """Each record's place when records are sorted by title key (its first `SORT_BYTES` bytes of
    UTF-8, which sort as the characters do), then by first author and year (so that records with
    one title, `Editorial introduction`, sit beside those of the same author and year), then in
    ingest order."""
    title = columns.title
    rank = np.empty(len(columns), np.int64)
    if not len(columns):
        return rank
    starts, ends = title.offsets[:-1], title.offsets[1:]
    data = title.data if len(title.data) else np.zeros(1, np.uint8)
    prefix = np.zeros((len(columns), SORT_BYTES), np.uint8)
    places = np.arange(SORT_BYTES)
    for first in range(0, len(columns), RANK_ROWS):  # rows at a time: no (records x SORT_BYTES) index array
        at = starts[first:first + RANK_ROWS, None] + places
        inside = at < ends[first:first + RANK_ROWS, None]
        prefix[first:first + RANK_ROWS] = np.where(inside, data[np.where(inside, at, 0)], 0)
    keys = prefix.view(f"S{SORT_BYTES}").ravel()
    author_year = columns.blocks[:, BLOCK_KINDS.index("author-year")]
    rank[np.lexsort((np.arange(len(keys)), author_year, keys))] = np.arange(len(keys))
    return rank


def block_order(hashes: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """The records that have a key of one kind (a column of block-key hashes, 0 for none), block
    by block, in title order (`rank`) inside each."""
    members = np.flatnonzero(hashes)
    return members[np.lexsort((rank[members], hashes[members]))]


def block_orders(columns: KeyColumns, rank: np.ndarray) -> list[np.ndarray]:
    """`block_order` of every kind of block: sorted once for both `candidate_codes` and
    `learning_codes` (seven sorts of up to a million records each)."""
    return [block_order(columns.blocks[:, kind], rank) for kind in range(columns.blocks.shape[1])]


def block_pairs(hashes: np.ndarray, rank: np.ndarray, cap: int = CAP,
                window: int = WINDOW, order: np.ndarray | None = None) -> Iterator[np.ndarray]:
    """Pair codes from one kind of block (a column of block-key hashes, 0 for none); `order`:
    its `block_order`, when it is already at hand."""
    n = len(hashes)
    order = block_order(hashes, rank) if order is None else order
    if len(order) < 2:
        return
    h = hashes[order]
    block = np.cumsum(np.r_[True, h[1:] != h[:-1]]) - 1
    sizes = np.bincount(block)
    size = sizes[block]
    small = sizes[sizes <= cap]
    reach = max(int(small.max()) - 1 if len(small) else 0, min(window, int(sizes.max())) - 1)
    at = np.flatnonzero(size > 1)  # places in `order` whose block may still pair them at distance d
    for d in range(1, reach + 1):
        at = at[(size[at] > d) & ((size[at] <= cap) | (d < window)) & (at + d < len(order))]
        first = at[block[at] == block[at + d]]
        if len(first):
            a, b = order[first], order[first + d]
            yield np.minimum(a, b) * n + np.maximum(a, b)


def candidate_codes(columns: KeyColumns, cap: int = CAP, window: int = WINDOW,
                    rank: np.ndarray | None = None,
                    orders: list[np.ndarray] | None = None) -> np.ndarray:
    """Unique, sorted pair codes `i * n + j` (i < j) of records that share a block (`rank`: the
    `title_rank`, `orders`: the `block_orders`, when they are already at hand)."""
    rank = title_rank(columns) if rank is None else rank
    found = [np.zeros(0, np.int64)]
    for kind in range(columns.blocks.shape[1]):
        chunks = list(block_pairs(columns.blocks[:, kind], rank, cap, window,
                                  orders[kind] if orders else None))
        if chunks:
            found.append(_unique(np.concatenate(chunks)))
            del chunks
    return _unique(np.concatenate(found))


def learning_codes(columns: KeyColumns, rank: np.ndarray | None = None,
                   size: int = LEARN_PAIRS, orders: list[np.ndarray] | None = None) -> np.ndarray:
    """Unique, sorted codes of the pairs the match weights are learnt from: those that share a
    block under `LEARN_CAP` and `LEARN_WINDOW`, all of them when they are at most `size`, else a
    sample of about `size` (a pair is in it when a hash of its code falls below the rate, so the
    sample is the same in every run). Comparing looks at fewer pairs (`WINDOW`), but the weights
    do not depend on how few: they are what they would be if all these pairs were compared."""
    rank = title_rank(columns) if rank is None else rank
    total = sum(_pairs_in(columns.blocks[:, kind]) for kind in range(columns.blocks.shape[1]))
    rate = min(1.0, size / max(total, 1))
    found = [np.zeros(0, np.int64)]
    for kind in range(columns.blocks.shape[1]):
        for codes in block_pairs(columns.blocks[:, kind], rank, LEARN_CAP, LEARN_WINDOW,
                                 orders[kind] if orders else None):
            found.append(codes if rate == 1 else codes[_sampled(codes, rate)])
    return _unique(np.concatenate(found))


def _pairs_in(hashes: np.ndarray) -> int:
    """How many pairs `block_pairs` gives for one kind of block under the learning cap and window."""
    sizes = np.unique(hashes[hashes != 0], return_counts=True)[1].astype(np.int64)
    small, large = sizes[sizes <= LEARN_CAP], sizes[sizes > LEARN_CAP]
    reach = min(LEARN_WINDOW - 1, int(large.max()) - 1) if len(large) else 0
    return int((small * (small - 1) // 2).sum() + (large * reach - reach * (reach + 1) // 2).sum())


def _sampled(codes: np.ndarray, rate: float) -> np.ndarray:
    """Whether each pair falls in a sample of `rate` (a multiplicative hash of its code)."""
    mixed = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return (mixed >> np.uint64(11)) < np.uint64(int(rate * 2**53))


def _unique(codes: np.ndarray) -> np.ndarray:
    """`np.unique` of an array nobody else holds, sorted in place (one copy less)."""
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def decode(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes back to index arrays (i, j)."""
    return np.divmod(codes, max(n, 1))
