"""Short real texts with a fast fake embedding stored, for the projection tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import gristmill as gm
from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding
from tests.fixtures import sms_rows, write_jsonl

EMBEDDING = "bow"
NUM_ROWS = 200


@pytest.fixture(autouse=True)
def bow_embedding() -> Iterator[str]:
    # Hashed word counts: instant and deterministic; texts sharing words land near each other.
    register_embedding(EMBEDDING, FakeEmbedding(), replace=True)
    yield EMBEDDING
    unregister_embedding(EMBEDDING)


def make_dataset(tmp_path: Path, name: str, texts: list[str], labels: list[str]) -> gm.Dataset:
    rows = [
        {"text": text, "label": label, "group": index % 3, "score": index / 7}
        for index, (text, label) in enumerate(zip(texts, labels, strict=True))
    ]
    source = gm.JSONSource(filepaths=[str(write_jsonl(tmp_path / f"{name}.jsonl", rows))])
    config = gm.DatasetConfig(namespace="local", name=name, source=source)
    return gm.create_dataset(config, show_progress=False)


@pytest.fixture
def sms(tmp_path: Path) -> gm.Dataset:
    """local/sms: 200 text messages (``text``, ``label`` ham/spam, ``group`` 0-2, ``score``),
    without an embedding."""
    pairs = sms_rows()[:NUM_ROWS]
    return make_dataset(tmp_path, "sms", [t for t, _ in pairs], [label for _, label in pairs])


@pytest.fixture
def embedded(sms: gm.Dataset) -> gm.Dataset:
    """local/sms with the ``bow`` embedding of ``text`` stored."""
    sms.compute_embedding(EMBEDDING, "text", show_progress=False)
    return sms
