"""Shared fixtures: real summary pairs (tests/fixtures' QMSum dialogues) and a WordNet cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import DIALOGUES, read_jsonl


@pytest.fixture(scope="session")
def summary_pairs() -> tuple[list[str], list[list[str]]]:
    """50 human summaries as the "predictions", each with two other human summaries of the same
    meeting (of its topic, of the whole meeting) as its references."""
    rows = read_jsonl(DIALOGUES)
    predictions = [row["summary"] for row in rows]
    references = [[row["topic_summary"], row["meeting_summary"]] for row in rows]
    return predictions, references


@pytest.fixture(scope="session")
def wordnet_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private cache folder in which the WordNet folder is assembled once per session."""
    return tmp_path_factory.mktemp("gristmill-cache")
