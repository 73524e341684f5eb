"""The cluster hierarchy of one facet: named nodes from base clusters (level 0) up to the roots.

A ``ClioTree`` is what ``result.hierarchy`` holds and what the static site draws. It is stored
as plain JSON (``to_json`` / ``from_json``), never pickled, so a checkpoint can be read back by
any version and inspected by hand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from gristmill.errors import InvalidInputError

FORMAT_VERSION = 1


@dataclass
class ClioNode:
    """One cluster. ``size`` counts the conversations under it; ``level`` 0 is a base cluster.
    ``privacy`` is the privacy auditor's score of its name and summary (1 identifies someone,
    5 is fully general; ``gm.clio.audit_tree``), None when not audited."""

    id: str
    name: str
    summary: str
    level: int
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    size: int = 0
    facet: str = ""
    privacy: int | None = None


@dataclass
class ClioTree:
    """Nodes by id; ``roots`` are the nodes without a parent, largest first."""

    nodes: dict[str, ClioNode]
    facet: str = ""

    @property
    def roots(self) -> list[ClioNode]:
        found = [node for node in self.nodes.values() if node.parent is None]
        return sorted(found, key=lambda node: (-node.size, node.id))

    @property
    def depth(self) -> int:
        """Number of levels (1 when the base clusters are the roots)."""
        return 1 + max((node.level for node in self.nodes.values()), default=-1)

    def node(self, node_id: str) -> ClioNode:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise InvalidInputError(
                f"no node {node_id!r} in the hierarchy of {self.facet or 'this facet'}",
                hint="ids come from tree.walk() or tree.roots",
            ) from None

    def walk(self, start: ClioNode | str | None = None) -> Iterator[ClioNode]:
        """Nodes depth first, parents before children, from ``start`` (default: every root)."""
        if start is None:
            stack = list(reversed(self.roots))
        else:
            stack = [self.node(start) if isinstance(start, str) else start]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed([self.nodes[child] for child in current.children]))

    def leaves_of(self, node: ClioNode | str) -> list[ClioNode]:
        """The base clusters (level 0) under ``node`` (itself when it is one)."""
        return [found for found in self.walk(node) if not found.children]

    def levels(self) -> list[list[ClioNode]]:
        """Nodes grouped by level, base clusters first."""
        grouped: list[list[ClioNode]] = [[] for _ in range(self.depth)]
        for node in self.nodes.values():
            grouped[node.level].append(node)
        return grouped

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "facet": self.facet,
            "nodes": [asdict(node) for node in self.nodes.values()],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClioTree:
        try:
            nodes = [ClioNode(**item) for item in data["nodes"]]
        except (KeyError, TypeError) as error:
            raise InvalidInputError(
                f"not a Clio hierarchy: {error}",
                hint="read a file written by ClioTree.to_json()",
            ) from None
        tree = cls({node.id: node for node in nodes}, facet=str(data.get("facet", "")))
        tree.check()
        return tree

    @classmethod
    def from_json(cls, text: str) -> ClioTree:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInputError(
                f"not a Clio hierarchy: invalid JSON ({error})",
                hint="read a file written by ClioTree.to_json()",
            ) from None
        if not isinstance(data, dict):
            raise InvalidInputError(
                "not a Clio hierarchy: expected a JSON object",
                hint="read a file written by ClioTree.to_json()",
            )
        return cls.from_dict(data)

    def check(self) -> None:
        """Raise unless every node has at most one parent, links agree both ways and no
        node is its own ancestor."""
        claimed: dict[str, str] = {}
        for node in self.nodes.values():
            for child in node.children:
                if child not in self.nodes:
                    raise InvalidInputError(
                        f"node {node.id!r} lists an unknown child {child!r}",
                        hint="the hierarchy file is damaged; rebuild it",
                    )
                if child in claimed:
                    raise InvalidInputError(
                        f"node {child!r} is a child of both {claimed[child]!r} and {node.id!r}",
                        hint="the hierarchy file is damaged; rebuild it",
                    )
                claimed[child] = node.id
        for node in self.nodes.values():
            if claimed.get(node.id) != node.parent:
                raise InvalidInputError(
                    f"node {node.id!r} names parent {node.parent!r} but is listed under "
                    f"{claimed.get(node.id)!r}",
                    hint="the hierarchy file is damaged; rebuild it",
                )
        seen = sum(1 for _ in self.walk())
        if seen != len(self.nodes):
            raise InvalidInputError(
                "the hierarchy has a cycle: some nodes are not reachable from a root",
                hint="the hierarchy file is damaged; rebuild it",
            )
