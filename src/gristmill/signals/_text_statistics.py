"""Text statistics: sizes, readability and the share of non-ASCII characters.

Everything is computed with numpy over the code points of the whole chunk (see
``_characters``), not with a Python loop per text.

Definitions (heuristics, documented so the numbers can be read):

- words: runs of letters, numbers, underscores or apostrophes; in scripts written without spaces
  (Chinese, Japanese kana) each character counts as one word, as word processors count them.
- sentences: runs of ``. ! ? …`` followed by a space or the end, plus runs of ``。！？``; a text
  whose last character (closing quotes aside) is not one of them has one more. At least 1.
- syllables (for readability only): per word, the number of vowel groups ``[aeiouy]+``, minus a
  silent final ``e`` (``make``, not ``table``), at least 1 per word.
- Flesch reading ease ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words`` and
  Flesch-Kincaid grade ``0.39 * words/sentences + 11.8 * syllables/words - 15.59``. They are
  English formulas: ``None`` when fewer than half of a text's letters are Latin.
- frac_non_ascii: the share of characters above U+007F.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from gristmill.signals._characters import (
    CJK,
    CLOSER,
    FULL_TERMINATOR,
    LATIN,
    LETTER,
    LETTER_E,
    LETTER_L,
    NON_ASCII,
    SPACE,
    TERMINATOR,
    VOWEL,
    WORD,
    code_point_flags,
)
from gristmill.signals._signal import Signal, SignalScope, present_positions, register_signal

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@register_signal
class TextStatisticsSignal(Signal):
    """Characters, words, sentences, average word length, readability and non-ASCII share."""

    name: ClassVar[str] = "text_statistics"
    scope: ClassVar[SignalScope] = "row"

    def output_type(self) -> pa.DataType:
        import pyarrow as pa

        return pa.struct(
            [
                ("num_characters", pa.int64()),
                ("num_words", pa.int64()),
                ("num_sentences", pa.int64()),
                ("avg_word_length", pa.float64()),
                ("flesch_reading_ease", pa.float64()),
                ("flesch_kincaid_grade", pa.float64()),
                ("frac_non_ascii", pa.float64()),
            ]
        )

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        outputs: list[Any] = [None] * len(texts)
        positions = present_positions(texts)
        if not positions:
            return outputs
        rows = _statistics([texts[i] for i in positions])  # type: ignore[misc]
        for position, row in zip(positions, rows, strict=True):
            outputs[position] = row
        return outputs


def _statistics(texts: list[str]) -> list[dict[str, Any]]:
    import numpy as np

    flags, starts, lengths = code_point_flags(texts)

    def has(flag: int) -> np.ndarray[Any, Any]:
        mask: np.ndarray[Any, Any] = (flags & flag) != 0
        return mask

    ends = np.append(starts[1:], len(flags))

    def per_text(mask: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        # Counting through the True positions is 3x faster than np.add.reduceat on a bool mask.
        below_end = np.searchsorted(np.flatnonzero(mask), ends)
        return np.diff(below_end, prepend=0)

    def previous(mask: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.concatenate(([False], mask[:-1]))

    def following(mask: np.ndarray[Any, Any], end: bool) -> np.ndarray[Any, Any]:
        return np.concatenate((mask[1:], [end]))

    cjk = has(CJK)
    in_word = has(WORD) & ~cjk
    word_start = in_word & ~previous(in_word)
    word_end = in_word & ~following(in_word, False)
    num_words = per_text(word_start | cjk).astype(np.float64)
    word_chars = per_text(in_word | cjk).astype(np.float64)

    # Syllables per spaced word: vowel groups, minus a silent final e, at least one.
    vowel = has(VOWEL) & in_word
    vowel_group_start = vowel & ~previous(vowel)
    word_positions = np.flatnonzero(word_start)
    word_count = len(word_positions)

    def word_of(positions: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.searchsorted(word_positions, positions, side="right") - 1

    groups = np.bincount(word_of(np.flatnonzero(vowel_group_start)), minlength=word_count)
    consonant_not_l = in_word & ~has(VOWEL) & ~has(LETTER_L) & has(LETTER)
    silent = word_end & has(LETTER_E) & previous(consonant_not_l)
    silent_words = np.zeros(word_count, dtype=bool)
    silent_words[word_of(np.flatnonzero(silent))] = True
    syllables_per_word = np.maximum(groups - (silent_words & (groups > 1)), 1)
    word_owner = np.searchsorted(starts, word_positions, side="right") - 1
    syllables = np.bincount(word_owner, weights=syllables_per_word, minlength=len(texts))
    syllables += per_text(cjk)

    terminator = has(TERMINATOR)
    sentence_ends = terminator & ~following(terminator, False) & following(has(SPACE), True)
    full_stop = has(FULL_TERMINATOR)
    sentence_ends |= full_stop & ~following(full_stop, False)
    content = ~has(SPACE) & ~has(CLOSER)
    content_positions = np.flatnonzero(content)
    last = np.searchsorted(content_positions, ends) - 1
    last_content = content_positions[np.maximum(last, 0)] if len(content_positions) else ends
    has_content = (last >= 0) & (last_content >= starts)
    open_ending = has_content & ~(terminator | full_stop)[np.minimum(last_content, len(flags) - 1)]
    sentences = np.maximum(per_text(sentence_ends) + open_ending, 1).astype(np.float64)

    letters = per_text(has(LETTER))
    latin = per_text(has(LATIN))
    chars = lengths.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg_word_length = word_chars / num_words
        words_per_sentence = num_words / sentences
        syllables_per_word_avg = syllables / num_words
        reading_ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word_avg
        grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word_avg - 15.59
        frac_non_ascii = per_text(has(NON_ASCII)) / chars
    readable = (num_words > 0) & (letters > 0) & (latin * 2 >= letters)

    def column(array: np.ndarray[Any, Any], valid: Any = True) -> list[float | None]:
        valid = np.isfinite(array) & valid
        rounded = np.round(np.where(valid, array, 0.0), 4).tolist()
        return [v if ok else None for v, ok in zip(rounded, valid.tolist(), strict=True)]

    fields = {
        "num_characters": lengths.tolist(),
        "num_words": num_words.astype(np.int64).tolist(),
        "num_sentences": sentences.astype(np.int64).tolist(),
        "avg_word_length": column(avg_word_length),
        "flesch_reading_ease": column(reading_ease, readable),
        "flesch_kincaid_grade": column(grade, readable),
        "frac_non_ascii": column(frac_non_ascii),
    }
    names = list(fields)
    return [dict(zip(names, values, strict=True)) for values in zip(*fields.values(), strict=True)]
