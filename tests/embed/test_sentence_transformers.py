"""``sentence-transformers/<name-or-path>`` run against a stand-in ``sentence_transformers`` module
(the real one is an extra, with torch, not installed here): local-only loading, the model id,
encoding options, and the error for a model that is not on this machine."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gristmill.embed import get_embedding
from gristmill.errors import NotFoundError

opened: list[tuple[str, str, bool]] = []


class _SentenceTransformer:
    def __init__(self, source: str, device: str = "", local_files_only: bool = False) -> None:
        if "missing" in source:
            raise OSError(f"{source} is not a folder with modules.json")
        opened.append((source, device, local_files_only))

    def get_sentence_embedding_dimension(self) -> int:
        return 3

    def encode(self, texts: list[str], **options: Any) -> Any:
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)


@pytest.fixture(autouse=True)
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("sentence_transformers")
    module.SentenceTransformer = _SentenceTransformer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    opened.clear()


def test_a_local_folder_is_loaded_on_cpu_without_the_network(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    model = get_embedding(f"sentence-transformers/{folder}")
    assert model.model_id == f"sentence-transformers/{folder.resolve()}"
    assert opened == []  # loaded on first use, not when named
    vectors = model.embed(["ab", "abcd"])
    assert opened == [(str(folder.resolve()), "cpu", True)]
    assert vectors.shape == (2, 3) and model.dim == 3
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)
    assert vectors[1, 0] > vectors[0, 0]  # the stand-in's first feature is the length


def test_a_model_not_on_this_machine_says_how_to_provide_one() -> None:
    model = get_embedding("sentence-transformers/missing-model")
    with pytest.raises(NotFoundError, match="nothing is downloaded"):
        model.embed(["text"])
