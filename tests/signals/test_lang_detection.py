from __future__ import annotations

import pyarrow as pa

from gristmill.signals import LangDetectionSignal
from gristmill.signals._lang_detection import _identifier

SAMPLES = {
    "en": "The quick brown fox jumps over the lazy dog near the river bank.",
    "fr": "Bonjour, comment allez-vous aujourd'hui ? Il fait très beau.",
    "de": "Hallo, wie geht es dir heute? Das Wetter ist sehr schön.",
    "es": "Hola, ¿cómo estás hoy? El tiempo es muy agradable.",
    "ru": "Привет, как у тебя дела сегодня? Погода очень хорошая.",
    "ja": "こんにちは、元気ですか。今日はいい天気ですね。",
    "ar": "مرحبا، كيف حالك اليوم؟ الطقس جميل جدا.",
}


def test_detects_languages_in_several_scripts() -> None:
    outputs = LangDetectionSignal().compute(list(SAMPLES.values()))
    for expected, row in zip(SAMPLES, outputs, strict=True):
        assert row["language"] == expected
        assert 0.0 < row["confidence"] <= 1.0


def test_short_empty_and_letterless_text_is_none() -> None:
    signal = LangDetectionSignal()
    outputs = signal.compute([None, "", "hi", "ok thanks", "1234567890 1234567890", "   "])
    assert outputs == [None] * 6
    pa.array(outputs, type=signal.output_type())
    assert LangDetectionSignal(min_chars=2).compute(["hi there"])[0] is not None


def test_batched_classifier_matches_py3langid(real_texts: list[str]) -> None:
    texts = [*real_texts[:500], *SAMPLES.values(), "ALL CAPS TEXT IS LOWERED FIRST"]
    outputs = LangDetectionSignal(min_chars=1).compute(texts)
    identifier = _identifier()
    for text, row in zip(texts, outputs, strict=True):
        if row is None:
            continue
        language, confidence = identifier.classify(text[:2000])
        assert row["language"] == language
        assert abs(row["confidence"] - confidence) < 1e-3
