"""Real short texts (600 text messages) and a fast fake embedding for the clustering tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gristmill as gm
from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding
from tests.fixtures import sms_rows


@pytest.fixture(autouse=True)
def bow_embedding() -> Iterator[str]:
    # Hashed word counts: instant, and texts sharing words land near each other, which is all
    # these tests need from an embedding (the real model has its own slow test).
    register_embedding("bow", FakeEmbedding(), replace=True)
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
def sms(tmp_path: Path) -> gm.Dataset:
    """local/sms: 600 text messages, ``text`` and ``label`` (ham or spam)."""
    rows = [{"text": text, "label": label} for text, label in sms_rows()]
    return make_dataset(tmp_path, "sms", rows)
