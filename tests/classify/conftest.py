"""Shared helpers for classifier tests: real SMS spam rows and a small trained classifier."""

from __future__ import annotations

import random

import pytest

from gristmill.classify import LLMClassifier
from tests.fixtures import sms_rows


@pytest.fixture
def sms_split() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """20 real training rows per class and 120 held-out rows (natural class mix)."""
    rows = sms_rows()
    random.Random(0).shuffle(rows)
    train = [r for r in rows if r[1] == "spam"][:20] + [r for r in rows if r[1] == "ham"][:20]
    used = {text for text, _ in train}
    # From the other end: the first rows after the training ones hold few spam messages, as the
    # 20 spam for training were taken from them.
    return train, [r for r in reversed(rows) if r[0] not in used][:120]


@pytest.fixture
def sms_classifier(sms_split: tuple[list[tuple[str, str]], list[tuple[str, str]]]) -> LLMClassifier:
    train, _ = sms_split
    clf = LLMClassifier(llm="fake", show_progress=False)
    for text, label in train:
        clf.add_data_to_class(label, text)
    clf.train()
    return clf
