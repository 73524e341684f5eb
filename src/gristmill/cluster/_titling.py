"""Titles for clusters and categories: a user's function, an LLM, or phrase titles.

Phrase titles (``_phrases``: distinctive 1-3 word phrases, scored by contrast and by closeness to
the centroid, text most rows share left out) are always computed: they are the offline titles
(``titles_from='keywords'``), the fallback when an LLM's answer stays malformed or the LLM step
fails, and what the LLM is told about the group and its neighbours so its titles differ. A
failed LLM step is said in a warning and in the result's notes, and the LLM is not asked again in
the same run (the categories get phrase titles too). Only a server that cannot be reached stops
the run, which keeps the finished stages.
Finished titles are kept as a stage, so a rerun after a failure in the categories step does not
ask the LLM again (its cache would answer anyway, but not for a user's function); titles that
fell back because the LLM step failed are not kept, so a rerun asks the LLM again.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gristmill.cluster._categories import centroids, group_clusters
from gristmill.cluster._llm_titles import llm_titles
from gristmill.cluster._phrases import (
    SHARED_TEXT_SAMPLE,
    EmbedFn,
    cohesion_of,
    find_shared_text,
    phrase_candidates,
    phrase_titles,
)
from gristmill.errors import ProviderError
from gristmill.llm import LLM, UsageSummary, configured_llm_address, get_llm

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gristmill.data.stages import StageStore

KEYWORD_MEMBERS = 200
# Per cluster, for its category's keywords: the most central ones suffice, and 200 from each of
# hundreds of clusters makes the category stage as slow as the cluster one.
CATEGORY_MEMBERS = 50
LLM_MEMBERS = 8
# Bumped when the offline titles change, so a stage kept by an older version is not reused.
TITLER_VERSION = "phrases-1"
FUNCTION_MEMBERS = 20
NEARBY_GROUPS = 3
TopicFn = Callable[[list[str]], str]


@dataclass
class Titler:
    """Where titles come from: ``topic_fn``/``category_fn`` first, then the LLM, else keywords."""

    llm: LLM | None = None
    topic_fn: TopicFn | None = None
    category_fn: TopicFn | None = None
    # Why the LLM step failed in this run, once it has: the LLM is then not asked again.
    llm_failure: str | None = None

    @classmethod
    def choose(
        cls,
        *,
        use_llm: bool | None,
        llm: str | dict[str, Any] | LLM | None,
        topic_fn: TopicFn | None,
        category_fn: TopicFn | None,
    ) -> Titler:
        client: LLM | None = None
        needs_llm = topic_fn is None or category_fn is None
        if use_llm is not False and needs_llm:
            if isinstance(llm, LLM):
                client = llm
            elif llm is not None:
                client = get_llm(llm)
            elif use_llm:
                client = get_llm()  # the configured LLM, else the local one, else a clear error
            else:
                address = configured_llm_address()
                client = get_llm(address) if address is not None else None
        return cls(client, topic_fn, category_fn)

    def describe(self) -> str | None:
        if self.llm is None:
            return None
        identity = self.llm.provider.identity()
        return f"{identity.get('provider', '')}/{identity.get('model', '')}"

    def config(self, what: str) -> dict[str, Any]:
        fn = self.topic_fn if what == "cluster" else self.category_fn
        return {
            "function": getattr(fn, "__qualname__", None) if fn is not None else None,
            "llm": self.describe(),
            "titler": TITLER_VERSION,
        }

    def usage(self) -> UsageSummary | None:
        return self.llm.usage() if self.llm is not None else None


@dataclass
class Titled:
    """Titles and categories for clusters 0..k-1."""

    cluster_titles: list[str]
    category_labels: npt.NDArray[np.int32]
    category_probabilities: npt.NDArray[np.float32]
    category_titles: list[str]
    source: str
    notes: list[str] = field(default_factory=list)
    title_seconds: float = 0.0

    @property
    def num_clusters(self) -> int:
        return len(self.cluster_titles)

    @property
    def num_categories(self) -> int:
        return len(self.category_titles)


def title_everything(
    vectors: npt.NDArray[np.float32],
    labels: npt.NDArray[np.int32],
    texts: Sequence[str],
    titler: Titler,
    stages: StageStore,
    seed: int,
    job: Any,
    resumed: list[str],
    embed: EmbedFn | None = None,
) -> Titled:
    """Titles for every cluster, then categories of clusters with titles of their own.

    ``embed`` (the clustering's embedding model) scores title phrases by closeness to the
    centroid; without it phrases are scored by contrast alone.
    """
    import numpy as np

    started = time.perf_counter()
    num_clusters = int(labels.max()) + 1
    cluster_centroids = centroids(vectors, labels, num_clusters)
    step = max(1, len(texts) // SHARED_TEXT_SAMPLE)
    shared = find_shared_text(texts[::step])
    members = [
        [kept for kept in (shared.strip(text).strip() for text in group) if kept]
        for group in _central_members(vectors, labels, cluster_centroids, texts)
    ]
    sizes = np.bincount(labels, minlength=num_clusters)
    phrases = phrase_titles(
        phrase_candidates([m[:KEYWORD_MEMBERS] for m in members], shared=shared),
        cluster_centroids,
        embed,
        cohesion=cohesion_of(vectors, labels, cluster_centroids),
        sizes=[int(size) for size in sizes],
    )
    notes: list[str] = []
    titles, source = _titles(
        "cluster", members, phrases, cluster_centroids, titler, stages, seed, notes, resumed
    )
    title_seconds = time.perf_counter() - started
    job.advance()

    category_labels, category_probs = group_clusters(cluster_centroids)
    num_categories = int(category_labels.max()) + 1
    category_members: list[list[str]] = [[] for _ in range(num_categories)]
    category_titles_in: list[list[str]] = [[] for _ in range(num_categories)]
    for cluster in sorted(range(num_clusters), key=lambda c: (-sizes[c], c)):
        category = category_labels[cluster]
        # A category is named from its clusters' titles as well as their members.
        category_members[category].append(phrases[cluster].removeprefix("Mixed: "))
        category_members[category].extend(members[cluster][:CATEGORY_MEMBERS])
        category_titles_in[category].append(titles[cluster])
    category_centroids = centroids(cluster_centroids, category_labels, num_categories)
    category_sizes = np.bincount(category_labels, weights=sizes, minlength=num_categories)
    category_phrases = phrase_titles(
        phrase_candidates(category_members, few_groups=True, shared=shared),
        category_centroids,
        embed,
        sizes=[int(size) for size in category_sizes],
    )
    category_titles, _ = _titles(
        "category",
        category_titles_in,
        category_phrases,
        category_centroids,
        titler,
        stages,
        seed,
        notes,
        resumed,
    )
    job.advance()
    return Titled(
        titles, category_labels, category_probs, category_titles, source, notes, title_seconds
    )


def _central_members(
    vectors: npt.NDArray[np.float32],
    labels: npt.NDArray[np.int32],
    cluster_centroids: npt.NDArray[np.float32],
    texts: Sequence[str],
) -> list[list[str]]:
    """Each cluster's distinct texts, most central (closest to the centroid) first."""
    import numpy as np

    similarity = np.einsum("ij,ij->i", vectors, cluster_centroids[labels])
    order = np.lexsort((-similarity, labels))
    bounds = np.cumsum(np.bincount(labels, minlength=len(cluster_centroids)))
    groups: list[list[str]] = []
    start = 0
    for end in bounds:
        seen: dict[str, None] = {}
        for position in order[start:end]:
            text = texts[position].strip()
            if text and text not in seen:
                seen[text] = None
                if len(seen) == KEYWORD_MEMBERS:
                    break
        groups.append(list(seen))
        start = int(end)
    return groups


def _titles(
    what: str,
    members: list[list[str]],
    keywords: list[str],
    group_centroids: npt.NDArray[np.float32],
    titler: Titler,
    stages: StageStore,
    seed: int,
    notes: list[str],
    resumed: list[str],
) -> tuple[list[str], str]:
    config = titler.config(what)
    stored = stages.load_json(f"{what}-titles")
    if stored is not None and stored.get("config") == config:
        notes.extend(stored["notes"])
        resumed.append(f"{what} titles")
        return list(stored["titles"]), str(stored["source"])
    fn = titler.topic_fn if what == "cluster" else titler.category_fn
    fresh_notes: list[str] = []
    if fn is not None:
        titles = [str(fn(list(texts[:FUNCTION_MEMBERS]))) for texts in members]
        source = "function"
    elif titler.llm is not None and titler.llm_failure is None:
        titles, source = _llm(what, members, keywords, group_centroids, titler, seed, fresh_notes)
    elif titler.llm is not None:
        titles, source = list(keywords), "keywords"
        _report(f"the {what} titles are keyword titles: {titler.llm_failure}", fresh_notes)
    else:
        titles, source = list(keywords), "keywords"
    if titler.llm_failure is None:
        stages.save_json(
            f"{what}-titles",
            {"config": config, "titles": titles, "source": source, "notes": fresh_notes},
        )
    notes.extend(fresh_notes)
    return titles, source


def _llm(
    what: str,
    members: list[list[str]],
    keywords: list[str],
    group_centroids: npt.NDArray[np.float32],
    titler: Titler,
    seed: int,
    notes: list[str],
) -> tuple[list[str], str]:
    import numpy as np

    assert titler.llm is not None
    similarity = group_centroids @ group_centroids.T
    np.fill_diagonal(similarity, -np.inf)
    nearby = min(NEARBY_GROUPS, len(members) - 1)
    neighbours = (
        [list(np.argsort(-row)[:nearby]) for row in similarity]
        if nearby > 0
        else [[] for _ in members]
    )
    try:
        outcome = llm_titles(
            titler.llm,
            [m[:LLM_MEMBERS] for m in members],
            keywords,
            neighbours,
            what=what,
            seed=seed,
            examples=[m[0] if m else "" for m in members],
        )
    except ProviderError as error:
        error.add_note(
            "the clustering stages already finished are kept: fix the LLM (or pass "
            "use_llm=False for keyword titles) and rerun to resume from them"
        )
        raise
    if outcome.failure is not None:
        titler.llm_failure = f"{titler.describe()} failed: {outcome.failure}"
        _report(
            f"{len(outcome.fallbacks)} of {len(members)} {what} titles are keyword titles: "
            f"{titler.llm_failure}",
            notes,
        )
    elif outcome.fallbacks:
        _report(
            f"{len(outcome.fallbacks)} of {len(members)} {what} titles are keyword titles: "
            f"{titler.describe()} returned malformed output for them even after re-asking",
            notes,
        )
    source = "llm" if len(outcome.fallbacks) < len(members) else "keywords"
    return outcome.titles, source


def _report(note: str, notes: list[str]) -> None:
    """Say it now (a warning) and keep it in the result's notes."""
    warnings.warn(note, stacklevel=5)
    notes.append(note)
