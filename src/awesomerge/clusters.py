"""Clusters of occurrences that name one resource: a union-find that can refuse a union.

Each cluster remembers the identifiers of its members, by kind, and the reasons it was merged.
A union is refused (vetoed) when the two clusters carry different identifiers of one kind, or
when a curator said they are distinct. A union on weak evidence (a title, a file name) is also
refused between links that one item gives together: a paper and its code, a talk and its slides
are different resources, whatever their titles. Unions are tried in a deterministic order, so
the result never depends on the order of the inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

_NONE: Mapping[str, str] = MappingProxyType({})


class Clusters:
    """Union-find over occurrence indices 0..n-1, with vetoes and merge evidence."""

    def __init__(
        self,
        size: int,
        identifiers: list[Mapping[str, str]],
        distinct: Iterable[tuple[int, int]] = (),
        apart: Iterable[tuple[int, int]] = (),
    ) -> None:
        self.parent = list(range(size))
        self.rank = [0] * size
        # Only clusters of two or more keep a list of members, and only clusters with an
        # identifier a table of them: most occurrences are alone, and have no identifier.
        self._members: dict[int, list[int]] = {}
        self._identifiers: dict[int, dict[str, str]] = {
            index: dict(found) for index, found in enumerate(identifiers) if found
        }
        self.evidence: dict[int, set[str]] = {}
        # Pairs of occurrences a curator declared distinct, and pairs given as links of one
        # item, by cluster root.
        self._distinct = _Pairs(distinct)
        self._apart = _Pairs(apart)

    def find(self, index: int) -> int:
        root = index
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[index] != root:  # path compression
            self.parent[index], index = root, self.parent[index]
        return root

    def conflict(self, first: int, second: int, *, weak: bool = False) -> str | None:
        """Why the clusters of two occurrences must not merge, or None when they may; `weak`
        evidence is also refused between links of one item."""
        a, b = self.find(first), self.find(second)
        if a == b:
            return None
        ids_a, ids_b = self.identifiers(a), self.identifiers(b)
        for kind in sorted(ids_a.keys() & ids_b.keys()):
            if ids_a[kind] != ids_b[kind]:
                return f"different {kind} ({ids_a[kind]} and {ids_b[kind]})"
        if self.declared_distinct(a, b):
            return "a curator said they are distinct"
        if weak and self.given_together(a, b):
            return "one item gives them as two links"
        return None

    def declared_distinct(self, first: int, second: int) -> bool:
        """Whether a curator said the clusters of two occurrences are different resources."""
        a, b = self.find(first), self.find(second)
        return self._distinct.between(a, b, self.members)

    def given_together(self, first: int, second: int) -> bool:
        """Whether one item gives a member of each cluster as one of its links."""
        a, b = self.find(first), self.find(second)
        return self._apart.between(a, b, self.members)

    def union(
        self, first: int, second: int, reason: str, *, force: bool = False, weak: bool = False
    ) -> bool:
        """Merge the clusters of two occurrences, unless vetoed. True when they are now one."""
        a, b = self.find(first), self.find(second)
        if a == b:
            return True
        if not force and self.conflict(a, b, weak=weak) is not None:
            return False
        if self.rank[a] < self.rank[b]:
            a, b = b, a
        self.parent[b] = a
        if self.rank[a] == self.rank[b]:
            self.rank[a] += 1
        self._members[a] = self.members(a) + self._members.pop(b, [b])
        moved = self._identifiers.pop(b, None)
        if moved:
            kept = self._identifiers.setdefault(a, {})
            for kind, value in moved.items():
                kept.setdefault(kind, value)
        self.evidence.setdefault(a, set()).update(self.evidence.pop(b, set()))
        self.evidence[a].add(reason)
        self._distinct.move(b, a)
        self._apart.move(b, a)
        return True

    def members(self, root: int) -> list[int]:
        """The members of the cluster whose root is `root`."""
        return self._members.get(root) or [root]

    def identifiers(self, root: int) -> Mapping[str, str]:
        """The identifiers of the cluster whose root is `root`, by kind."""
        return self._identifiers.get(root, _NONE)

    def groups(self) -> list[list[int]]:
        """Every cluster's members, sorted; clusters ordered by their first member."""
        roots = (index for index, parent in enumerate(self.parent) if parent == index)
        return sorted(sorted(self.members(root)) for root in roots)

    def reasons(self, index: int) -> list[str]:
        return sorted(self.evidence.get(self.find(index), set()))


class _Pairs:
    """Pairs of occurrences that must stay apart, kept by cluster root as clusters merge."""

    def __init__(self, pairs: Iterable[tuple[int, int]]) -> None:
        self._by_root: dict[int, set[int]] = {}
        for first, second in pairs:
            self._by_root.setdefault(first, set()).add(second)
            self._by_root.setdefault(second, set()).add(first)

    def between(self, a: int, b: int, members: Callable[[int], list[int]]) -> bool:
        """Whether a pair joins a member of root a's cluster and one of root b's."""
        return (a in self._by_root and not self._by_root[a].isdisjoint(members(b))) or (
            b in self._by_root and not self._by_root[b].isdisjoint(members(a))
        )

    def move(self, root: int, into: int) -> None:
        if root in self._by_root:
            self._by_root.setdefault(into, set()).update(self._by_root.pop(root))
