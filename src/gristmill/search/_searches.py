"""The searches ``select_rows`` accepts, in Lilac's shape.

Callers build them by hand, so a bad value is an InvalidInputError in our words
(``KeywordSearch.query must be a non-empty string, got ''``), not pydantic's report. Each search
is a ``RowRanker``: the data layer asks it for its ranking and joins that with the query.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import ConfigDict, Field

from gristmill.data.catalog import Catalog
from gristmill.data.dataset import BaseDataset
from gristmill.data.filters import Filter
from gristmill.data.query import Ranking
from gristmill.errors import InvalidInputError
from gristmill.search._rank import concept_ranking, keyword_ranking, semantic_ranking
from gristmill.validation import InputModel


class _Search(InputModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str | tuple[str, ...]


class KeywordSearch(_Search):
    """BM25-ranked full-text search, with the matching words highlighted."""

    type: Literal["keyword"] = "keyword"
    query: str = Field(min_length=1)

    def ranking(
        self,
        ds: BaseDataset,
        catalog: Catalog,
        filters: Sequence[Filter],
        include_deleted: bool,
        wanted: int | None,
    ) -> Ranking:
        # BM25 scores every matching row; the query's filters and paging then apply as usual.
        return keyword_ranking(ds, catalog, self, result_column(self))


class SemanticSearch(_Search):
    """Rows whose text is nearest in meaning to ``query`` (needs ``compute_embedding``)."""

    type: Literal["semantic"] = "semantic"
    query: str = Field(min_length=1)
    embedding: str = "minilm"

    def ranking(
        self,
        ds: BaseDataset,
        catalog: Catalog,
        filters: Sequence[Filter],
        include_deleted: bool,
        wanted: int | None,
    ) -> Ranking:
        return semantic_ranking(
            ds, catalog, self, result_column(self), filters, include_deleted, wanted
        )


class ConceptSearch(_Search):
    """Rows ranked by a concept's score (e.g. ``gristmill/profanity``)."""

    type: Literal["concept"] = "concept"
    concept_namespace: str
    concept_name: str
    embedding: str = "minilm"

    def ranking(
        self,
        ds: BaseDataset,
        catalog: Catalog,
        filters: Sequence[Filter],
        include_deleted: bool,
        wanted: int | None,
    ) -> Ranking:
        return concept_ranking(ds, catalog, self, result_column(self), filters, include_deleted)


Search = KeywordSearch | SemanticSearch | ConceptSearch


def result_column(search: Search) -> str:
    """The name of the result column holding a search's ``{score, spans}``."""
    path = search.path if isinstance(search.path, str) else ".".join(search.path)
    if isinstance(search, KeywordSearch):
        return f"{path}.keyword_search"
    if isinstance(search, SemanticSearch):
        return f"{path}.semantic_search/{search.embedding}"
    return f"{path}.{search.concept_namespace}/{search.concept_name}/{search.embedding}"


def to_search(item: Any) -> Search:
    """A search object from itself or from its dict (``{"type": "keyword", ...}``)."""
    if isinstance(item, KeywordSearch | SemanticSearch | ConceptSearch):
        return item
    if isinstance(item, dict):
        kind = item.get("type")
        model: dict[str, type[Search]] = {
            "keyword": KeywordSearch,
            "semantic": SemanticSearch,
            "concept": ConceptSearch,
        }
        if kind in model:
            # A bad field is an InvalidInputError naming it (the searches are InputModels).
            return model[kind].model_validate(item)
    raise InvalidInputError(
        f"cannot read the search {item!r}",
        hint="use gm.KeywordSearch(path=, query=), gm.SemanticSearch(path=, query=, embedding=)"
        " or gm.ConceptSearch(path=, concept_namespace=, concept_name=, embedding=)",
    )
