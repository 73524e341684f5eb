"""The joined feature space (embedding + second embedding) and files saved before it existed."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import gristmill as gm
from gristmill.classify import LLMClassifier
from gristmill.embed import FakeEmbedding
from gristmill.errors import InvalidInputError


def _train(second: str | None, train: list[tuple[str, str]]) -> LLMClassifier:
    clf = LLMClassifier(llm="fake", second_embedding=second, show_progress=False)
    for text, label in train:
        clf.add_data_to_class(label, text)
    clf.train()
    return clf


def test_default_joins_minilm_and_wordllama(sms_classifier: LLMClassifier, sms_split: Any) -> None:
    features = sms_classifier.features()
    assert features.second is not None and features.second.name == "wordllama"
    assert features.dim == features.main.dim + features.second.dim
    assert sms_classifier._trained().coef.shape[1] == features.dim
    # The joined vectors keep unit length (the weights are shares of the cosine).
    texts = ["WINNER!! claim your prize now", "ok see you at 6"]
    vectors = features.embed(texts)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert sms_classifier.predict_vectors(vectors) == sms_classifier.predict(texts)
    with pytest.raises(InvalidInputError, match="features"):
        sms_classifier.predict_vectors(features.main.embed(texts))  # main model alone: wrong
    _, held_out = sms_split
    alone = _train(None, sms_split[0])
    assert alone.features().second is None
    assert alone._trained().coef.shape[1] == features.main.dim
    accuracy = sms_classifier.evaluate([t for t, _ in held_out], [lab for _, lab in held_out])
    assert accuracy.accuracy > 0.8


def test_second_embedding_weight_must_be_a_share() -> None:
    for weight in (0.0, 1.0, -0.2):
        with pytest.raises(InvalidInputError, match="second_embedding_weight"):
            LLMClassifier(llm="fake", second_embedding_weight=weight)


def test_file_from_before_the_second_embedding_still_loads(sms_split: Any, tmp_path: Path) -> None:
    clf = _train(None, sms_split[0])
    path = clf.save(tmp_path / "new.gristmill")
    old = tmp_path / "old.gristmill"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(old, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "config.json":
                config = json.loads(data)
                del config["second_embedding_model_id"]
                del config["settings"]["second_embedding"]
                del config["settings"]["second_embedding_weight"]
                data = json.dumps(config).encode()
            dst.writestr(name, data)
    loaded = LLMClassifier.load(old)
    assert loaded.features().second is None
    texts = ["Free entry in 2 a wkly comp to win FA Cup final tkts", "I'll be home soon"]
    assert np.allclose(loaded.predict_proba(texts), clf.predict_proba(texts))


def test_loading_with_another_second_embedding_model_fails(sms_split: Any, tmp_path: Path) -> None:
    # Two seeds are two "models" with their own ids: the name stays, the model behind it changes.
    saved_with, changed_to = FakeEmbedding(dim=8, seed=1), FakeEmbedding(dim=8, seed=2)
    gm.register_embedding("clf-second-fake", saved_with, replace=True)
    clf = LLMClassifier(llm="fake", second_embedding="clf-second-fake", show_progress=False)
    for text, label in sms_split[0][:6] + sms_split[0][-6:]:
        clf.add_data_to_class(label, text)
    clf.train()
    path = clf.save(tmp_path / "m.gristmill")
    assert np.allclose(LLMClassifier.load(path).predict_proba(["hi"]), clf.predict_proba(["hi"]))
    gm.register_embedding("clf-second-fake", changed_to, replace=True)
    with pytest.raises(InvalidInputError, match=re.escape(saved_with.model_id)):
        LLMClassifier.load(path)
