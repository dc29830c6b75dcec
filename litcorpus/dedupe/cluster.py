"""Clustering without chaining: two clusters join only when no pair across them contradicts.

Union-find over record indices. Before two clusters join, every record of one is checked against
every record of the other (`conflict`): a veto (different titles, different article-level DOIs, an
erratum beside its article ...) or a field that is reliable in this corpus and disagrees keeps
them apart, so a cluster is never held together through one shared identifier or one middle
record. A person's `distinct` decision always keeps two records apart; a person's `duplicate`
decision joins whatever the records say.
"""

from __future__ import annotations

from collections.abc import Callable


class Clusters:
    """Union-find whose joins are checked pair by pair across the two clusters."""

    def __init__(self, size: int, conflict: Callable[[int, int], str | None]):
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {}
        self.conflict = conflict
        self.apart: set[tuple[int, int]] = set()

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def keep_apart(self, a: int, b: int) -> None:
        """A person said these two are different works: never join their clusters."""
        self.apart.add((min(a, b), max(a, b)))

    def _of(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def blocker(self, a: int, b: int, *, by_person: bool = False) -> tuple[int, int, str] | None:
        """The first pair across the clusters of a and b that may not be together, with why."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        for x in self._of(ra):
            for y in self._of(rb):
                pair = (min(x, y), max(x, y))
                if pair in self.apart:
                    return pair + ("a person decided they are different works",)
                if not by_person:
                    why = self.conflict(*pair)
                    if why:
                        return pair + (why,)
        return None

    def join(self, a: int, b: int, *, by_person: bool = False) -> tuple[int, int, str] | None:
        """Join the clusters of a and b; returns None when joined (or already together), else the
        pair that stopped it and why."""
        stop = self.blocker(a, b, by_person=by_person)
        if stop:
            return stop
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra > rb:
                ra, rb = rb, ra
            self.parent[rb] = ra
            self.members[ra] = self._of(ra) + self.members.pop(rb, [rb])
        return None

    def groups(self) -> list[list[int]]:
        """Clusters as sorted lists of indices, in order of their first member."""
        found: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            found.setdefault(self.find(i), []).append(i)
        return sorted(found.values(), key=lambda g: g[0])
