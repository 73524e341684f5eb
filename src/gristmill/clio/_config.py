"""OpenClio's configuration and facets, with OpenClio's names, meanings and defaults.

``Facet`` and ``OpenClioConfig`` keep the camelCase field names of OpenClio's
``opencliotypes`` module (its documented ``OpenClioConfig``) so an OpenClio script ports by
changing its import; each field also reads under its snake_case name
(``config.llm_batch_size``). Where OpenClio's documentation and code disagree, its code wins
(``nDesiredHigherLevelNamesPerClusterFunc`` is ``max(1, n // 3)``, not ``n // 2``).
"""

# OpenClio's camelCase names are the API the issue asks for, so naming rules give way here.
# ruff: noqa: N802, N815, N816

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gristmill.clio import _prompts
from gristmill.errors import InvalidInputError

# (tokenizer, facet, data point, config) -> prompt, as in OpenClio. Gristmill has no tokenizer
# object to hand over (each LLM provider applies its own chat template): the first argument is
# the gristmill LLM client, whose count_tokens/truncate serve the same purpose.
FacetPromptFn = Callable[[Any, "Facet", Any, "OpenClioConfig"], "str | list[dict[str, str]]"]


@dataclass(frozen=True)
class Facet:
    """One question asked of every conversation.

    ``name``: plain-text name; ``question``: what we ask about the data; ``prefill``: how the
    answer starts (answers are stored starting with it); ``summaryCriteria``: how cluster names
    should read, and None means no hierarchy is built for this facet; ``numeric``: None, or
    ``(min, max)`` when the answer is a whole number in that range; ``getFacetPrompt``: a
    function writing this facet's own prompt (such a facet gets a call of its own), None for the
    shared one-call prompt.
    """

    name: str
    question: str = ""
    prefill: str = ""
    summaryCriteria: str | None = None
    numeric: tuple[int, int] | None = None
    getFacetPrompt: FacetPromptFn | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInputError(
                "a facet needs a non-empty name", hint="e.g. Facet(name='Topic', question=...)"
            )
        if self.numeric is not None:
            low, high = _numeric_range(self.name, self.numeric)
            object.__setattr__(self, "numeric", (low, high))

    @property
    def summary_criteria(self) -> str | None:
        return self.summaryCriteria

    @property
    def get_facet_prompt(self) -> FacetPromptFn | None:
        return self.getFacetPrompt


def _numeric_range(name: str, numeric: object) -> tuple[int, int]:
    bad = InvalidInputError(
        f"facet {name!r}: numeric must be None or (min, max) whole numbers, got {numeric!r}",
        hint="e.g. numeric=(1, 5)",
    )
    if not isinstance(numeric, tuple | list) or len(numeric) != 2:
        raise bad
    low, high = numeric
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)) or low > high:
        raise bad
    return int(low), int(high)


def shouldMakeFacetClusters(facet: Facet) -> bool:
    """True when a cluster hierarchy is built for ``facet`` (it has ``summaryCriteria``)."""
    return facet.summaryCriteria is not None


should_make_facet_clusters = shouldMakeFacetClusters


# Defaults as named functions, not lambdas: a config is part of a run's fingerprint, and a named
# function is the same in every process.
def same_data(data: Any) -> Any:
    """The default ``getConversationFunc``: each data point is the conversation."""
    return data


def ten_per_base_cluster(n: int) -> int:
    """The default ``nBaseClustersFunc``: ``n // 10``."""
    return n // 10


def ten_per_neighborhood(n: int) -> int:
    """The default ``nAverageClustersPerNeighborhood``: ``max(1, n // 10)``."""
    return max(1, n // 10)


def a_third_as_many_names(n: int) -> int:
    """The default ``nDesiredHigherLevelNamesPerClusterFunc``: ``max(1, n // 3)``."""
    return max(1, n // 3)


def _default_tokenizer_args() -> dict[str, Any]:
    return {"enable_thinking": False}


def _default_inference_args() -> dict[str, Any]:
    # OpenClio's defaults: Qwen's recommended non-thinking sampling.
    return {"max_tokens": 1000, "temperature": 0.7, "top_p": 0.8, "top_k": 20, "min_p": 0.0}


@dataclass
class OpenClioConfig:
    """Configuration of a Clio run: every field of OpenClio's ``OpenClioConfig``.

    General: ``seed`` (runs are deterministic), ``verbose`` (progress bars), ``llmBatchSize``
    (conversations sent per batch of LLM calls), ``embedBatchSize``, ``dedupData``,
    ``dedupKeyFunc`` (data point -> key; None: the conversation's text).
    Facets and base clusters: ``getConversationFunc`` (data point -> conversation),
    ``maxConversationTokens`` (conversations are cut at a turn boundary to fit),
    ``nBaseClustersFunc``, ``maxPointsToSampleInsideCluster``,
    ``maxPointsToSampleOutsideCluster``, ``nNameDescriptionSamplesPerCluster``.
    Hierarchy: ``minTopLevelSize``, ``nAverageClustersPerNeighborhood``,
    ``nSamplesOutsideNeighborhood``, ``nDesiredHigherLevelNamesPerClusterFunc``,
    ``nCategorizeSamples``, ``maxChildrenForRenaming``, ``nRenameSamples``.
    LLM: ``tokenizerArgs`` (chat-template arguments such as ``enable_thinking``, for providers
    that apply the template: an OpenAI-compatible server other than OpenAI's own, as vLLM's
    ``chat_template_kwargs``, and a Hugging Face model), ``llmExtraInferenceArgs`` (sampling:
    ``temperature``, ``max_tokens`` and ``top_p`` go to every provider, ``top_k`` and ``min_p``
    to all but OpenAI's own API, which refuses them).
    Site: ``password``, ``htmlMaxSizePerFile``, ``htmlConversationFilterFunc``,
    ``htmlDataToJsonFunc``, ``webuiPort``.

    Gristmill's privacy fields (OpenClio has prompt rules only): ``minClusterConversations``,
    the fewest distinct conversations a cluster must hold to be shown by name in a view or an
    export (smaller ones are folded into "Other"; 1 shows all; the stored columns keep the
    truth); ``scrubPII``, personal data in facet texts and cluster names replaced by its kind
    (``[EMAIL]``) wherever they are shown; ``privacyAuditThreshold``, with an LLM, the lowest
    score (1-5, the Clio paper's privacy auditor) a cluster name may have to be shown.
    """

    seed: int = 27
    verbose: bool = True
    llmBatchSize: int = 1000
    embedBatchSize: int = 1000
    dedupData: bool = True
    dedupKeyFunc: Callable[[Any], Any] | None = None
    getConversationFunc: Callable[[Any], Any] = same_data
    maxConversationTokens: int = 8000
    nBaseClustersFunc: Callable[[int], int] = ten_per_base_cluster
    maxPointsToSampleInsideCluster: int = 10
    maxPointsToSampleOutsideCluster: int = 10
    nNameDescriptionSamplesPerCluster: int = 5
    minTopLevelSize: int = 5
    nAverageClustersPerNeighborhood: Callable[[int], int] = ten_per_neighborhood
    nSamplesOutsideNeighborhood: int = 5
    nDesiredHigherLevelNamesPerClusterFunc: Callable[[int], int] = a_third_as_many_names
    nCategorizeSamples: int = 5
    maxChildrenForRenaming: int = 10
    nRenameSamples: int = 5
    tokenizerArgs: dict[str, Any] = field(default_factory=_default_tokenizer_args)
    llmExtraInferenceArgs: dict[str, Any] = field(default_factory=_default_inference_args)
    password: str | None = None
    htmlMaxSizePerFile: int = 10 * 2**20
    htmlConversationFilterFunc: Callable[[Any, Any], bool] | None = None
    htmlDataToJsonFunc: Callable[[Any], list[dict[str, str]]] | None = None
    webuiPort: int = 8421
    minClusterConversations: int = 5
    scrubPII: bool = True
    privacyAuditThreshold: int = 3

    def __post_init__(self) -> None:
        for name in _POSITIVE:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidInputError(
                    f"OpenClioConfig.{name} must be a whole number of at least 1, got {value!r}",
                    hint=f"e.g. OpenClioConfig({name}={getattr(OpenClioConfig, name)})",
                )
        for name in _NON_NEGATIVE:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidInputError(
                    f"OpenClioConfig.{name} must be a whole number of at least 0, got {value!r}",
                    hint=f"e.g. OpenClioConfig({name}={getattr(OpenClioConfig, name)})",
                )
        for name in _CALLABLE:
            value = getattr(self, name)
            if value is not None and not callable(value):
                raise InvalidInputError(
                    f"OpenClioConfig.{name} must be a function, got {type(value).__name__}",
                    hint="pass a function (a def or a lambda)",
                )
        if not 1 <= self.privacyAuditThreshold <= 5:
            raise InvalidInputError(
                "OpenClioConfig.privacyAuditThreshold must be a score from 1 to 5,"
                f" got {self.privacyAuditThreshold!r}",
                hint="e.g. privacyAuditThreshold=3 (1 shows every name)",
            )
        if not 0 < self.webuiPort < 65536:
            raise InvalidInputError(
                f"OpenClioConfig.webuiPort must be a TCP port, got {self.webuiPort!r}",
                hint="e.g. webuiPort=8421",
            )

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not fields: snake_case reads of camelCase fields.
        camel = _SNAKE_TO_CAMEL.get(name)
        if camel is None:
            raise AttributeError(f"OpenClioConfig has no field {name!r}")
        return getattr(self, camel)

    def sampling(self) -> dict[str, Any]:
        """The arguments of every LLM call of a run (``gristmill.llm.CompletionRequest``
        fields): the seed, ``llmExtraInferenceArgs`` it knows, and ``tokenizerArgs``."""
        extra = self.llmExtraInferenceArgs
        chosen: dict[str, Any] = {"seed": self.seed}
        for name, kind in (("temperature", float), ("top_p", float), ("min_p", float)):
            if isinstance(extra.get(name), int | float) and not isinstance(extra[name], bool):
                chosen[name] = kind(extra[name])
        for name in ("max_tokens", "top_k"):
            if isinstance(extra.get(name), int) and not isinstance(extra[name], bool):
                chosen[name] = extra[name]
        if self.tokenizerArgs:
            chosen["template_args"] = dict(self.tokenizerArgs)
        return chosen

    def replace(self, **changes: Any) -> OpenClioConfig:
        """A copy with ``changes`` applied; keys in camelCase or snake_case."""
        fields = {_SNAKE_TO_CAMEL.get(key, key): value for key, value in changes.items()}
        unknown = sorted(set(fields) - set(_FIELD_NAMES))
        if unknown:
            raise InvalidInputError(
                f"OpenClioConfig has no field {', '.join(unknown)}",
                hint=f"fields: {', '.join(_FIELD_NAMES)}",
            )
        return dataclasses.replace(self, **fields)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(OpenClioConfig))
_SNAKE_TO_CAMEL = {_snake(name): name for name in _FIELD_NAMES if _snake(name) != name}
_POSITIVE = (
    "llmBatchSize",
    "embedBatchSize",
    "maxConversationTokens",
    "maxPointsToSampleInsideCluster",
    "nNameDescriptionSamplesPerCluster",
    "minTopLevelSize",
    "nCategorizeSamples",
    "maxChildrenForRenaming",
    "nRenameSamples",
    "htmlMaxSizePerFile",
    "minClusterConversations",
)
_NON_NEGATIVE = ("seed", "maxPointsToSampleOutsideCluster", "nSamplesOutsideNeighborhood")
_CALLABLE = (
    "dedupKeyFunc",
    "getConversationFunc",
    "nBaseClustersFunc",
    "nAverageClustersPerNeighborhood",
    "nDesiredHigherLevelNamesPerClusterFunc",
    "htmlConversationFilterFunc",
    "htmlDataToJsonFunc",
)


mainFacets: list[Facet] = [
    Facet(
        name="Request",
        question=_prompts.REQUEST_QUESTION,
        prefill=_prompts.REQUEST_PREFILL,
        summaryCriteria=_prompts.REQUEST_CRITERIA,
    ),
    Facet(name="Language", question=_prompts.LANGUAGE_QUESTION),
    Facet(
        name="Task",
        question=_prompts.TASK_QUESTION,
        prefill=_prompts.TASK_PREFILL,
        summaryCriteria=_prompts.TASK_CRITERIA,
    ),
    Facet(name="Concerning", question=_prompts.CONCERNING_QUESTION, numeric=(1, 5)),
]
"""The Clio paper's four facets: the request and the task get a hierarchy; the language and the
concerning score (1-5) are values to filter and count by."""

genericSummaryFacets: list[Facet] = [
    Facet(
        name="Summary",
        question=_prompts.SUMMARY_QUESTION,
        summaryCriteria=_prompts.SUMMARY_CRITERIA,
    ),
]
"""One facet for data that is not a conversation: a one-sentence summary of each data point."""

main_facets = mainFacets
generic_summary_facets = genericSummaryFacets
