"""Real small datasets and a fast bag-of-words embedding for the clustering tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import gristmill as gm
from gristmill.embed import register_embedding, unregister_embedding

EMOTION_ROWS = 600


def _bag_of_words(texts: list[str]) -> Any:
    # Hashed word counts: instant, and texts sharing words land near each other, which is all
    # these tests need from an embedding (the real model has its own slow test).
    from sklearn.feature_extraction.text import HashingVectorizer

    vectors = HashingVectorizer(n_features=256, alternate_sign=False, stop_words="english")
    matrix = vectors.transform(texts).toarray().astype(np.float32)
    matrix[:, 0] += 1e-3  # texts of only stop words still get a (shared) direction
    return matrix


@pytest.fixture(autouse=True)
def bow_embedding() -> Iterator[str]:
    register_embedding("bow", _bag_of_words, dim=256, model_id="test-hashed-bow", replace=True)
    yield "bow"
    unregister_embedding("bow")


def make_dataset(tmp_path: Path, name: str, rows: list[dict[str, Any]]) -> gm.Dataset:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    source = gm.JSONSource(filepaths=[str(path)])
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name=name, source=source), show_progress=False
    )


@pytest.fixture
def emotion(shared_data: Path, tmp_path: Path) -> gm.Dataset:
    lines = (shared_data / "emotion/test.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines[:EMOTION_ROWS]]
    return make_dataset(tmp_path, "emotion", rows)
