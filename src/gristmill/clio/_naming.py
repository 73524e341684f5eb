"""Who writes the cluster names: the namer protocol, an LLM namer and an LLM-free one.

The base clusters and the hierarchy (``_base.py``, ``_hierarchy.py``) ask a namer up to four
things, always in batches so the number of LLM calls grows with the number of clusters, never
with the number of conversations:

- ``name_groups``: a name and summary for each group, from samples of its members and the
  nearest texts outside it (the contrast), one answer per draw of samples;
- ``propose_names``: candidate parent names for each neighbourhood of clusters;
- ``merge_names``: one name for each group of near-duplicate proposals;
- ``categorize``: which of the offered parent names fits each cluster (one answer per sample).

A namer answers as it can; the callers validate every answer (empty, duplicated or unknown
names are expected, and handled there), so an adversarial model cannot break the hierarchy.

``LLMNamer`` asks through ``gristmill.llm`` with structured answers and the Clio paper's rules
(no personal information, no proper nouns). ``KeyphraseNamer`` needs no LLM: names are each
group's distinctive phrases contrasted with the other groups (``gristmill.cluster``'s phrase
titler). It only names (``Namer``); the hierarchy groups its levels by embeddings, since the
last three questions need a judge of meaning (``ProposingNamer``).
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from gristmill.clio._privacy import proper_nouns, shareable_phrases
from gristmill.clio._vectors import RunVectors
from gristmill.cluster import phrase_candidates, phrase_titles
from gristmill.embed import EmbeddingModel
from gristmill.errors import ProviderUnreachableError
from gristmill.llm import LLM, Completion, CompletionRequest

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MAX_NAME_CHARS = 80
MAX_SUMMARY_CHARS = 400
TEXT_TOKENS = 120
CONCURRENCY = 4
_RULES = (
    "Do not include any personally identifiable information (names, locations, contact "
    "details) and no proper nouns. Be specific and concise."
)
# Numbers count in a name's key: "Cooking (2)" must differ from "Cooking".
_KEY_WORD = re.compile(r"(?u)[^\W_]+")


@dataclass(frozen=True)
class Named:
    """A cluster's name and summary."""

    name: str
    summary: str

    def text(self) -> str:
        return f"{self.name}: {self.summary}" if self.summary else self.name


@dataclass(frozen=True)
class NamingTask:
    """One group to name. ``draws`` holds one sample of member texts per answer wanted;
    ``contrast`` the nearest texts outside the group; ``texts`` its members, most central
    first; ``centroid`` its unit mean vector when known."""

    draws: list[list[str]]
    contrast: list[str]
    texts: list[str]
    size: int
    centroid: npt.NDArray[np.float32] | None = None


class Namer(Protocol):
    """Writes names and summaries; see the module docstring."""

    @property
    def mode(self) -> str:
        """'llm' or 'extractive' (said in the result)."""
        ...

    @property
    def calls(self) -> int:
        """LLM requests made so far (0 for a namer without an LLM)."""
        ...

    def name_groups(self, tasks: Sequence[NamingTask], *, level: int) -> list[list[Named]]: ...


@runtime_checkable
class ProposingNamer(Namer, Protocol):
    """A namer that can also build a level: propose parents, merge them, assign clusters.
    The hierarchy groups the clusters of a namer without these by their embeddings."""

    def propose_names(
        self, neighbourhoods: Sequence[Sequence[Named]], desired: Sequence[int]
    ) -> list[list[str]]: ...

    def merge_names(self, groups: Sequence[Sequence[str]]) -> list[str]: ...

    def categorize(
        self, children: Sequence[Named], options: Sequence[Sequence[str]], samples: int
    ) -> list[list[str]]: ...


def clean_name(value: Any, limit: int = MAX_NAME_CHARS) -> str:
    """One line, no quotes or list markers; '' for a non-answer."""
    if not isinstance(value, str):
        return ""
    text = " ".join(value.split()).strip(" \"'`*#.:-")
    text = re.sub(r"^(name|category|cluster)(\s*\d+)?\s*[:\-]\s*", "", text, flags=re.I)
    return text[:limit].strip()


def name_key(name: str) -> str:
    """Names equal under this key are the same name ("Cooking help." == "cooking  help")."""
    return " ".join(_KEY_WORD.findall(name.lower()))


def unique_names(names: Sequence[str]) -> list[str]:
    """``names`` with later repeats (same ``name_key``) numbered: "Cooking (2)"."""
    seen: set[str] = set()
    result = []
    for name in names:
        candidate, number = name, 2
        while name_key(candidate) in seen or not name_key(candidate):
            candidate = f"{name or 'Unnamed'} ({number})"
            number += 1
        seen.add(name_key(candidate))
        result.append(candidate)
    return result


def pick_medoid(candidates: Sequence[Named], embed: EmbeddingModel | None = None) -> Named | None:
    """The answer most similar to all the others (by ``embed``, else by shared words); the
    first on ties. None without answers."""
    import numpy as np

    if len(candidates) <= 2:
        return candidates[0] if candidates else None
    if embed is not None:
        vectors = embed.embed([c.text() for c in candidates])
        similarity = np.asarray(vectors @ vectors.T, dtype=np.float64)
    else:
        words = [set(name_key(c.text()).split()) for c in candidates]
        similarity = np.array(
            [[len(a & b) / max(len(a | b), 1) for b in words] for a in words], dtype=np.float64
        )
    totals = np.round(similarity.sum(axis=1), 6)
    return candidates[int(np.argmax(totals))]


# -- the LLM namer ----------------------------------------------------------------------------


# No docstrings on the answer models: pydantic shows them to the model, which may copy them.
class GroupAnswer(BaseModel):
    summary: str = Field(description="two sentences, in the past tense, on what the group shares")
    name: str = Field(description="a short, specific name of at most ten words")


class ProposedAnswer(BaseModel):
    names: list[str] = Field(description="the higher-level category names")


class MergedAnswer(BaseModel):
    name: str = Field(description="one name that covers every listed name")


class CategoryAnswer(BaseModel):
    category: str = Field(description="exactly one of the listed category names")


class LLMNamer:
    """Names through an LLM. ``criteria`` is the facet's ``summaryCriteria``; ``seed`` varies
    the draws so repeated samples are different answers (and each is cached)."""

    mode = "llm"

    def __init__(
        self,
        llm: LLM,
        *,
        criteria: str | None = None,
        seed: int = 27,
        temperature: float | None = None,
        sampling: Mapping[str, Any] | None = None,
    ) -> None:
        self.llm = llm
        self.criteria = criteria or ""
        self.seed = seed
        # Repeated draws only differ when sampled: OpenClio samples at 0.7
        # (``llmExtraInferenceArgs``); None keeps the LLM's own setting. ``sampling`` is a
        # run's ``OpenClioConfig.sampling()`` (top_p, top_k, template arguments, ...).
        self.sampling = {k: v for k, v in (sampling or {}).items() if k != "seed"}
        if temperature is not None:
            self.sampling["temperature"] = temperature
        self.temperature = self.sampling.get("temperature")
        self._calls = 0
        self._lock = threading.Lock()

    @property
    def calls(self) -> int:
        return self._calls

    def name_groups(self, tasks: Sequence[NamingTask], *, level: int) -> list[list[Named]]:
        what = "statements" if level == 0 else "cluster names"
        requests: list[CompletionRequest] = []
        owners: list[int] = []
        for index, task in enumerate(tasks):
            for draw, sample in enumerate(task.draws):
                requests.append(
                    self._request(self._group_prompt(sample, task.contrast, what), draw)
                )
                owners.append(index)
        answers = self._ask(requests, GroupAnswer)
        result: list[list[Named]] = [[] for _ in tasks]
        for owner, answer in zip(owners, answers, strict=True):
            if isinstance(answer, GroupAnswer):
                name = clean_name(answer.name)
                if name:
                    summary = clean_name(answer.summary, MAX_SUMMARY_CHARS)
                    result[owner].append(Named(name, summary))
        return result

    def propose_names(
        self, neighbourhoods: Sequence[Sequence[Named]], desired: Sequence[int]
    ) -> list[list[str]]:
        requests = [
            self._request(self._propose_prompt(members, wanted), 0)
            for members, wanted in zip(neighbourhoods, desired, strict=True)
        ]
        answers = self._ask(requests, ProposedAnswer)
        return [
            [clean_name(n) for n in a.names] if isinstance(a, ProposedAnswer) else []
            for a in answers
        ]

    def merge_names(self, groups: Sequence[Sequence[str]]) -> list[str]:
        requests = [self._request(self._merge_prompt(names), 0) for names in groups]
        answers = self._ask(requests, MergedAnswer)
        return [clean_name(a.name) if isinstance(a, MergedAnswer) else "" for a in answers]

    def categorize(
        self, children: Sequence[Named], options: Sequence[Sequence[str]], samples: int
    ) -> list[list[str]]:
        requests: list[CompletionRequest] = []
        owners: list[int] = []
        for index, (child, offered) in enumerate(zip(children, options, strict=True)):
            for draw in range(samples):
                # The order of the options is shuffled per draw: the majority over draws then
                # cancels the model's bias for the first (or last) option shown.
                shuffled = list(offered)
                random.Random(f"{self.seed}:{index}:{draw}").shuffle(shuffled)
                requests.append(self._request(self._categorize_prompt(child, shuffled), draw))
                owners.append(index)
        answers = self._ask(requests, CategoryAnswer)
        result: list[list[str]] = [[] for _ in children]
        for owner, answer in zip(owners, answers, strict=True):
            result[owner].append(
                clean_name(answer.category) if isinstance(answer, CategoryAnswer) else ""
            )
        return result

    # -- prompts and calls ------------------------------------------------------------------

    def _short(self, text: str) -> str:
        return self.llm.truncate(" ".join(text.split()), TEXT_TOKENS)

    def _criteria_line(self) -> str:
        return f"The name and summary should be about: {self.criteria}\n" if self.criteria else ""

    def _group_prompt(self, sample: Sequence[str], contrast: Sequence[str], what: str) -> str:
        inside = "\n".join(f"<item>{self._short(t)}</item>" for t in sample)
        outside = "\n".join(f"<item>{self._short(t)}</item>" for t in contrast)
        return (
            f"Here are {what} that belong to one group:\n<group>\n{inside}\n</group>\n\n"
            f"For contrast, here are nearby {what} that are NOT in the group:\n"
            f"<contrast>\n{outside}\n</contrast>\n\n"
            "Write a two-sentence summary of what the group shares and that sets it apart from "
            "the contrast, then a short name for the group (at most ten words, an imperative "
            f"sentence such as 'Help debug Python web servers').\n{self._criteria_line()}{_RULES}"
        )

    def _propose_prompt(self, members: Sequence[Named], wanted: int) -> str:
        listed = "\n".join(f"<cluster>{self._short(m.text())}</cluster>" for m in members)
        return (
            f"Here are clusters of related conversations:\n{listed}\n\n"
            f"Propose about {wanted} broader category names so that every cluster fits one "
            "of them. Each name is at most ten words, specific enough to be meaningful and "
            f"broad enough to hold several clusters.\n{self._criteria_line()}{_RULES}"
        )

    def _merge_prompt(self, names: Sequence[str]) -> str:
        listed = "\n".join(f"- {self._short(name)}" for name in names)
        return (
            f"These category names mean nearly the same thing:\n{listed}\n\n"
            f"Write one name of at most ten words that covers all of them.\n{_RULES}"
        )

    def _categorize_prompt(self, child: Named, options: Sequence[str]) -> str:
        listed = "\n".join(f"<category>{name}</category>" for name in options)
        return (
            f"Categorize this cluster:\n<cluster>{self._short(child.text())}</cluster>\n\n"
            f"into exactly one of these categories:\n{listed}\n\n"
            "Answer with the category's name copied exactly."
        )

    def _request(self, prompt: str, draw: int) -> CompletionRequest:
        return CompletionRequest(prompt=prompt, seed=self.seed + draw, **self.sampling)

    def _ask(self, requests: Sequence[CompletionRequest], answer: type[BaseModel]) -> list[Any]:
        """The parsed answers in order; None where the model failed to answer well."""
        with self._lock:
            self._calls += len(requests)
        results = self.llm.complete_batch(
            requests, response_format=answer, concurrency=CONCURRENCY, return_exceptions=True
        )
        parsed: list[Any] = []
        for result in results:
            if isinstance(result, ProviderUnreachableError):
                raise result  # the address or the server needs fixing; a rerun resumes
            parsed.append(result.parsed if isinstance(result, Completion) else None)
        return parsed


# -- the LLM-free namer -----------------------------------------------------------------------


SUMMARY_PHRASES = 5


class KeyphraseNamer:
    """Names from distinctive phrases, no LLM. ``embed`` (optional) makes titles prefer phrases
    close to the group's centroid."""

    mode = "extractive"
    calls = 0

    def __init__(self, embed: EmbeddingModel | None = None) -> None:
        # With a memory, phrases that recur across groups and levels are embedded once, and
        # each level's phrases can go to the model in one batched call (below).
        self.embed: EmbeddingModel | None = (
            embed if embed is None or isinstance(embed, RunVectors) else RunVectors(embed)
        )

    def name_groups(self, tasks: Sequence[NamingTask], *, level: int) -> list[list[Named]]:
        import numpy as np

        groups = [task.texts for task in tasks]
        candidates = phrase_candidates(groups, few_groups=level > 0 and len(groups) <= 30)
        if level == 0:
            # Only phrases two of a cluster's conversations share and that name no one (the
            # paper's rules, which an LLM is told and key phrases must be made to keep). Above
            # the base level the texts are the children's names, which kept them already.
            candidates = [
                shareable_phrases(found, task.texts, proper_nouns(task.texts))
                for found, task in zip(candidates, tasks, strict=True)
            ]
        centroids = [task.centroid for task in tasks]
        have_centroids = self.embed is not None and all(c is not None for c in centroids)
        if have_centroids and self.embed is not None:
            # phrase_titles embeds one group's ~24 short phrases per call, and on a CPU each
            # call's fixed cost then outweighs the phrases': one call for all is ~3x faster.
            self.embed.embed(list(dict.fromkeys(p for group in candidates for p, _ in group)))
        titles = phrase_titles(
            candidates,
            np.stack([c for c in centroids if c is not None]) if have_centroids else None,
            self.embed.embed if have_centroids and self.embed is not None else None,
            sizes=[task.size for task in tasks],
        )
        return [
            [Named(title, _phrases_summary(task.texts, found, level))]
            for title, task, found in zip(titles, tasks, candidates, strict=True)
        ]


def _phrases_summary(texts: Sequence[str], phrases: Sequence[tuple[str, float]], level: int) -> str:
    """A base cluster's summary is its shared phrases, never a quote: a conversation's own
    words could point at the person who wrote them."""
    if level == 0:
        shown = [phrase for phrase, _ in phrases[:SUMMARY_PHRASES]]
        return "About " + "; ".join(shown) + "." if shown else ""
    # Above level 0 the texts are "name: summary" of the children; their names say enough.
    names = [t.split(": ", 1)[0] for t in texts[:3] if t.strip()]
    return "Includes " + "; ".join(names) + "." if names else ""
