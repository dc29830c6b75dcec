"""Blocking: candidate pairs from several keys, so that true pairs stay within reach while the
number of comparisons stays near linear as the corpus grows.

Each record falls in a few blocks (`block_keys`: its DOI, PMID, title start and end, first author
and year, volume and first page, first author and first page). A block of at most `CAP` records
gives all its pairs. A larger block (a title start such as `editorial introduction`, an author
and year shared by hundreds of records) is not a block: there only records within `WINDOW` of
each other in title order are paired (a sorted neighbourhood), so no record brings more than
about `CAP + WINDOW` pairs per kind of block however large the corpus.

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
CAP = 100
"""Blocks of up to this many records give all their pairs (the labelled libraries' largest block
is 71 records: every pair of theirs is compared, as before)."""
WINDOW = 25
"""In a larger block, records are paired with the next `WINDOW - 1` records in title order."""
SORT_BYTES = 32
"""Title order inside a large block: the title key's first 32 bytes, then ingest order."""


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
    """Each record's place when records are sorted by title key (first `SORT_BYTES` bytes of its
    UTF-8, which sort as the characters do; ties in ingest order)."""
    title = columns.title
    rank = np.empty(len(columns), np.int64)
    if not len(columns):
        return rank
    starts, ends = title.offsets[:-1], title.offsets[1:]
    data = title.data if len(title.data) else np.zeros(1, np.uint8)
    prefix = np.zeros((len(columns), SORT_BYTES), np.uint8)
    for byte in range(SORT_BYTES):  # column by column: no (records x 32) index array
        inside = starts + byte < ends
        prefix[inside, byte] = data[starts[inside] + byte]
    keys = prefix.view(f"S{SORT_BYTES}").ravel()
    rank[np.argsort(keys, kind="stable")] = np.arange(len(keys))
    return rank


def block_pairs(hashes: np.ndarray, rank: np.ndarray, cap: int = CAP,
                window: int = WINDOW) -> Iterator[np.ndarray]:
    """Pair codes from one kind of block (a column of block-key hashes, 0 for none)."""
    n = len(hashes)
    members = np.flatnonzero(hashes)
    if len(members) < 2:
        return
    order = members[np.lexsort((rank[members], hashes[members]))]
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


def candidate_codes(columns: KeyColumns, cap: int = CAP, window: int = WINDOW) -> np.ndarray:
    """Unique, sorted pair codes `i * n + j` (i < j) of records that share a block."""
    rank = title_rank(columns)
    found = [np.zeros(0, np.int64)]
    for kind in range(columns.blocks.shape[1]):
        chunks = list(block_pairs(columns.blocks[:, kind], rank, cap, window))
        if chunks:
            found.append(_unique(np.concatenate(chunks)))
            del chunks
    return _unique(np.concatenate(found))


def _unique(codes: np.ndarray) -> np.ndarray:
    """`np.unique` of an array nobody else holds, sorted in place (one copy less)."""
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def decode(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes back to index arrays (i, j)."""
    return np.divmod(codes, max(n, 1))
