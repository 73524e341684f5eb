"""Gristmill: a local-first workbench for the data and the models behind LLMs.

``import gristmill as gm`` is cheap: each name below is imported on first use, so a script that
only lists datasets never pays for pandas, DuckDB or a model runtime.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gristmill._lazy import lazy_exports

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # project
    "set_project_dir": "gristmill.project",
    "get_project_dir": "gristmill.project",
    # datasets
    "DatasetConfig": "gristmill.data.datasets",
    "create_dataset": "gristmill.dataset",
    "get_dataset": "gristmill.dataset",
    "list_datasets": "gristmill.data.datasets",
    "delete_dataset": "gristmill.data.datasets",
    "Dataset": "gristmill.dataset",
    "Filter": "gristmill.data.filters",
    "SelectRowsResult": "gristmill.data.results",
    "MapResult": "gristmill.data.derived",
    # sources
    "Source": "gristmill.data.sources",
    "JSONSource": "gristmill.data.sources",
    "CSVSource": "gristmill.data.sources",
    "ParquetSource": "gristmill.data.sources",
    "PandasSource": "gristmill.data.sources",
    "HuggingFaceSource": "gristmill.data.sources",
    "register_source": "gristmill.data.sources",
    # embeddings and concepts
    "create_concept": "gristmill.concepts",
    "get_concept": "gristmill.concepts",
    "list_concepts": "gristmill.concepts",
    "delete_concept": "gristmill.concepts",
    "register_embedding": "gristmill.embed",
    "get_embedding": "gristmill.embed",
    # search
    "KeywordSearch": "gristmill.search",
    "SemanticSearch": "gristmill.search",
    "ConceptSearch": "gristmill.search",
    # signals
    "Signal": "gristmill.signals",
    "TextStatisticsSignal": "gristmill.signals",
    "LangDetectionSignal": "gristmill.signals",
    "PIISignal": "gristmill.signals",
    "ExactDuplicateSignal": "gristmill.signals",
    "NearDuplicateSignal": "gristmill.signals",
    "SemanticDuplicateSignal": "gristmill.signals",
    "register_signal": "gristmill.signals",
    # classifiers
    "LLMClassifier": "gristmill.classify",
    # evaluation
    "Experiment": "gristmill.evals",
    "ExperimentResult": "gristmill.evals",
    "ModelConfig": "gristmill.evals",
    "list_experiments": "gristmill.evals",
    "get_experiment": "gristmill.evals",
    "rerun_experiment": "gristmill.evals",
    "delete_experiment": "gristmill.evals",
    "generate_ground_truth": "gristmill.evals",
    "pairwise_preference": "gristmill.evals",
    "LLMJudgeMetric": "gristmill.evals",
    "register_metric": "gristmill.evals",
    "ClusterResult": "gristmill.cluster",
    "ClusterSettings": "gristmill.cluster",
    # conversation insights (a subpackage, imported on first use of gm.clio)
    "clio": "gristmill.clio",
    # schema
    "Schema": "gristmill.schema",
    "DatasetManifest": "gristmill.schema",
    # jobs
    "list_jobs": "gristmill.jobs",
    "get_job": "gristmill.jobs",
    "cancel_job": "gristmill.jobs",
    "start_server": "gristmill.server",
    # errors
    "GristmillError": "gristmill.errors",
    "UserError": "gristmill.errors",
}

__all__ = [
    "CSVSource",
    "ClusterResult",
    "ClusterSettings",
    "ConceptSearch",
    "Dataset",
    "DatasetConfig",
    "DatasetManifest",
    "ExactDuplicateSignal",
    "Experiment",
    "ExperimentResult",
    "Filter",
    "GristmillError",
    "HuggingFaceSource",
    "JSONSource",
    "KeywordSearch",
    "LLMClassifier",
    "LLMJudgeMetric",
    "LangDetectionSignal",
    "MapResult",
    "ModelConfig",
    "NearDuplicateSignal",
    "PIISignal",
    "PandasSource",
    "ParquetSource",
    "Schema",
    "SelectRowsResult",
    "SemanticDuplicateSignal",
    "SemanticSearch",
    "Signal",
    "Source",
    "TextStatisticsSignal",
    "UserError",
    "cancel_job",
    "clio",
    "create_concept",
    "create_dataset",
    "delete_concept",
    "delete_dataset",
    "delete_experiment",
    "generate_ground_truth",
    "get_concept",
    "get_dataset",
    "get_embedding",
    "get_experiment",
    "get_job",
    "get_project_dir",
    "list_concepts",
    "list_datasets",
    "list_experiments",
    "list_jobs",
    "pairwise_preference",
    "register_embedding",
    "register_metric",
    "register_signal",
    "register_source",
    "rerun_experiment",
    "set_project_dir",
    "start_server",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:
    from gristmill import clio
    from gristmill.classify import LLMClassifier
    from gristmill.cluster import ClusterResult, ClusterSettings
    from gristmill.concepts import create_concept, delete_concept, get_concept, list_concepts
    from gristmill.data.datasets import DatasetConfig, delete_dataset, list_datasets
    from gristmill.data.derived import MapResult
    from gristmill.data.filters import Filter
    from gristmill.data.results import SelectRowsResult
    from gristmill.data.sources import (
        CSVSource,
        HuggingFaceSource,
        JSONSource,
        PandasSource,
        ParquetSource,
        Source,
        register_source,
    )
    from gristmill.dataset import Dataset, create_dataset, get_dataset
    from gristmill.embed import get_embedding, register_embedding
    from gristmill.errors import GristmillError, UserError
    from gristmill.evals import (
        Experiment,
        ExperimentResult,
        LLMJudgeMetric,
        ModelConfig,
        delete_experiment,
        generate_ground_truth,
        get_experiment,
        list_experiments,
        pairwise_preference,
        register_metric,
        rerun_experiment,
    )
    from gristmill.jobs import cancel_job, get_job, list_jobs
    from gristmill.project import get_project_dir, set_project_dir
    from gristmill.schema import DatasetManifest, Schema
    from gristmill.search import ConceptSearch, KeywordSearch, SemanticSearch
    from gristmill.server import start_server
    from gristmill.signals import (
        ExactDuplicateSignal,
        LangDetectionSignal,
        NearDuplicateSignal,
        PIISignal,
        SemanticDuplicateSignal,
        Signal,
        TextStatisticsSignal,
        register_signal,
    )
