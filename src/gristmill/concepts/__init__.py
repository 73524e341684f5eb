"""Concepts: named binary classifiers over embeddings, taught by labelled text examples.

::

    concept = create_concept('local', 'politeness')
    concept.add_examples(['Thank you so much!', 'Would you mind helping?'], label=True)
    concept.add_examples(['Do it now.', 'Whatever.'], label=False)
    concept.score(['Thanks a lot'])                       # array([0.9...])
    model = concept.model('minilm')                       # trained once per version, saved
    concept.saved_model('minilm')                         # the saved one, or None: never trains
    model.metrics                                         # cross-validated P/R/F1/ROC-AUC
    model.score_vectors(vectors)                          # for stored span vectors

    get_concept('gristmill', 'profanity')                 # built-ins: read-only; .fork('local')
    compute_concept(ds, 'gristmill', 'profanity', path='text')  # a column of scores per row

Concepts and examples live in the metadata DB; trained models are JSON files in the project
folder (``concepts/<namespace>/<name>/models/``), never pickles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gristmill._lazy import lazy_exports
from gristmill.concepts._builtin import HeldOutExample, load_held_out
from gristmill.concepts._catalog import (
    concept_info,
    create_concept,
    delete_concept,
    get_concept,
    list_concepts,
)
from gristmill.concepts._concept import DEFAULT_EMBEDDING, Concept
from gristmill.concepts._embedding_cache import clear_embedding_cache as clear_example_embeddings
from gristmill.concepts._model import DEFAULT_C, ConceptModel, train_model
from gristmill.concepts._schema import (
    BUILTIN_NAMESPACE,
    MAIN_DRAFT,
    ConceptExample,
    ConceptInfo,
    ConceptMetrics,
    ConceptModelRecord,
)

if TYPE_CHECKING:
    from gristmill.concepts._scores import compute_concept, concept_column, concept_scores

__all__ = [
    "BUILTIN_NAMESPACE",
    "DEFAULT_C",
    "DEFAULT_EMBEDDING",
    "MAIN_DRAFT",
    "Concept",
    "ConceptExample",
    "ConceptInfo",
    "ConceptMetrics",
    "ConceptModel",
    "ConceptModelRecord",
    "HeldOutExample",
    "clear_example_embeddings",
    "compute_concept",
    "concept_column",
    "concept_info",
    "concept_scores",
    "create_concept",
    "delete_concept",
    "get_concept",
    "list_concepts",
    "load_held_out",
    "train_model",
]

# Scoring a dataset's column needs the data engine; defining a concept does not.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        name: "gristmill.concepts._scores"
        for name in ("compute_concept", "concept_column", "concept_scores")
    },
    globals(),
)
