"""Shared helpers for classifier tests: real SMS spam rows and a small trained classifier."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from gristmill.classify import LLMClassifier


def sms_rows(shared: Path) -> list[tuple[str, str]]:
    lines = (shared / "sms_spam" / "SMSSpamCollection.jsonl").read_text().splitlines()
    rows = [(r["SMS"], r["Label"]) for r in map(json.loads, lines)]
    random.Random(0).shuffle(rows)
    return rows


@pytest.fixture
def sms_split(shared_data: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """20 real training rows per class and 120 held-out rows (natural class mix)."""
    rows = sms_rows(shared_data)
    train = [r for r in rows if r[1] == "spam"][:20] + [r for r in rows if r[1] == "ham"][:20]
    used = {text for text, _ in train}
    return train, [r for r in rows if r[0] not in used][:120]


@pytest.fixture
def sms_classifier(sms_split: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> LLMClassifier:
    train, _ = sms_split
    clf = LLMClassifier(llm="fake", show_progress=False)
    for text, label in train:
        clf.add_data_to_class(label, text)
    clf.train()
    return clf
