"""Splitting long texts into spans to embed, with character offsets for highlights.

A text is cut at the coarsest boundary that brings every piece under ``max_chars``: blank
lines (paragraphs), then line breaks, then sentence ends (Latin, CJK, Arabic, Devanagari
punctuation), then whitespace, and only as a last resort at a fixed width (scripts written
without spaces), never inside a combining sequence or an emoji. Neighbouring pieces are then
joined again while they fit, so a short text is one span and spans are few. Offsets index the
original string (``text[start:end]``), with surrounding whitespace trimmed.
"""

from __future__ import annotations

import re
import unicodedata

from gristmill.errors import InvalidInputError

# About 128 MiniLM word pieces of English: the length the model was trained on, and short
# enough that a highlight points at a passage rather than a page.
DEFAULT_MAX_CHARS = 512

_LEVELS = (
    re.compile(r"\n[^\S\n]*\n\s*"),  # paragraphs: a blank line
    re.compile(r"\n\s*"),  # lines: list items, verses, code
    re.compile(
        r"[.!?…‼⁇⁈⁉؟۔।॥።]+[\"'”’»)\]]*\s+"  # sentence ends followed by a space
        r"|[。！？]+[」』”’）)\]]*\s*"  # full-width ends need no space after them
    ),
    re.compile(r"\s+"),  # words
)
_ZERO_WIDTH_JOINER = "\u200d"
_SKIN_TONES = range(0x1F3FB, 0x1F400)


def split_spans(text: str | None, max_chars: int = DEFAULT_MAX_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of the spans of ``text``, in order.

    Empty, blank or None text has no spans; a text of at most ``max_chars`` (after trimming)
    is one span; longer texts are split as the module describes, each span at most
    ``max_chars`` long.
    """
    if not isinstance(max_chars, int) or isinstance(max_chars, bool) or max_chars < 1:
        raise InvalidInputError(
            f"max_chars must be a positive integer, got {max_chars!r}", hint="e.g. 512"
        )
    if text is None:
        return []
    if not isinstance(text, str):
        raise InvalidInputError(
            f"split_spans() takes a string, got {type(text).__name__}",
            hint="convert the value to str first",
        )
    pieces = _split(text, 0, len(text), 0, max_chars)
    return _merge(pieces, max_chars)


def _split(text: str, start: int, end: int, level: int, max_chars: int) -> list[tuple[int, int]]:
    trimmed = _trim(text, start, end)
    if trimmed is None:
        return []
    start, end = trimmed
    if end - start <= max_chars:
        return [(start, end)]
    if level == len(_LEVELS):
        return _cut(text, start, end, max_chars)
    pieces: list[tuple[int, int]] = []
    cursor = start
    for boundary in _LEVELS[level].finditer(text, start, end):
        if boundary.end() > cursor:
            pieces.extend(_split(text, cursor, boundary.end(), level + 1, max_chars))
            cursor = boundary.end()
    pieces.extend(_split(text, cursor, end, level + 1, max_chars))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Fixed-width pieces for runs with no boundary at all (CJK, Thai, a long URL)."""
    pieces = []
    while end - start > max_chars:
        cut = start + max_chars
        while cut > start + 1 and _continues(text, cut):
            cut -= 1
        if cut == start + 1 and _continues(text, cut):
            cut = start + max_chars  # one unbreakable cluster longer than max_chars
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _continues(text: str, position: int) -> bool:
    """Whether cutting before ``text[position]`` would split one visible character."""
    char, previous = text[position], text[position - 1]
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Mc", "Me")
        or _ZERO_WIDTH_JOINER in (char, previous)
        or "\ufe00" <= char <= "\ufe0f"  # variation selectors (emoji presentation)
        or ord(char) in _SKIN_TONES
        or (0x1F1E6 <= ord(char) <= 0x1F1FF and 0x1F1E6 <= ord(previous) <= 0x1F1FF)
    )


def _merge(pieces: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Join neighbours while the joined span (gaps included) stays within ``max_chars``."""
    spans: list[tuple[int, int]] = []
    for start, end in pieces:
        if spans and end - spans[-1][0] <= max_chars:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans
