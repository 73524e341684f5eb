"""Shared fixtures: DialogSum pairs (used in place from ../shared/data) and a WordNet cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DIALOGSUM_TEST = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dialogsum"
    / "dialogsum.test.jsonl"
)  # fmt: skip


def dialogsum_pairs(limit: int) -> tuple[list[str], list[list[str]]]:
    """summary1 as the "prediction", summary2 and summary3 as its references."""
    if not DIALOGSUM_TEST.is_file():
        pytest.skip(f"DialogSum is not at {DIALOGSUM_TEST}")
    predictions: list[str] = []
    references: list[list[str]] = []
    with DIALOGSUM_TEST.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            predictions.append(row["summary1"])
            references.append([row["summary2"], row["summary3"]])
            if len(predictions) == limit:
                break
    return predictions, references


@pytest.fixture(scope="session")
def dialogsum_100() -> tuple[list[str], list[list[str]]]:
    return dialogsum_pairs(100)


@pytest.fixture(scope="session")
def wordnet_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private cache folder in which the WordNet folder is assembled once per session."""
    return tmp_path_factory.mktemp("gristmill-cache")
