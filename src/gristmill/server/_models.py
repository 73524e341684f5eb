"""Request and response bodies of the REST API (the contract the web UI's types come from).

Shapes the core already defines are reused as they are: ``DatasetManifest``, ``ColumnStats``,
``GroupsResult`` (``gristmill.schema``), ``Filter`` (``gristmill.data.filters``), ``JobInfo``
(``gristmill.jobs``), ``DatasetInfo`` (``gristmill.data.datasets``), the searches
(``gristmill.search``) and the concept shapes (``gristmill.concepts``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gristmill.bounds import BINS, PAGE_ROWS, REST_GROUPS, ROW_OFFSET
from gristmill.concepts import ConceptExample, ConceptInfo, ConceptMetrics
from gristmill.data.datasets import DatasetInfo
from gristmill.data.filters import Filter
from gristmill.jobs import JobInfo
from gristmill.search import ConceptSearch, KeywordSearch, SemanticSearch
from gristmill.server._json_values import check_unicode

LoadFormat = Literal["json", "jsonl", "csv", "parquet"]
SearchItem = Annotated[KeywordSearch | SemanticSearch | ConceptSearch, Field(discriminator="type")]
_SEARCHES_DOC = (
    "rank rows by each search (after filters); each adds a {score, spans} column named as in"
    " search_columns. Semantic and concept searches need the embedding computed first."
)


class Body(BaseModel):
    # Unknown fields are refused, so a typo ('filter' for 'filters') fails loudly with a 422
    # instead of silently selecting every row.
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _valid_unicode(cls, data: Any) -> Any:
        # Text that no file, database or answer can hold is refused here (422), not deep in the
        # core when it is written (a 500).
        check_unicode(data)
        return data


class ResponseBody(BaseModel):
    # The server sends every field, defaults included, so the spec marks them all required in
    # responses and the UI's generated types need no optional ones (requests keep defaults
    # optional: the flag touches only the serialization schema).
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class Health(ResponseBody):
    status: Literal["ok"] = "ok"
    version: str
    read_only: bool


class ServiceInfo(ResponseBody):
    """What ``/`` answers when no web UI is installed."""

    name: Literal["gristmill"] = "gristmill"
    version: str
    api: str = "/api/v1"
    docs: str = "/docs"
    message: str


class DatasetList(BaseModel):
    datasets: list[DatasetInfo]


class LoadRequest(Body):
    """Load a file that is on the server's disk into a new dataset, as a background job."""

    namespace: str = Field(examples=["local"])
    name: str = Field(examples=["alpaca"])
    path: str = Field(
        description="a file, glob or Parquet folder inside one of the server's data folders"
        " (GET /data_dirs): relative to one ('data/train.jsonl') or absolute inside it",
        examples=["data/train.jsonl"],
    )
    format: LoadFormat | None = Field(
        default=None, description="the file format; by default told from the file extension"
    )
    overwrite: bool = Field(default=False, description="replace a dataset of the same name")
    skip_bad_lines: bool = Field(
        default=False, description="JSON Lines: drop malformed lines instead of failing"
    )


class LoadStarted(BaseModel):
    """A load accepted and running: follow it with ``GET /jobs/{job_id}`` or ``/jobs/events``."""

    job_id: str
    dataset: str = Field(description="'namespace/name' being created")


class SelectRowsRequest(Body):
    columns: list[str] | None = Field(
        default=None,
        description="column paths ('a.b', 'messages.*.content'); null or ['*'] for all."
        " '__rowid__' is always included.",
    )
    filters: list[Filter] = Field(default_factory=list, description="combined with AND")
    searches: list[SearchItem] = Field(default_factory=list, description=_SEARCHES_DOC)
    sort_by: list[str] = Field(
        default_factory=list, description="by default rows come in the first search's order"
    )
    sort_order: Literal["ASC", "DESC"] = "DESC"
    limit: Annotated[int, PAGE_ROWS] = 100
    offset: Annotated[int, ROW_OFFSET] = Field(
        default=0, description="rows to skip; past the last row, no rows come back"
    )
    include_deleted: bool = False


class SelectRowsResponse(ResponseBody):
    rows: list[dict[str, Any]] = Field(
        description="JSON-safe rows keyed by column path: timestamps as ISO 8601 text, bytes"
        " as base64, NaN and infinities as null"
    )
    total_num_rows: int = Field(description="rows matching the filters, ignoring paging")
    limit: int
    offset: int
    search_columns: list[str] = Field(
        default_factory=list,
        description="the result column of each search, in request order: every row holds"
        " {score, spans: [{start, end, score}]} there (character offsets into the searched text)",
    )


class CountRequest(Body):
    filters: list[Filter] = Field(default_factory=list)
    searches: list[SearchItem] = Field(
        default_factory=list, description="count only the rows the searches return"
    )
    include_deleted: bool = False


class CountResponse(BaseModel):
    count: int


class SelectGroupsRequest(Body):
    path: str
    filters: list[Filter] = Field(default_factory=list)
    limit: Annotated[int, REST_GROUPS] | None = 100
    bins: Annotated[int, BINS] | list[float] | None = Field(
        default=None, description="a number of bins, or their edges, for numeric values"
    )
    include_deleted: bool = False


class RowSelection(Body):
    """Rows chosen by ``row_ids``, ``filters``, ``searches`` or several (rows meeting all).

    At least one must be given: ``filters: []`` is how to choose every row on purpose. A search
    chooses the rows it ranks: a keyword search the rows that hold its terms, a semantic or
    concept search its nearest rows, as ``select_rows`` returns them.
    """

    row_ids: list[int] | None = Field(default=None, description="__rowid__ values")
    filters: list[Filter] | None = None
    searches: list[SearchItem] = Field(default_factory=list, description=_SEARCHES_DOC)

    @model_validator(mode="after")
    def _something_chosen(self) -> RowSelection:
        if self.row_ids is None and self.filters is None and not self.searches:
            raise ValueError(
                "choose rows with row_ids, filters or searches (filters: [] means all rows)"
            )
        return self


class AddLabelsRequest(RowSelection):
    name: str = Field(examples=["good"])
    value: str = "true"
    include_deleted: bool = False


class RemoveLabelsRequest(RowSelection):
    name: str = Field(examples=["good"])
    include_deleted: bool = False


class RowsChanged(BaseModel):
    num_rows: int = Field(description="how many rows the request changed")


class JobList(BaseModel):
    jobs: list[JobInfo]


# --- enrichment ----------------------------------------------------------------------------


class _Enrichment(Body):
    filters: list[Filter] = Field(default_factory=list, description="compute only these rows")
    overwrite: bool = Field(default=False, description="replace an existing, different result")


class ComputeEmbeddingRequest(_Enrichment):
    """Embed a text column span by span into a vector index (for semantic and concept search)."""

    embedding: str = Field(default="minilm", examples=["minilm"])
    path: str = Field(examples=["instruction"])


class ComputeKeywordIndexRequest(Body):
    """Build the BM25 index keyword searches of a text column read (they scan until it exists)."""

    path: str = Field(examples=["instruction"])
    overwrite: bool = Field(default=False, description="rebuild an index that is current")


class ComputeSignalRequest(_Enrichment):
    signal: str = Field(description="a name from GET /signals", examples=["pii"])
    params: dict[str, Any] = Field(
        default_factory=dict, description="the signal's parameters (its JSON schema in /signals)"
    )
    path: str = Field(examples=["instruction"])
    output_column: str | None = Field(default=None, description="by default '<path>__<signal>'")


class ComputeConceptRequest(_Enrichment):
    """Score every row with a concept (needs the embedding of ``path`` computed first)."""

    namespace: str = Field(examples=["gristmill"])
    name: str = Field(examples=["profanity"])
    embedding: str = Field(default="minilm", examples=["minilm"])
    path: str = Field(examples=["instruction"])


class EnrichmentStarted(BaseModel):
    """A computation accepted: follow it with ``GET /jobs/{job_id}`` or ``/jobs/events``."""

    job_id: str | None = Field(
        description="null when nothing needed computing (the same result is already stored)"
    )
    kind: str = Field(
        description="the job kind: 'embedding', 'signal', 'concept', 'keyword_index', 'cluster',"
        " 'projection' or 'clio'"
    )
    dataset: str = Field(description="'namespace/name' being enriched")


class ClusterRequest(Body):
    """Cluster a text column into titled clusters and categories (``<path>__cluster``)."""

    path: str = Field(examples=["instruction"])
    embedding: str | None = Field(
        default=None,
        description="by default one already computed for the path, else the default embedding",
    )
    min_cluster_size: int = Field(default=5, ge=2, description="the fewest rows a cluster has")
    use_llm: bool | None = Field(
        default=None,
        description="title with an LLM: true needs one, false never, null uses a configured one",
    )
    llm: str | None = Field(
        default=None, description="an LLM address for the titles", examples=["local"]
    )
    overwrite: bool = Field(default=False, description="recluster an existing column")


class SignalInfo(BaseModel):
    name: str
    display_name: str = Field(description="what people call it: 'Language detection'")
    scope: Literal["row", "dataset"] = Field(
        description="'row' signals resume chunk by chunk; 'dataset' ones see all rows at once"
    )
    version: int
    on_embeddings: bool = Field(description="computed from a stored embedding of the column")
    description: str | None
    parameters: dict[str, Any] = Field(description="JSON schema of the signal's parameters")


class SignalList(BaseModel):
    signals: list[SignalInfo]


class EmbeddingList(BaseModel):
    embeddings: list[str] = Field(
        description="registered names; families such as 'sentence-transformers' take a '/variant'"
    )
    default: str


# --- concepts ------------------------------------------------------------------------------


class ConceptList(BaseModel):
    concepts: list[ConceptInfo]


class CreateConceptRequest(Body):
    namespace: str = Field(examples=["local"])
    name: str = Field(examples=["politeness"])
    description: str | None = None


class ConceptModelSummary(BaseModel):
    """A concept model trained for one embedding: its cross-validated quality."""

    embedding: str
    embedding_model_id: str
    concept_version: int
    metrics: ConceptMetrics
    trained_at: datetime


class ConceptDetail(BaseModel):
    info: ConceptInfo
    examples: list[ConceptExample]
    model: ConceptModelSummary | None = Field(
        description="the model of the current version for the requested embedding; null until"
        " trained (POST .../train, or by scoring with the concept)"
    )


class NewConceptExample(Body):
    text: str = Field(min_length=1)
    label: bool = Field(description="true: the text is the concept")


class AddConceptExamplesRequest(Body):
    examples: list[NewConceptExample] = Field(min_length=1)


class ConceptExamplesAdded(BaseModel):
    examples: list[ConceptExample]
    version: int = Field(description="the concept's version after the edit")


class RemoveConceptExamplesRequest(Body):
    ids: list[str] = Field(min_length=1)


class ConceptExamplesRemoved(BaseModel):
    num_removed: int
    version: int


class TrainConceptRequest(Body):
    embedding: str = Field(default="minilm", examples=["minilm"])


class DataDirList(BaseModel):
    """The folders a client may load files from, named as the server's operator gave them."""

    data_dirs: list[str] = Field(
        description="empty: this server loads no files from its disk (upload them instead)",
        examples=[["data", "~/corpora"]],
    )
