"""Using what a classifier knows beyond its examples (issue 13, item 5): class descriptions as
anchors without generation, and self-training on the unlabelled rows it will run on."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from gristmill.classify import LLMClassifier
from gristmill.errors import InvalidInputError
from tests.classify.test_storage_and_use import _sms_dataset

DESCRIPTIONS = {
    "spam": "Unsolicited SMS adverts: prizes, cash offers, premium numbers, text WIN now.",
    "ham": "Personal SMS messages between friends and family: plans and everyday chat.",
}


def test_train_with_descriptions_adds_them_as_examples(sms_split: Any) -> None:
    train, _ = sms_split
    plain = LLMClassifier(llm="fake", show_progress=False, regularization_c=2.0)
    described = LLMClassifier(llm="fake", show_progress=False, regularization_c=2.0)
    for text, label in train:
        plain.add_data_to_class(label, text)
        described.add_data_to_class(label, text)
    plain.train()
    described.train(DESCRIPTIONS)
    assert described.prompts == DESCRIPTIONS
    assert not any(e.source == "generated" for e in described.get_examples())
    assert described._model is not None and plain._model is not None
    assert not np.allclose(described._model.coef, plain._model.coef)
    # The descriptions themselves now lean towards their classes.
    assert described.predict(list(DESCRIPTIONS.values())) == list(DESCRIPTIONS)


def test_self_train_learns_from_confident_unlabelled_rows(
    sms_classifier: LLMClassifier, sms_split: Any
) -> None:
    _, held_out = sms_split
    texts, labels = [t for t, _ in held_out], [label for _, label in held_out]
    assert sms_classifier._model is not None
    before = sms_classifier._model.coef.copy()
    accuracy_before = sms_classifier.evaluate(texts, labels).accuracy
    report = sms_classifier.self_train(texts)
    assert report.self_training is not None
    assert report.self_training.unlabelled == len(texts)
    assert all(count > 0 for count in report.self_training.taken.values())
    assert not np.allclose(sms_classifier._model.coef, before)
    # A sanity bound, not a benchmark: the pseudo-labels must not wreck an easy task.
    assert sms_classifier.evaluate(texts, labels).accuracy >= accuracy_before - 0.05
    with pytest.raises(InvalidInputError, match="unlabelled texts or vectors"):
        sms_classifier.self_train()


def test_compute_classifier_self_trains_a_copy_on_the_stored_vectors(
    sms_classifier: LLMClassifier, sms_split: Any
) -> None:
    _, held_out = sms_split
    ds = _sms_dataset(held_out)
    with pytest.raises(InvalidInputError, match="compute_embedding"):
        ds.compute_classifier(sms_classifier, "text", self_train=True, show_progress=False)
    ds.compute_embedding("minilm", "text", show_progress=False)
    ds.compute_embedding("wordllama", "text", show_progress=False)
    assert sms_classifier._model is not None
    coef = sms_classifier._model.coef.copy()
    result = ds.compute_classifier(sms_classifier, "text", self_train=True, show_progress=False)
    assert result.num_computed == 40
    # The caller's classifier is unchanged; the column's lineage says it was self-trained.
    assert np.array_equal(sms_classifier._model.coef, coef)
    assert sms_classifier.report is not None and sms_classifier.report.self_training is None
    assert '"self_train": true' in json.dumps(ds.manifest().model_dump(mode="json"))
