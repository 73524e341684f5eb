"""Span splitting: offsets into the original text, limits kept, any script."""

from __future__ import annotations

import pytest

from gristmill.embed import split_spans
from gristmill.errors import InvalidInputError


def check_spans(text: str, spans: list[tuple[int, int]], max_chars: int) -> None:
    """Spans are ordered, disjoint, trimmed, within the limit, and cover every visible char."""
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert end - start <= max_chars
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert text[previous_end:start].strip() == ""  # nothing visible between spans
        previous_end = end
    assert text[previous_end:].strip() == ""


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", None])
def test_empty_or_none_text_has_no_spans(text: str | None) -> None:
    assert split_spans(text) == []


def test_a_short_text_is_one_trimmed_span() -> None:
    text = "  Hello there.\n\nA second short paragraph.  "
    assert split_spans(text) == [(2, len(text) - 2)]


def test_long_text_splits_at_paragraphs_first() -> None:
    first, second = "First paragraph. " * 5, "Second paragraph! " * 5
    text = f"{first.strip()}\n\n{second.strip()}"
    spans = split_spans(text, max_chars=100)
    assert [text[s:e] for s, e in spans] == [first.strip(), second.strip()]


def test_a_long_paragraph_splits_at_sentences_and_pieces_are_packed() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    spans = split_spans(text, max_chars=120)
    check_spans(text, spans, 120)
    assert all(text[s:e].endswith(".") for s, e in spans)
    assert len(spans) < 40 / 2  # several sentences per span, not one each


@pytest.mark.parametrize(
    ("text", "max_chars"),
    [
        ("我们今天去公园。天气很好！孩子们在玩耍。" * 20, 50),  # CJK, no spaces
        ("東京は日本の首都です" * 40, 64),  # no punctuation at all: fixed-width cuts
        ("مرحبا بالعالم. كيف حالك؟ أنا بخير، شكرا لك. " * 20, 60),  # Arabic
        ("यह एक वाक्य है। यह दूसरा वाक्य है। " * 20, 50),  # Devanagari danda
        ("Emoji 👩‍👩‍👧‍👦 family 🇫🇷🇩🇪 flags 👍🏽 done. " * 30, 45),
        ("line one\nline two\nline three\n" * 30, 40),
        ("x" * 1000, 64),
    ],
)
def test_any_script_splits_within_the_limit_with_exact_offsets(text: str, max_chars: int) -> None:
    spans = split_spans(text, max_chars=max_chars)
    assert len(spans) > 1
    check_spans(text, spans, max_chars)


def test_cuts_never_split_an_emoji_or_a_combining_sequence() -> None:
    family = "👩‍👩‍👧‍👦"  # 7 code points joined by zero-width joiners
    text = family * 20
    for start, end in split_spans(text, max_chars=10):
        assert text[start:end] == family  # 10 chars fit one family, never a broken half
    accented = "e\u0301" * 30  # e + combining acute accent
    for start, end in split_spans(accented, max_chars=7):
        assert accented[start] == "e" and accented[end - 1] == "\u0301"


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(InvalidInputError, match="max_chars"):
        split_spans("text", max_chars=0)
    with pytest.raises(InvalidInputError, match="string"):
        split_spans(42)  # type: ignore[arg-type]
