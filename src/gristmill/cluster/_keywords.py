"""Titles without an LLM: each group's most distinctive words by class-based TF-IDF (c-TF-IDF).

All texts of a group are treated as one document. Two weightings, for two kinds of group:

- clusters (many small groups): BERTopic's ``tf * log(1 + A / f)`` with ``A`` the average number
  of words per group and ``f`` the term's frequency over all groups;
- categories (a handful of large groups, each the documents of its clusters): with so few groups
  BERTopic's weight barely moves, and words nearly every text shares ("feel", "im" in a set of
  diary lines) win every category. Here the IDF counts the groups a term occurs in
  (``log((1 + N) / df)``), terms found in most groups are dropped outright, and a two-word term
  that recurs in a group is preferred to its single words, since "mental health" says more than
  "mental" and "health" apart.

English stop words, links, @mentions, HTML entities, bare numbers and web/Twitter residue
(``amp``, ``rt``...) are dropped; a term sharing a word with a better one is skipped so a title
does not repeat itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

TITLE_TERMS = 3
# Only the best-scoring terms are ranked in full (groups can have thousands).
CANDIDATES = 40
# Markup and retweet residue: frequent in scraped text, never what a group is about.
NOISE_WORDS = frozenset(
    [
        "http",
        "https",
        "www",
        "com",
        "org",
        "net",
        "html",
        "href",
        "amp",
        "quot",
        "nbsp",
        "gt",
        "lt",
        "rt",
        "via",
        "img",
        "src",
    ]
)
# Links, @mentions and HTML entities ("&#128514;" is an emoji in scraped tweets): removed before
# counting, or a tweet set is titled "128109 128109, kieffer_jason".
MARKUP = re.compile(r"https?://\S+|www\.\S+|@\w+|&#?\w+;")
# Words start with a letter and have two or more letters/digits: no bare numbers or underscores.
WORD_PATTERN = r"(?u)\b[^\W\d_][^\W_]+\b"
# Category weighting: a term in more than this share of the groups names none of them.
COMMON_SHARE = 0.5
# ... applied from this many groups up (with two groups "most" would mean "both").
MIN_GROUPS_TO_DROP_COMMON = 3
# A two-word term seen at least this often in its group outranks single words by this factor.
BIGRAM_MIN_COUNT = 3
BIGRAM_BOOST = 1.5


def keyword_titles(
    groups: Sequence[Sequence[str]], *, num_terms: int = TITLE_TERMS, few_groups: bool = False
) -> list[str]:
    """One title per group of texts, e.g. ``'recipe, chicken soup, bake'``.

    ``few_groups=True`` uses the category weighting (see the module docstring).
    """
    terms = top_terms(groups, num_terms=num_terms, few_groups=few_groups)
    return [", ".join(words) if words else "(no distinctive words)" for words in terms]


def top_terms(
    groups: Sequence[Sequence[str]], *, num_terms: int = TITLE_TERMS, few_groups: bool = False
) -> list[list[str]]:
    """The ``num_terms`` most distinctive terms of each group (fewer when a group has none)."""
    import numpy as np

    scores, vocabulary = group_scores(groups, few_groups=few_groups)
    if scores is None:
        return [[] for _ in groups]
    result: list[list[str]] = []
    for row in range(scores.shape[0]):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        columns, values = scores.indices[start:end], scores.data[start:end]
        positive = values > 0
        columns, values = columns[positive], values[positive]
        if len(values) > CANDIDATES:
            keep = np.argpartition(-values, CANDIDATES)[:CANDIDATES]
            columns, values = columns[keep], values[keep]
        # Ties broken by the term itself so titles are deterministic.
        order = sorted(range(len(values)), key=lambda i: (-values[i], vocabulary[columns[i]]))
        result.append(_distinct([str(vocabulary[columns[i]]) for i in order], num_terms))
    return result


def group_scores(
    groups: Sequence[Sequence[str]],
    *,
    ngram_range: tuple[int, int] = (1, 2),
    few_groups: bool = False,
    skip_words: Collection[str] = (),
) -> tuple[Any, npt.NDArray[np.str_]]:
    """c-TF-IDF scores (groups x terms, scipy CSR) and the terms; ``(None, [])`` without words.

    Terms containing one of ``skip_words`` (text most rows share, such as a prompt template's
    words) are left out.
    """
    import numpy as np
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
    from sklearn.preprocessing import OneHotEncoder

    nothing = (None, np.array([], dtype=str))
    texts = [text for group in groups for text in group]
    if not any(text.strip() for text in texts):
        return nothing
    vectorizer = CountVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | NOISE_WORDS | set(skip_words)),
        ngram_range=ngram_range,
        preprocessor=_strip_markup,
        token_pattern=WORD_PATTERN,
    )
    try:
        per_text = vectorizer.fit_transform(texts)
    except ValueError:
        # Only stop words or punctuation: no vocabulary at all.
        return nothing
    # Counted per text, then summed per group: joining a group's texts into one string would
    # invent two-word terms across the boundary between one text and the next.
    group_of_text = np.repeat(np.arange(len(groups)), [len(group) for group in groups])
    membership = OneHotEncoder(categories=[np.arange(len(groups))]).fit_transform(
        group_of_text[:, None]
    )  # texts x groups, sparse
    counts = (membership.T @ per_text).astype(np.float64).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    scores = _category_scores(counts, vocabulary) if few_groups else _cluster_scores(counts)
    return scores, vocabulary


def _cluster_scores(counts: Any) -> Any:
    """BERTopic's c-TF-IDF: ``tf * log(1 + A / f)`` (``counts``: a scipy CSR matrix)."""
    import numpy as np

    words_per_group = np.asarray(counts.sum(axis=1)).ravel()
    term_frequency = np.asarray(counts.sum(axis=0)).ravel()
    average_words = max(float(words_per_group.mean()), 1.0)
    idf = np.log1p(average_words / np.maximum(term_frequency, 1.0))
    tf = counts.multiply(1.0 / np.maximum(words_per_group, 1.0)[:, None])
    return tf.multiply(idf).tocsr()


def _category_scores(counts: Any, vocabulary: npt.NDArray[np.str_]) -> Any:
    """Group-frequency IDF, terms common to most groups dropped, recurring bigrams preferred."""
    import numpy as np

    num_groups = counts.shape[0]
    words_per_group = np.asarray(counts.sum(axis=1)).ravel()
    in_groups = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1.0 + num_groups) / np.maximum(in_groups, 1))
    if num_groups >= MIN_GROUPS_TO_DROP_COMMON:
        common = in_groups > COMMON_SHARE * num_groups
        # ... and every phrase containing such a word ("feel football" is no better than "feel").
        common_words = {str(term) for term in vocabulary[common] if " " not in str(term)}
        common |= np.array([bool(set(str(t).split()) & common_words) for t in vocabulary])
        idf[common] = 0.0
    tf = counts.multiply(1.0 / np.maximum(words_per_group, 1.0)[:, None]).tocsr()
    scores = tf.multiply(idf).tocsr()
    is_bigram = np.char.find(vocabulary.astype(str), " ") >= 0
    recurring = (counts.data >= BIGRAM_MIN_COUNT) & is_bigram[counts.indices]
    # counts and scores share their sparsity pattern except where idf zeroed a term.
    boost = np.where(recurring, BIGRAM_BOOST, 1.0)
    boosted = counts.copy()
    boosted.data = boost
    scores = scores.multiply(boosted).tocsr()
    scores.eliminate_zeros()
    return scores


def _strip_markup(text: str) -> str:
    return MARKUP.sub(" ", text.lower())


def _distinct(ranked: list[str], num_terms: int) -> list[str]:
    """The best terms sharing no word with a better one ("mental health, health talk" repeats)."""
    chosen: list[str] = []
    used: set[str] = set()
    for term in ranked:
        words = set(term.split())
        if words & used:
            continue
        chosen.append(term)
        used |= words
        if len(chosen) == num_terms:
            break
    return chosen
