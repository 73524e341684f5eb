"""Titles without an LLM: each group's most distinctive words by class-based TF-IDF (c-TF-IDF).

All texts of a group are treated as one document; a term scores high when it is frequent in this
group and rare across the others (BERTopic's weighting: ``tf * log(1 + A / f)`` with ``A`` the
average number of words per group and ``f`` the term's frequency over all groups). English stop
words are dropped; one- and two-word terms compete, and a word already inside a chosen phrase is
skipped so a title does not repeat itself.
"""

from __future__ import annotations

from collections.abc import Sequence

TITLE_TERMS = 3
# Only the best-scoring terms are ranked in full (groups can have thousands).
CANDIDATES = 40


def keyword_titles(groups: Sequence[Sequence[str]], *, num_terms: int = TITLE_TERMS) -> list[str]:
    """One title per group of texts, e.g. ``'recipe, chicken soup, bake'``."""
    terms = top_terms(groups, num_terms=num_terms)
    return [", ".join(words) if words else "(no distinctive words)" for words in terms]


def top_terms(groups: Sequence[Sequence[str]], *, num_terms: int = TITLE_TERMS) -> list[list[str]]:
    """The ``num_terms`` most distinctive terms of each group (fewer when a group has none)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    documents = [" ".join(texts) for texts in groups]
    if not any(doc.strip() for doc in documents):
        return [[] for _ in groups]
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2))
    try:
        counts = vectorizer.fit_transform(documents)
    except ValueError:
        # Only stop words or punctuation: no vocabulary at all.
        return [[] for _ in groups]
    vocabulary = vectorizer.get_feature_names_out()
    counts = counts.astype(np.float64)
    words_per_group = np.asarray(counts.sum(axis=1)).ravel()
    term_frequency = np.asarray(counts.sum(axis=0)).ravel()
    average_words = max(float(words_per_group.mean()), 1.0)
    idf = np.log1p(average_words / np.maximum(term_frequency, 1.0))
    scores = counts.multiply(1.0 / np.maximum(words_per_group, 1.0)[:, None]).multiply(idf).tocsr()
    result: list[list[str]] = []
    for row in range(scores.shape[0]):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        columns, values = scores.indices[start:end], scores.data[start:end]
        if len(values) > CANDIDATES:
            keep = np.argpartition(-values, CANDIDATES)[:CANDIDATES]
            columns, values = columns[keep], values[keep]
        # Ties broken by the term itself so titles are deterministic.
        order = sorted(range(len(values)), key=lambda i: (-values[i], vocabulary[columns[i]]))
        result.append(_distinct([str(vocabulary[columns[i]]) for i in order], num_terms))
    return result


def _distinct(ranked: list[str], num_terms: int) -> list[str]:
    chosen: list[str] = []
    for term in ranked:
        words = set(term.split())
        if any(words <= set(other.split()) or set(other.split()) <= words for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == num_terms:
            break
    return chosen
