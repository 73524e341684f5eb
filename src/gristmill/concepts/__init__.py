"""Concepts: named binary classifiers over embeddings, taught by labelled text examples.

::

    concept = create_concept('local', 'politeness')
    concept.add_examples(['Thank you so much!', 'Would you mind helping?'], label=True)
    concept.add_examples(['Do it now.', 'Whatever.'], label=False)
    concept.score(['Thanks a lot'])                       # array([0.9...])
    model = concept.model('minilm')                       # trained once per version, saved
    model.metrics                                         # cross-validated P/R/F1/ROC-AUC
    model.score_vectors(vectors)                          # for stored span vectors

    get_concept('gristmill', 'profanity')                 # built-ins: read-only; .fork('local')

Concepts and examples live in the metadata DB; trained models are JSON files in the project
folder (``concepts/<namespace>/<name>/models/``), never pickles.
"""

from __future__ import annotations

from gristmill.concepts._builtin import HeldOutExample, load_held_out
from gristmill.concepts._catalog import (
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
    "create_concept",
    "delete_concept",
    "get_concept",
    "list_concepts",
    "load_held_out",
    "train_model",
]
