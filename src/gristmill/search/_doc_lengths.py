"""BM25's document lengths, counted without running the FTS extension's tokeniser on every row.

A scan ranks like the index (``match_bm25``) only with the mean length, in words less stopwords,
of every document. The extension's ``tokenize`` (lower, strip accents, a regex replace of
punctuation, a regex split) costs ~0.4 s for 100k rows of 100 characters, most of a scan. In a
plain document (printable ASCII, tabs and line breaks) its words are exactly the runs of letters,
which numpy finds in a few passes over the bytes, looking the short ones up among the stopwords;
any other document (an accent ``strip_accents`` may turn into a stopword, ``à`` into ``a``; a
control byte the tokeniser keeps inside a word) is counted by the extension itself.
``test_doc_lengths`` checks both agree with the extension, document by document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

# The control bytes RE2's \s matches, which separate words like spaces (\v does not).
_PLAIN_CONTROLS = [ord(c) for c in "\t\n\f\r"]


class WordCounter:
    """Counts a column's words less stopwords, plain documents in numpy (see the module)."""

    def __init__(self, stopwords: Iterable[str]) -> None:
        import numpy as np

        # Only a stopword of letters can equal a word of a plain document ("a's" never does).
        kept = sorted({w.encode() for w in stopwords if w.isascii() and w.isalpha()})
        self._width = max((len(w) for w in kept), default=0)
        lengths = np.array([len(w) for w in kept], dtype=np.int64)
        self._stopwords = _binary_array(lengths, np.frombuffer(b"".join(kept), dtype=np.uint8))

    def count(self, texts: pa.Array) -> tuple[int, np.ndarray]:
        """Words less stopwords in the plain documents of ``texts`` (strings, no nulls), and
        the positions of the other documents, which the caller counts with the extension.

        A plain document holds only ASCII letters, the tokeniser's separators and no control
        byte but tab, newline, form feed and carriage return: its words are its runs of letters.
        """
        import numpy as np
        import pyarrow.compute as pc

        large = texts.type.id == _large_string_id()
        stored = np.frombuffer(texts.buffers()[1], dtype=np.int64 if large else np.int32)
        stored = stored[texts.offset : texts.offset + len(texts) + 1]
        start, end = int(stored[0]), int(stored[-1])
        if end == start:
            return 0, np.empty(0, dtype=np.int64)
        data = np.frombuffer(texts.buffers()[2], dtype=np.uint8)[start:end]
        offsets: npt.NDArray[np.int64] = stored.astype(np.int64) - start
        size = len(data)
        # Letters, folded to lower case; (b | 0x20) - 'a' wraps below 26 for letters alone.
        folded = np.bitwise_or(data, 0x20)
        word = np.subtract(folded, ord("a"), out=np.empty_like(folded)) < 26
        # Word edges: +1 where a run of letters starts, -1 where it ends; a run crossing from
        # one document into the next is two words, cut where the second document starts.
        step = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts = np.flatnonzero(step == 1)
        ends = np.flatnonzero(step == -1)
        inner = offsets[1:-1]
        inner = inner[(inner > 0) & (inner < size)]
        cut = np.unique(inner[word[inner - 1] & word[inner]])  # empty documents repeat one
        if len(cut):
            starts = np.insert(starts, np.searchsorted(starts, cut), cut)
            ends = np.insert(ends, np.searchsorted(ends, cut), cut)
        lengths = ends - starts
        other = self._other_documents(data, offsets)
        words = len(starts)
        counted = lengths <= self._width  # the words that may be stopwords, then looked up
        if len(other):
            # Empty documents repeat an offset: the last of equal ones holds the bytes.
            document = np.searchsorted(offsets, starts, side="right") - 1
            plain = ~np.isin(document, other)
            words = int(plain.sum())
            counted &= plain
        # The letters of the short words, end to end, are a binary array of those words.
        letters = folded[word][np.repeat(counted, lengths)]
        short = _binary_array(lengths[counted], letters)
        stops = pc.sum(pc.is_in(short, value_set=self._stopwords)).as_py() or 0
        return words - int(stops), other

    @staticmethod
    def _other_documents(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """The documents holding a byte past ASCII, DEL, or a control byte other than \t \n
        \f \r (the tokeniser keeps those inside words, and its accents may become letters)."""
        import numpy as np

        odd = np.flatnonzero((data >= 0x7F) | (data < 0x20))
        odd = odd[~np.isin(data[odd], _PLAIN_CONTROLS)]
        return np.unique(np.searchsorted(offsets, odd, side="right") - 1)


def _large_string_id() -> int:
    import pyarrow as pa

    return int(pa.large_string().id)


def _binary_array(lengths: np.ndarray, data: np.ndarray) -> pa.Array:
    """The items of ``lengths`` bytes each, laid end to end in ``data``, as an Arrow array.

    (``pa.array`` of Python values would import pandas, half a second of a first search.)
    """
    import numpy as np
    import pyarrow as pa

    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(data))]
    return pa.LargeBinaryArray.from_buffers(pa.large_binary(), len(lengths), buffers)
