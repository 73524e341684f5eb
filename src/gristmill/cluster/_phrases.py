"""Titles without an LLM: short noun-phrase titles from each group's distinctive phrases.

Comma-joined single words (``code, python, programming``) read as a keyword dump; a title reads
like one: "Python lists and strings", "Recipes and cooking". For each group (cluster or category):

1. candidates are the group's 1-3 word phrases (no stop word at either end), scored by contrast
   with the other groups (c-TF-IDF, ``_keywords.group_scores``);
2. when an embedding model is at hand, each candidate is also scored by how close its vector is
   to the group's centroid, so a phrase that says what the group is about beats one that is merely
   frequent in it;
3. the title is the best phrase, joined with "and" to the next best one that shares no word with
   it and is not a near-synonym in embedding space (maximal marginal relevance): two different
   things the group is about, not "python code and python".

Text shared by most rows of the dataset (a prompt template, a boilerplate line) says nothing about
any group: ``SharedText`` finds its words and phrases, which are left out of every title. A group
whose members sit far from their centroid compared with the other groups (a catch-all HDBSCAN
noise reassignment leaves behind) is titled "Mixed: ...". Titles are made distinct: a group whose
best title is taken by a larger group uses its next candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gristmill.cluster._keywords import group_scores

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

EmbedFn = Callable[[list[str]], "npt.NDArray[np.float32]"]

# Candidates per group that are ranked in full (and embedded, when a model is given).
CANDIDATES = 24
# Weight of closeness to the centroid against c-TF-IDF contrast (both scaled to 0..1 per group).
CENTROID_WEIGHT = 0.5
# A phrase scoring at least this share of a shorter phrase inside it replaces it ("chicken soup"
# over "chicken" when the two nearly always occur together).
LONGER_PHRASE_SHARE = 0.8
# A second part is added only if it scores at least this share of the first ...
SECOND_PART_SHARE = 0.6
# ... and is not a near-synonym of it (cosine similarity of the two phrases' vectors).
SYNONYM_SIMILARITY = 0.8
# A group is "Mixed" when its cohesion (mean similarity of members to centroid) is below this
# share of the median cohesion of all groups.
MIXED_COHESION_SHARE = 0.75
MIN_GROUPS_FOR_MIXED = 4
# A word or line found in more than this share of the rows is shared text, not a topic.
SHARED_SHARE = 0.5
# A word in more than this share of the other groups' texts ("feeling" in a set of diary lines)
# does not set a group apart: a phrase made only of such words is not a title candidate.
COMMON_SHARE = 0.15
# Stop words with the apostrophe lost ("im", "shes"): frequent in chat and tweets, never a topic.
CONTRACTIONS = frozenset(
    [
        "im",
        "ive",
        "youre",
        "youve",
        "youll",
        "hes",
        "shes",
        "its",
        "weve",
        "were",
        "theyre",
        "theyve",
        "thats",
        "whats",
        "theres",
        "dont",
        "doesnt",
        "didnt",
        "cant",
        "couldnt",
        "wont",
        "wouldnt",
        "shouldnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "havent",
        "hasnt",
        "hadnt",
        "lets",
        "ok",
        "okay",
        "yeah",
    ]
)
MIN_ROWS_FOR_SHARED = 10
# Rows read to find text most rows share (a template shows in any sample of them).
SHARED_TEXT_SAMPLE = 5000
NO_WORDS = "(no distinctive words)"
_WORD = re.compile(r"(?u)\b[^\W\d_][^\W_]+\b")


@dataclass(frozen=True)
class SharedText:
    """Lines and words that more than half of the rows contain (templates, boilerplate)."""

    lines: frozenset[str]
    words: frozenset[str]

    def strip(self, text: str) -> str:
        """``text`` without its shared lines (what the row adds to the template)."""
        if not self.lines:
            return text
        kept = [line for line in text.splitlines() if _line_key(line) not in self.lines]
        return "\n".join(kept)


def find_shared_text(texts: Sequence[str]) -> SharedText:
    """The lines and words present in more than ``SHARED_SHARE`` of ``texts``."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    rows = [text for text in texts if text.strip()]
    if len(rows) < MIN_ROWS_FOR_SHARED:
        return SharedText(frozenset(), frozenset())
    line_rows: dict[str, int] = {}
    word_rows: dict[str, int] = {}
    for text in rows:
        for key in {_line_key(line) for line in text.splitlines()} - {""}:
            line_rows[key] = line_rows.get(key, 0) + 1
        for word in {w.lower() for w in _WORD.findall(text)} - ENGLISH_STOP_WORDS:
            word_rows[word] = word_rows.get(word, 0) + 1
    limit = SHARED_SHARE * len(rows)
    shared = SharedText(
        frozenset(key for key, count in line_rows.items() if count > limit),
        frozenset(word for word, count in word_rows.items() if count > limit),
    )
    # Text that is all most rows hold is the data itself (say, one sentence repeated), not a
    # template around it.
    left = sum(
        1 for text in rows if {w.lower() for w in _WORD.findall(shared.strip(text))} - shared.words
    )
    return shared if left > limit else SharedText(frozenset(), frozenset())


def _line_key(line: str) -> str:
    return " ".join(line.lower().split())


def phrase_candidates(
    groups: Sequence[Sequence[str]],
    *,
    few_groups: bool = False,
    shared: SharedText | None = None,
) -> list[list[tuple[str, float]]]:
    """Each group's best phrases with their contrast scores (scaled so the best is 1)."""
    import numpy as np

    skip = CONTRACTIONS | (shared.words if shared else frozenset())
    common = _common_elsewhere(groups)
    scores, vocabulary = group_scores(
        groups, ngram_range=(1, 3), few_groups=few_groups, skip_words=skip
    )
    result: list[list[tuple[str, float]]] = []
    for row in range(len(groups)):
        if scores is None:
            result.append([])
            continue
        start, end = scores.indptr[row], scores.indptr[row + 1]
        columns, values = scores.indices[start:end], scores.data[start:end]
        usable = (values > 0) & np.array(
            [_names_something(str(vocabulary[c]).split(), common[row]) for c in columns],
            dtype=bool,
        )
        columns, values = columns[usable], values[usable]
        if len(values) > CANDIDATES:
            keep = np.argpartition(-values, CANDIDATES)[:CANDIDATES]
            columns, values = columns[keep], values[keep]
        # Scores rounded before sorting and ties broken by the phrase: float noise in the last
        # bits must not reorder titles between runs.
        rounded = np.round(values / max(float(values.max()), 1e-12), 6) if len(values) else values
        order = sorted(range(len(values)), key=lambda i: (-rounded[i], vocabulary[columns[i]]))
        result.append([(str(vocabulary[columns[i]]), float(rounded[i])) for i in order])
    return result


def _common_elsewhere(groups: Sequence[Sequence[str]]) -> list[frozenset[str]]:
    """Per group, the words found in more than ``COMMON_SHARE`` of the other groups' texts."""
    from collections import Counter

    per_group = [
        Counter(word for text in group for word in {w.lower() for w in _WORD.findall(text)})
        for group in groups
    ]
    total: Counter[str] = Counter()
    for counts in per_group:
        total.update(counts)
    num_texts = sum(len(group) for group in groups)
    fewest_others = num_texts - max((len(group) for group in groups), default=0)
    # Only a word this frequent overall can be common outside some group.
    frequent = [(w, c) for w, c in total.items() if c > COMMON_SHARE * fewest_others]
    result = []
    for group, counts in zip(groups, per_group, strict=True):
        others = num_texts - len(group)
        result.append(
            frozenset(
                word
                for word, count in frequent
                if others and (count - counts[word]) > COMMON_SHARE * others
            )
        )
    return result


def _names_something(words: list[str], common: frozenset[str]) -> bool:
    """Not made of common words only, and not framed by one ("feeling unloved" is "unloved";
    "cellphone feeling smug" is two fragments)."""
    if set(words) <= common:
        return False
    return len(words) == 1 or (words[0] not in common and words[-1] not in common)


def phrase_titles(
    candidates: Sequence[Sequence[tuple[str, float]]],
    group_centroids: npt.NDArray[np.float32] | None = None,
    embed: EmbedFn | None = None,
    *,
    cohesion: Sequence[float] | None = None,
    sizes: Sequence[int] | None = None,
) -> list[str]:
    """One distinct, readable title per group from its ``candidates``."""
    options = [
        _title_options(group, _closeness(group, group_centroids, embed, index))
        for index, group in enumerate(candidates)
    ]
    mixed = _mixed(cohesion) if cohesion is not None else [False] * len(options)
    order = sorted(range(len(options)), key=lambda g: (-(sizes[g] if sizes else 0), g))
    titles = [""] * len(options)
    used: set[str] = set()
    for group in order:
        choices = options[group] or [NO_WORDS]
        prefix = "Mixed: " if mixed[group] else ""
        title = next((prefix + c for c in choices if (prefix + c).lower() not in used), "")
        if not title:
            base = prefix + choices[0]
            number = 2
            while f"{base} ({number})".lower() in used:
                number += 1
            title = f"{base} ({number})"
        used.add(title.lower())
        titles[group] = title
    return titles


def cohesion_of(
    vectors: npt.NDArray[np.float32],
    labels: npt.NDArray[np.int32],
    group_centroids: npt.NDArray[np.float32],
) -> list[float]:
    """Mean cosine similarity of each group's members to its centroid."""
    import numpy as np

    similarity = np.einsum("ij,ij->i", vectors, group_centroids[labels]).astype(np.float64)
    sums = np.bincount(labels, weights=similarity, minlength=len(group_centroids))
    counts = np.maximum(np.bincount(labels, minlength=len(group_centroids)), 1)
    return [round(float(value), 6) for value in sums / counts]


def _mixed(cohesion: Sequence[float]) -> list[bool]:
    import numpy as np

    if len(cohesion) < MIN_GROUPS_FOR_MIXED:
        return [False] * len(cohesion)
    limit = MIXED_COHESION_SHARE * float(np.median(cohesion))
    return [value < limit for value in cohesion]


def _closeness(
    group: Sequence[tuple[str, float]],
    group_centroids: npt.NDArray[np.float32] | None,
    embed: EmbedFn | None,
    index: int,
) -> dict[str, tuple[float, npt.NDArray[np.float32] | None]]:
    """Each phrase's combined score, and its vector when a model embedded it."""
    import numpy as np

    if not group:
        return {}
    if embed is None or group_centroids is None:
        return {phrase: (score, None) for phrase, score in group}
    phrases = [phrase for phrase, _ in group]
    vectors = np.asarray(embed(phrases), dtype=np.float32)
    similarity = vectors @ group_centroids[index]
    low, high = float(similarity.min()), float(similarity.max())
    scaled = (similarity - low) / (high - low) if high - low > 1e-6 else np.ones(len(group))
    return {
        phrase: (
            round((1 - CENTROID_WEIGHT) * score + CENTROID_WEIGHT * float(scaled[i]), 6),
            vectors[i],
        )
        for i, (phrase, score) in enumerate(group)
    }


def _title_options(
    group: Sequence[tuple[str, float]],
    scored: dict[str, tuple[float, npt.NDArray[np.float32] | None]],
) -> list[str]:
    """Titles for one group, best first: "First and second", then alternatives."""
    ranked = sorted(scored, key=lambda phrase: (-scored[phrase][0], phrase))
    ranked = _drop_contained(_prefer_longer(ranked, scored))
    options: list[str] = []
    for lead_index, lead in enumerate(ranked[:3]):
        second = _second_part(lead, ranked[lead_index + 1 :], scored)
        options.append(_format(lead, second))
        if second is not None:
            options.append(_format(lead, None))
    return list(dict.fromkeys(options))


def _prefer_longer(
    ranked: list[str], scored: dict[str, tuple[float, npt.NDArray[np.float32] | None]]
) -> list[str]:
    """Each phrase moved up to the place of a shorter one it contains and nearly matches."""
    result: list[str] = []
    placed: set[str] = set()
    for phrase in ranked:
        if phrase in placed:
            continue
        padded = f" {phrase} "
        longer = [
            other
            for other in ranked
            if other not in placed
            and len(other) > len(phrase)
            and padded in f" {other} "
            and scored[other][0] >= LONGER_PHRASE_SHARE * scored[phrase][0]
        ]
        best = max(longer, key=lambda o: (scored[o][0], -len(o)), default=phrase)
        result.append(best)
        placed.add(best)
    return result


def _drop_contained(ranked: list[str]) -> list[str]:
    """Phrases that add nothing to a better one ("python" after "python lists") are dropped."""
    kept: list[str] = []
    for phrase in ranked:
        words = phrase.split()
        if any(set(words) <= set(better.split()) for better in kept):
            continue
        kept.append(phrase)
    return kept


def _second_part(
    lead: str,
    rest: Sequence[str],
    scored: dict[str, tuple[float, npt.NDArray[np.float32] | None]],
) -> str | None:
    import numpy as np

    lead_score, lead_vector = scored[lead]
    lead_words = set(lead.split())
    for phrase in rest:
        score, vector = scored[phrase]
        if score < SECOND_PART_SHARE * lead_score:
            return None
        if lead_words & set(phrase.split()):
            continue
        if (
            lead_vector is not None
            and vector is not None
            and float(np.dot(lead_vector, vector)) > SYNONYM_SIMILARITY
        ):
            continue
        return phrase
    return None


def _format(lead: str, second: str | None) -> str:
    title = lead if second is None else f"{lead} and {second}"
    return title[:1].upper() + title[1:]
