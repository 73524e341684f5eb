"""Request and response bodies of the conversation-insights routes (``routes/_clio.py``).

Every tree these shapes carry is a private view (``gristmill.clio.private_view``): clusters
with too few conversations are folded into "Other", names withheld or scrubbed. The stored
column keeps the truth; only ``base_ids`` name the stored base clusters, so that a view's node
can filter the rows (``<column>.<key>_cluster in base_ids``) without revealing their names.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from gristmill.server._models import Body


class ComputeClioRequest(Body):
    """Conversation insights of the chats at ``path`` into ``<path>__clio``, as a job."""

    path: str = Field(examples=["messages"])
    facets: Literal["main", "generic"] = Field(
        default="main",
        description="'main': Request, Language, Task, Concerning (1-5); 'generic': a summary",
    )
    embedding: str = Field(default="minilm", description="embeds the facet values and names")
    use_llm: bool = Field(
        default=False,
        description="facets and names by the LLM the server's operator configured (or the"
        " embedded one); false runs the LLM-free mode (extractors and keyphrases)",
    )
    overwrite: bool = Field(default=False, description="recompute stored insights")


class ClioFacetInfo(BaseModel):
    name: str = Field(examples=["Concerning"])
    key: str = Field(description="the facet's field in the stored struct", examples=["concerning"])
    numeric: list[int] | None = Field(description="[lowest, highest] of a numeric facet")
    clustered: bool = Field(description="has a hierarchy: GET .../clio/{column}/{facet}")


class HistogramBar(BaseModel):
    value: int
    count: int


class ClioColumnInfo(BaseModel):
    """One stored run: its column, the chats it read, and its facets."""

    column: str = Field(examples=["messages__clio"])
    path: str = Field(description="the column of chats", examples=["messages"])
    mode: str = Field(description="'llm' or 'extractive' (LLM-free)")
    conversations: int = Field(description="rows in the run")
    facets: list[ClioFacetInfo]
    histograms: dict[str, list[HistogramBar]] = Field(
        description="per numeric facet, the rows with each value from lowest to highest"
    )


class ClioList(BaseModel):
    columns: list[ClioColumnInfo]


class ClioViewNode(BaseModel):
    id: str
    name: str
    summary: str
    level: int = Field(description="0 = a base cluster")
    parent: str | None
    children: list[str]
    size: int = Field(description="conversations under it")
    base_ids: list[str] = Field(
        description="the stored base clusters under it (for an 'Other', the folded ones): its"
        " rows are those with <column>.<key>_cluster in base_ids"
    )


class ClioPoints(BaseModel):
    """The facet's 2-D map, columnar: one entry per conversation with a value for the facet."""

    rowid: list[int]
    x: list[float]
    y: list[float]
    node: list[str | None] = Field(description="the shown node (null: in no shown cluster)")


class ClioFacetView(BaseModel):
    """One clustered facet as it may be shown: the folded hierarchy and the map."""

    column: str
    facet: str
    key: str
    nodes: list[ClioViewNode] = Field(description="parents before their children")
    roots: list[str] = Field(description="top-level nodes, largest first")
    points: ClioPoints
    folded: int = Field(description="stored clusters not shown (too few conversations)")
    withheld: int = Field(description="names withheld by the privacy auditor")
    scrubbed: bool = Field(description="personal data scrubbed from names and summaries")
    min_conversations: int = Field(description="the fewest conversations a shown cluster holds")
