"""Classifiers trained from a prompt: LLM-generated examples -> embeddings -> logistic
regression -> calibrated per-class thresholds.

::

    clf = LLMClassifier(llm='local', embedding='minilm')
    clf.prompt_train({'spam': 'Unsolicited ads and scams.', 'ham': 'Personal messages.'})
    clf.add_data_to_class('spam', 'WIN a free cruise, reply YES')
    clf.train()
    clf.calibrate(held_out_texts, held_out_labels, target_precision=0.9)
    clf.predict(['see you at 6?'])          # -> ['ham'] (None where not sure enough)
    clf.save('spam.gristmill'); LLMClassifier.load('spam.gristmill')
    ds.compute_classifier(clf, path='text')   # a prediction column usable in filters
"""

from __future__ import annotations

from gristmill.classify._classifier import LLMClassifier
from gristmill.classify._dataset import compute_classifier, prediction_type
from gristmill.classify._examples import Example, ExampleSource
from gristmill.classify._generation import ExampleSummaries, ExpandedExample
from gristmill.classify._reports import (
    CalibrationReport,
    ClassGeneration,
    ClassThreshold,
    EvaluationReport,
    GenerationReport,
    SelfTrainingReport,
    TrainingReport,
)

__all__ = [
    "CalibrationReport",
    "ClassGeneration",
    "ClassThreshold",
    "EvaluationReport",
    "Example",
    "ExampleSource",
    "ExampleSummaries",
    "ExpandedExample",
    "GenerationReport",
    "LLMClassifier",
    "SelfTrainingReport",
    "TrainingReport",
    "compute_classifier",
    "prediction_type",
]
