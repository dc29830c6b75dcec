"""Identifier sanity, per corpus: a DOI or PMID is proof of identity only where it names one work.

Embase and conference-abstract exports give every abstract of a journal supplement the
supplement's DOI, and a book's chapters share its ISBN. A DOI or PMID carried in this corpus by
records whose titles clearly differ is an issue- or book-level identifier here: it is demoted and
never merges on its own (`explain` says so). A full text's title may be misread, so a full-text
record never demotes an identifier. ISBNs are never used as evidence of identity.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from litcorpus.dedupe.blocking import BLOCK_KINDS
from litcorpus.dedupe.columns import FULL_TEXT, KeyColumns
from litcorpus.dedupe.keys import Keys
from litcorpus.dedupe.scoring import CLEARLY_DIFFERENT, title_similarity

MAX_CHECKED = 50
"""Records of one identifier compared pairwise; past that many the identifier is demoted outright
(no article has fifty copies)."""


def demoted_identifiers(columns: KeyColumns) -> dict[str, int]:
    """Identifier -> number of records carrying it, for every DOI or PMID that records with
    clearly different titles share in this corpus (records grouped by the identifier's block-key
    hash; full texts left out)."""
    demoted = {}
    export = (columns.flags & FULL_TEXT) == 0
    for kind in ("doi", "pmid"):
        hashes = columns.blocks[:, BLOCK_KINDS.index(kind)]
        carriers = np.flatnonzero((hashes != 0) & export)
        order = carriers[np.argsort(hashes[carriers], kind="stable")]
        h = hashes[order]
        starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if len(h) else np.zeros(0, int)
        ends = np.r_[starts[1:], len(h)]
        for start, end in zip(starts[ends - starts >= 2].tolist(), ends[ends - starts >= 2].tolist(),
                              strict=True):
            members = order[start:end].tolist()
            found = [columns.keys(i) for i in (members[:1] if len(members) > MAX_CHECKED else members)]
            if len(members) > MAX_CHECKED or any(_differ(a, b) for a, b in combinations(found, 2)):
                demoted[found[0].doi if kind == "doi" else found[0].pmid] = len(members)
    return demoted


def _differ(a: Keys, b: Keys) -> bool:
    similarity, _, contained = title_similarity(a, b)
    return similarity is not None and similarity < CLEARLY_DIFFERENT and not contained
