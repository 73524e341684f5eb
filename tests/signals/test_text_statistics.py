from __future__ import annotations

import re

import pyarrow as pa
import pytest

from gristmill.signals import TextStatisticsSignal

# Kana and CJK ideographs: scripts written without spaces, where each character is a word.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"


def _reference(text: str) -> tuple[int, int]:
    """Words and syllables by the documented heuristic, one text at a time with Python re."""
    unspaced = re.findall(f"[{_UNSPACED}]", text)
    words = re.findall(f"(?:(?![{_UNSPACED}])[\\w'’])+", text)
    syllables = len(unspaced)  # one each
    for word in words:
        groups = len(re.findall(r"[aeiouy]+", word.lower()))
        if groups > 1 and re.search(r"[b-df-hj-km-np-tv-xz]e$", word.lower()):
            groups -= 1
        syllables += max(groups, 1)
    return len(words) + len(unspaced), syllables


def test_counts_on_a_crafted_text() -> None:
    [row] = TextStatisticsSignal().compute(["The cat sat on the mat. It was happy! Was it"])
    assert row["num_characters"] == 44
    assert row["num_words"] == 11
    assert row["num_sentences"] == 3
    assert row["avg_word_length"] == pytest.approx(32 / 11, abs=1e-3)
    assert row["frac_non_ascii"] == 0.0
    # 11 words, 3 sentences, 12 syllables ("happy" has 2).
    assert row["flesch_reading_ease"] == pytest.approx(
        206.835 - 1.015 * 11 / 3 - 84.6 * 12 / 11, abs=1e-3
    )
    assert row["flesch_kincaid_grade"] == pytest.approx(
        0.39 * 11 / 3 + 11.8 * 12 / 11 - 15.59, abs=1e-3
    )


def test_silent_e_and_minimum_one_syllable() -> None:
    make, table, rhythm = TextStatisticsSignal().compute(["make", "table", "rhythm"])
    # make: 1, table: 2, rhythm: 1 ('y' is a vowel group) -> ease differs accordingly.
    assert make["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 - 84.6, abs=1e-3)
    assert table["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 - 84.6 * 2, abs=1e-3)
    assert rhythm["flesch_reading_ease"] == make["flesch_reading_ease"]


def test_matches_the_per_text_reference_on_real_data(real_texts: list[str]) -> None:
    texts = real_texts[:400]
    rows = TextStatisticsSignal().compute(texts)
    for text, row in zip(texts, rows, strict=True):
        if not text.strip():
            assert row is None
            continue
        words, syllables = _reference(text)
        assert row["num_words"] == words, text
        assert row["num_characters"] == len(text)
        if row["flesch_reading_ease"] is not None:
            expected = 206.835 - 1.015 * words / row["num_sentences"] - 84.6 * syllables / words
            assert row["flesch_reading_ease"] == pytest.approx(expected, abs=1e-3), text


def test_other_scripts() -> None:
    chinese, russian, emoji = TextStatisticsSignal().compute(
        ["这是一个中文句子。", "Привет, как дела? Всё хорошо.", "ok 👍🏽 fine"]
    )
    assert chinese["num_words"] == 8  # one per ideograph
    assert chinese["num_sentences"] == 1
    assert chinese["flesch_reading_ease"] is None  # an English formula
    assert chinese["frac_non_ascii"] == 1.0
    assert russian["num_words"] == 5
    assert russian["num_sentences"] == 2
    assert russian["flesch_reading_ease"] is None
    assert emoji["num_words"] == 2
    assert emoji["num_characters"] == 10
    assert emoji["frac_non_ascii"] == pytest.approx(0.2)


def test_none_empty_and_punctuation_only() -> None:
    signal = TextStatisticsSignal()
    outputs = signal.compute([None, "", "...", "  42  "])
    assert outputs[:2] == [None, None]
    assert outputs[2]["num_words"] == 0
    assert outputs[2]["avg_word_length"] is None
    assert outputs[3]["num_words"] == 1
    assert outputs[3]["flesch_reading_ease"] is None  # no letters
    pa.array(outputs, type=signal.output_type())
