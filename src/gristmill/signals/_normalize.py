"""Text normalisation shared by the duplicate signals, vectorised with Arrow kernels.

Two texts that differ only in case, whitespace, punctuation or Unicode compatibility forms
(full-width letters, ligatures, non-breaking spaces) normalise to the same words: NFKC, lower
case, punctuation to spaces, split on whitespace. Scripts written without spaces (Chinese,
Japanese) are split into single characters, so their shingles are character n-grams.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

# Explicit ranges rather than \p{P}: RE2's Unicode property classes are ~10x slower here.
# ASCII punctuation and symbols, Latin-1 punctuation, general punctuation (dashes, quotes,
# ellipsis), CJK punctuation, full-width ASCII punctuation.
_PUNCTUATION = (
    r"[!-/:-@\[-`{-~\x{00A1}-\x{00BF}\x{00D7}\x{00F7}\x{2010}-\x{205E}\x{3000}-\x{303F}"
    r"\x{FF01}-\x{FF0F}\x{FF1A}-\x{FF20}\x{FF3B}-\x{FF40}\x{FF5B}-\x{FF65}]+"
)
_UNSPACED_SCRIPTS = r"([\x{3040}-\x{30FF}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FAFF}])"


def normalized_words(texts: Sequence[str]) -> pa.ListArray:
    """One list of normalised words per text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pa.array(texts, type=pa.string())
    column = pc.utf8_lower(pc.utf8_normalize(column, "NFKC"))
    column = pc.replace_substring_regex(column, _PUNCTUATION, " ")
    if pc.any(pc.match_substring_regex(column, _UNSPACED_SCRIPTS)).as_py():
        column = pc.replace_substring_regex(column, _UNSPACED_SCRIPTS, r" \1 ")
    # Split keeps an empty word for leading or trailing whitespace: trim first.
    words: pa.ListArray = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(column))
    return words


def normalized_texts(texts: Sequence[str]) -> pa.Array:
    """Each text's normalised words joined by single spaces."""
    import pyarrow as pa
    import pyarrow.compute as pc

    words = normalized_words(texts)
    return pc.binary_join(words, pa.scalar(" ", type=words.type.value_type))
