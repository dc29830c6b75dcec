"""Blocking: candidate pairs from several keys, so true pairs are never out of reach while
the number of comparisons stays near linear."""

from __future__ import annotations

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


def candidate_pairs(all_keys: list[Keys]) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share at least one block."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for k in all_keys:
        for key in block_keys(k):
            blocks[key].append(k.index)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        n = len(members)
        if n < 2:
            continue
        if n <= MAX_BLOCK:
            for x in range(n):
                a = members[x]
                for y in range(x + 1, n):
                    b = members[y]
                    pairs.add((a, b) if a < b else (b, a))
        else:
            ordered = sorted(members, key=lambda i: all_keys[i].title)
            for x in range(n):
                for y in range(x + 1, min(n, x + WINDOW)):
                    a, b = ordered[x], ordered[y]
                    pairs.add((a, b) if a < b else (b, a))
    return pairs
