from __future__ import annotations

import pytest

from gristmill.llm import approximate_token_count, approximate_truncate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("hello", 1),
        ("hello world", 2),
        ("Hello, world!", 4),
        ("internationalization", 3),
        ("12345678", 3),
        ("a\n\nb", 3),
        ("日本語", 3),
    ],
)
def test_counts_follow_byte_pair_splits(text: str, expected: int) -> None:
    assert approximate_token_count(text) == expected


@pytest.mark.parametrize("budget", [0, 1, 5, 17, 40])
def test_truncation_keeps_the_longest_prefix_in_budget(budget: int) -> None:
    text = "Gristmill grinds datasets: 1,234 rows, emails & chats.\nAnother line here. " * 5
    cut = approximate_truncate(text, budget)
    assert text.startswith(cut)
    assert approximate_token_count(cut) <= budget
    if cut != text:
        longer = text[: len(cut) + 1]
        # one more character either starts a new token or the cut ended mid-piece
        assert approximate_token_count(longer) >= approximate_token_count(cut)


def test_short_text_is_unchanged() -> None:
    assert approximate_truncate("two words", 10) == "two words"
