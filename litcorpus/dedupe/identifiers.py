"""Identifier sanity, per corpus: a DOI or PMID is proof of identity only where it names one work.

Embase and conference-abstract exports give every abstract of a journal supplement the
supplement's DOI, and a book's chapters share its ISBN. A DOI or PMID carried in this corpus by
records whose titles clearly differ is an issue- or book-level identifier here: it is demoted and
never merges on its own (`explain` says so). A full text's title may be misread, so a full-text
record never demotes an identifier. ISBNs are never used as evidence of identity.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from litcorpus.dedupe.keys import Keys
from litcorpus.dedupe.scoring import CLEARLY_DIFFERENT, title_similarity

MAX_CHECKED = 50
"""Records of one identifier compared pairwise; past that many the identifier is demoted outright
(no article has fifty copies)."""


def demoted_identifiers(all_keys: list[Keys]) -> dict[str, int]:
    """Identifier -> number of records carrying it, for every DOI or PMID that records with
    clearly different titles share in this corpus."""
    carriers: dict[str, list[Keys]] = defaultdict(list)
    for k in all_keys:
        if k.full_text:
            continue
        if k.doi:
            carriers[k.doi].append(k)
        if k.pmid:
            carriers["pmid:" + k.pmid].append(k)
    demoted = {}
    for identifier, found in carriers.items():
        if len(found) < 2:
            continue
        if len(found) > MAX_CHECKED or any(_differ(a, b) for a, b in combinations(found, 2)):
            demoted[identifier.removeprefix("pmid:")] = len(found)
    return demoted


def _differ(a: Keys, b: Keys) -> bool:
    similarity, _, contained = title_similarity(a, b)
    return similarity is not None and similarity < CLEARLY_DIFFERENT and not contained
