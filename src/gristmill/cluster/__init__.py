"""Clustering: group a text column into titled clusters and categories (``Dataset.cluster``).

::

    ds.cluster('question')                               # -> column question__cluster
    ds.cluster('conversation', render=to_text)           # chat data rendered to text first
    ds.cluster('question', use_llm=True, llm='openai:http://localhost:8000/v1/qwen3-8b')

Embeddings (reused when computed) are reduced with UMAP and clustered with HDBSCAN; every row with
text gets a cluster, every cluster a category; titles come from an LLM when one is configured,
else from each cluster's distinctive phrases ("Recipes and cooking"), so clustering works
offline. The same data, seed and settings give the same clusters and titles, in a fresh process
and after a resume. The job resumes after a crash.
``cluster_hierarchy(ds, column)`` reads a cluster column back as categories of clusters.
"""

from gristmill.cluster._hierarchy import (
    CategorySummary,
    ClusterHierarchy,
    ClusterSummary,
    cluster_column,
    cluster_hierarchy,
)
from gristmill.cluster._input import RenderFn
from gristmill.cluster._keywords import keyword_titles, top_terms
from gristmill.cluster._phrases import phrase_candidates, phrase_titles
from gristmill.cluster._pipeline import CLUSTER_FIELDS, ClusterResult, TopicFn, cluster_dataset
from gristmill.cluster._settings import ClusterSettings
from gristmill.embed import numba_cache_dir  # where UMAP's compiled code is kept (benchmarks)

__all__ = [
    "CLUSTER_FIELDS",
    "CategorySummary",
    "ClusterHierarchy",
    "ClusterResult",
    "ClusterSettings",
    "ClusterSummary",
    "RenderFn",
    "TopicFn",
    "cluster_column",
    "cluster_dataset",
    "cluster_hierarchy",
    "keyword_titles",
    "numba_cache_dir",
    "phrase_candidates",
    "phrase_titles",
    "top_terms",
]
