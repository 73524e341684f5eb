"""The searches ``select_rows`` accepts, in Lilac's shape.

Callers build them by hand, so a bad value is an InvalidInputError in our words
(``KeywordSearch.query must be a non-empty string, got ''``), not pydantic's report.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from gristmill.validation import InputModel


class _Search(InputModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str | tuple[str, ...]


class KeywordSearch(_Search):
    """BM25-ranked full-text search, with the matching words highlighted."""

    type: Literal["keyword"] = "keyword"
    query: str = Field(min_length=1)


class SemanticSearch(_Search):
    """Rows whose text is nearest in meaning to ``query`` (needs ``compute_embedding``)."""

    type: Literal["semantic"] = "semantic"
    query: str = Field(min_length=1)
    embedding: str = "minilm"


class ConceptSearch(_Search):
    """Rows ranked by a concept's score (e.g. ``gristmill/profanity``)."""

    type: Literal["concept"] = "concept"
    concept_namespace: str
    concept_name: str
    embedding: str = "minilm"


Search = KeywordSearch | SemanticSearch | ConceptSearch


def result_column(search: Search) -> str:
    """The name of the result column holding a search's ``{score, spans}``."""
    path = search.path if isinstance(search.path, str) else ".".join(search.path)
    if isinstance(search, KeywordSearch):
        return f"{path}.keyword_search"
    if isinstance(search, SemanticSearch):
        return f"{path}.semantic_search/{search.embedding}"
    return f"{path}.{search.concept_namespace}/{search.concept_name}/{search.embedding}"
