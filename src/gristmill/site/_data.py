"""What a site shows, as one plain JSON-able object: the contract between the pipeline and the site.

The pipeline (or anything else) fills a :class:`SiteData`; :func:`gristmill.site.write_site`
turns it into a folder. Trees are the hierarchy's JSON (nodes by id with their parent and
children); points place each conversation on the 2-D map of a facet, by its base node.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gristmill.errors import InvalidInputError

FacetValue = str | int | float | None


class SiteFacet(BaseModel):
    """A facet as the site needs it: its name, and ``[lo, hi]`` when its answers are numbers."""

    model_config = ConfigDict(extra="forbid")

    name: str
    numeric: tuple[float, float] | None = None


class SiteNode(BaseModel):
    """One node of a facet's hierarchy (level 0 = base cluster)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str
    summary: str = ""
    level: int = 0
    parent: str | None = None
    children: list[str] = Field(default_factory=list)
    size: int = 0


class SiteTree(BaseModel):
    """A facet's hierarchy as ``ClioTree.to_json()`` writes it: nodes by id, and the roots."""

    model_config = ConfigDict(extra="ignore")

    nodes: dict[str, SiteNode]
    roots: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _roots_default_to_parentless_nodes(self) -> SiteTree:
        if not self.roots:
            self.roots = [node.id for node in self.nodes.values() if node.parent is None]
        return self


class SitePoints(BaseModel):
    """Each conversation's place on a facet's map, and the base node it belongs to."""

    model_config = ConfigDict(extra="forbid")

    # None: the conversation has no value for this facet, so no place on its map.
    x: list[float | None]
    y: list[float | None]
    node: list[str | None]

    @model_validator(mode="after")
    def _aligned(self) -> SitePoints:
        if not len(self.x) == len(self.y) == len(self.node):
            raise InvalidInputError(
                f"map points are not aligned: {len(self.x)} x, {len(self.y)} y,"
                f" {len(self.node)} node ids",
                hint="give one x, one y and one node id per conversation",
            )
        return self


class SiteData(BaseModel):
    """Everything a site shows. Lists indexed by conversation are aligned with ``conversations``.

    A conversation is anything JSON-able; as a list of ``{role, content}`` turns it is shown as
    a chat, otherwise give ``write_site`` a ``data_to_json`` that makes it one.
    """

    model_config = ConfigDict(extra="forbid")

    title: str = "Conversation insights"
    facets: list[SiteFacet]
    trees: dict[str, SiteTree] = Field(default_factory=dict)
    points: dict[str, SitePoints] = Field(default_factory=dict)
    conversations: list[Any]
    facet_values: dict[str, list[FacetValue]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> SiteData:
        names = {facet.name for facet in self.facets}
        n = len(self.conversations)
        for kind, keyed in (
            ("trees", self.trees),
            ("points", self.points),
            ("facet_values", self.facet_values),
        ):
            unknown = sorted(set(keyed) - names)
            if unknown:
                raise InvalidInputError(
                    f"{kind} names facets that are not listed: {unknown}",
                    hint=f"list every facet in 'facets' (listed: {sorted(names)})",
                )
        for name, points in self.points.items():
            if len(points.x) != n:
                raise InvalidInputError(
                    f"facet {name!r} has {len(points.x)} map points for {n} conversations",
                    hint="give one point per conversation",
                )
            tree = self.trees.get(name)
            if tree is not None:
                missing = {node for node in points.node if node is not None} - set(tree.nodes)
                if missing:
                    raise InvalidInputError(
                        f"facet {name!r}: map points name nodes its tree does not have:"
                        f" {sorted(missing)[:5]}",
                        hint="give each point the id of its base node in the facet's tree",
                    )
        for name, values in self.facet_values.items():
            if len(values) != n:
                raise InvalidInputError(
                    f"facet {name!r} has {len(values)} values for {n} conversations",
                    hint="give one value (or null) per conversation",
                )
        return self


def read_site_data(path: str | Path) -> SiteData:
    """A :class:`SiteData` from a JSON file, with a readable error when it is not one."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read {source}: {exc.strerror}", hint="give the path of a JSON file"
        ) from None
    try:
        return SiteData.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise InvalidInputError(
            f"{source} is not site data: at {where}: {first['msg']}"
            f" ({exc.error_count()} problem(s))",
            hint="see docs/clio-site.md for the shape (title, facets, trees, points,"
            " conversations, facet_values)",
        ) from None
