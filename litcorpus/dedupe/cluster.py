"""Clustering matched pairs with union-find that never joins two different DOIs or PMIDs."""

from __future__ import annotations

from litcorpus.dedupe.keys import Keys


class Clusters:
    """Union-find over record indices; each root knows the DOIs and PMIDs its members carry."""

    def __init__(self, all_keys: list[Keys]):
        self.parent = list(range(len(all_keys)))
        self.dois = [{k.doi} if k.doi else set() for k in all_keys]
        self.pmids = [{k.pmid} if k.pmid else set() for k in all_keys]
        self.apart: set[tuple[int, int]] = set()

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def keep_apart(self, a: int, b: int) -> None:
        """A person said these two are different papers: never join their clusters."""
        self.apart.add((min(a, b), max(a, b)))

    def can_join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if len(self.dois[ra] | self.dois[rb]) > 1 or len(self.pmids[ra] | self.pmids[rb]) > 1:
            return False
        return not any(self.find(x) in (ra, rb) and self.find(y) in (ra, rb) and
                       self.find(x) != self.find(y) for x, y in self.apart)

    def join(self, a: int, b: int) -> bool:
        """Join the clusters of a and b unless that would put two DOIs or PMIDs together."""
        if not self.can_join(a, b):
            return False
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.dois[ra] |= self.dois[rb]
        self.pmids[ra] |= self.pmids[rb]
        return True

    def groups(self) -> list[list[int]]:
        """Clusters as lists of indices, in order of their first member."""
        found: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            found.setdefault(self.find(i), []).append(i)
        return sorted(found.values(), key=lambda g: g[0])
