"""Conversation insights the OpenClio way: facets, base clusters, a named hierarchy.

::

    import gristmill as gm

    result = gm.clio.run(chats)             # LLM-free: extractors, keyphrase names
    result.hierarchy.walk()                 # the Request facet's named tree
    config = gm.clio.OpenClioConfig(llmBatchSize=200, maxConversationTokens=4000)
    facets = gm.clio.extract_facets(chats, gm.clio.mainFacets, config, llm='local')
    facets['Request'][0]          # "The user's overall request for the assistant is to ..."
    facets.mode                   # 'llm', or 'extractive' with llm=None (no model needed)

``Facet``, ``OpenClioConfig``, ``mainFacets``, ``genericSummaryFacets`` and
``shouldMakeFacetClusters`` keep OpenClio's names and defaults (snake_case aliases too).
"""

from __future__ import annotations

from gristmill.clio._base import base_clusters, cluster_centroids
from gristmill.clio._config import (
    Facet,
    OpenClioConfig,
    generic_summary_facets,
    genericSummaryFacets,
    main_facets,
    mainFacets,
    should_make_facet_clusters,
    shouldMakeFacetClusters,
)
from gristmill.clio._conversations import (
    Conversation,
    PreparedConversations,
    conversation_text,
    prepare_conversations,
    to_conversation,
    truncate_conversation,
)
from gristmill.clio._extractive import extractable_facets
from gristmill.clio._facets import FacetResult, FacetValue, extract_facets, response_model
from gristmill.clio._hierarchy import build_hierarchy
from gristmill.clio._naming import KeyphraseNamer, LLMNamer, Named, Namer, NamingTask
from gristmill.clio._pipeline import (
    clio_column,
    dataset_clio,
    facet_key,
    read_clio,
    stored_clio_columns,
)
from gristmill.clio._privacy import (
    OTHER_NAME,
    WITHHELD_NAME,
    AuditResult,
    PrivacyAnswer,
    PrivateView,
    audit_tree,
    fold_small_clusters,
    private_view,
    scrub_texts,
    scrub_tree,
    scrub_values,
)
from gristmill.clio._run import ClioResult, FacetClusters, run
from gristmill.clio._tree import ClioNode, ClioTree

# ``gm.clio.read(ds, 'messages')``: the stored result of ``ds.clio('messages')``.
read = read_clio

__all__ = [
    "ClioNode",
    "ClioResult",
    "ClioTree",
    "Conversation",
    "Facet",
    "FacetClusters",
    "FacetResult",
    "FacetValue",
    "KeyphraseNamer",
    "LLMNamer",
    "Named",
    "Namer",
    "NamingTask",
    "OpenClioConfig",
    "PreparedConversations",
    "base_clusters",
    "build_hierarchy",
    "clio_column",
    "cluster_centroids",
    "conversation_text",
    "dataset_clio",
    "extract_facets",
    "extractable_facets",
    "facet_key",
    "genericSummaryFacets",
    "generic_summary_facets",
    "mainFacets",
    "main_facets",
    "prepare_conversations",
    "read",
    "read_clio",
    "response_model",
    "run",
    "shouldMakeFacetClusters",
    "should_make_facet_clusters",
    "stored_clio_columns",
    "to_conversation",
    "truncate_conversation",
]

# -- privacy (issue 15, item 6): k-anonymity folding, PII scrubbing, the privacy auditor --
__all__ += [
    "OTHER_NAME",
    "WITHHELD_NAME",
    "AuditResult",
    "PrivacyAnswer",
    "PrivateView",
    "audit_tree",
    "fold_small_clusters",
    "private_view",
    "scrub_texts",
    "scrub_tree",
    "scrub_values",
]
