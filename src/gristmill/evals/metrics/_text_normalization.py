"""Tokenising and normalising text for metrics, with regular expressions only.

nltk's ``punkt`` models cannot be downloaded offline, so sentences and words are split here.
"""

from __future__ import annotations

import re
import string

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
# A sentence ends at . ! or ? (plus closing quotes/brackets) followed by whitespace.
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"'’”)\]]*\s+")
_ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e"),
        *("a.m", "p.m", "no", "fig", "approx", "dept", "inc", "ltd", "co"),
    }
)
_ARTICLES_RE = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = frozenset(string.punctuation)


def word_tokens(text: str) -> list[str]:
    """Words (with inner apostrophes) and single punctuation marks, in order."""
    return _WORD_RE.findall(text)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``: line breaks and sentence-final punctuation split it.

    A period after a common abbreviation (``Mr.``, ``e.g.``) or a single letter does not end a
    sentence, which keeps names such as ``Ms. Dawson`` whole.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        start = 0
        for match in _SENTENCE_END_RE.finditer(line):
            before = line[start : match.start() + 1].split()
            last_word = before[-1].strip("([{\"'“‘").rstrip(".").lower() if before else ""
            if match.group().startswith(".") and (
                last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())
            ):
                continue
            sentence = line[start : match.end()].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def squad_normalize(text: str) -> str:
    """Lower case, drop punctuation and English articles, collapse whitespace (as SQuAD does)."""
    lowered = text.lower()
    without_punctuation = "".join(ch for ch in lowered if ch not in _PUNCTUATION)
    without_articles = _ARTICLES_RE.sub(" ", without_punctuation)
    return " ".join(without_articles.split())
