"""Facets: what each conversation is about, in one LLM call per conversation or without an LLM.

OpenClio asks each facet in a call of its own (four calls per conversation for the main
facets). Here every facet of a conversation is one field of one structured answer: a JSON object
checked by the LLM client (``complete_batch(..., response_format=...)``, re-asked when it is not
valid JSON or lacks a key). Numeric facets are then checked against their range: an answer out of
range, or not a number, becomes None and is counted, and the conversation's other facets are
kept. A facet with its own ``getFacetPrompt`` cannot share the call and gets one of its own.

With ``llm=None`` the facets come from extractors instead (``_extractive``): no model, no GPU,
and the result says which mode ran.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema, create_model

from gristmill.clio import _prompts
from gristmill.clio._config import Facet, OpenClioConfig, mainFacets
from gristmill.clio._conversations import (
    PreparedConversations,
    conversation_text,
    data_text,
    prepare_conversations,
)
from gristmill.clio._extractive import CONCERNING_EMBEDDING, extract_without_llm
from gristmill.embed import EmbeddingModel
from gristmill.errors import InvalidInputError, ProviderError, ProviderUnreachableError
from gristmill.llm import LLM, Completion, CompletionRequest, get_llm

FacetValue = str | int | None
FacetMode = Literal["llm", "extractive"]

# Calls in flight at once: enough to keep a remote server busy; a local model serialises them.
CONCURRENCY = 8
_LEADING_NUMBER = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?")


@dataclass
class FacetResult:
    """Each facet's value per data point, aligned with the input, and how they were obtained.

    ``values[name][i]`` is facet ``name`` of data point ``i`` (a duplicate gets the value of its
    first occurrence); ``mode`` is ``'llm'`` or ``'extractive'``; ``calls`` counts requests to
    the LLM client (cached ones and re-asks included); ``failures`` counts calls that failed
    after the client's re-asks (the facets they were to answer are None); ``out_of_range`` and
    ``unparsable`` count numeric answers outside their range and answers that were not a number.
    """

    facets: list[Facet]
    values: dict[str, list[FacetValue]]
    mode: FacetMode
    distinct: int = 0
    calls: int = 0
    failures: int = 0
    out_of_range: dict[str, int] = field(default_factory=dict)
    unparsable: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, facet: str) -> list[FacetValue]:
        return self.values[facet]

    def __len__(self) -> int:
        return len(next(iter(self.values.values()), []))

    @property
    def calls_per_conversation(self) -> float:
        """LLM calls per distinct data point (0 in the extractive mode)."""
        return self.calls / self.distinct if self.distinct else 0.0


def extract_facets(
    data: Sequence[Any],
    facets: Sequence[Facet] | None = None,
    config: OpenClioConfig | None = None,
    llm: LLM | str | None = None,
    *,
    show_progress: bool | None = None,
    extractive_embedding: str = CONCERNING_EMBEDDING,
    shared_embedding: EmbeddingModel | None = None,
    prepared: PreparedConversations | None = None,
) -> FacetResult:
    """Every facet of every data point: one structured LLM call per distinct conversation, or,
    with ``llm=None``, the LLM-free extractors.

    ``data`` is any sequence of data points; ``config.getConversationFunc`` turns each into a
    conversation, duplicates are answered once (``dedupData``), and long conversations are cut
    to ``maxConversationTokens``. ``llm`` is an LLM client or a model address (``'local'``,
    ``'openai/gpt-4o-mini'``). ``show_progress`` defaults to ``config.verbose``.
    ``extractive_embedding`` is the embedding the LLM-free concerning score reads
    (``'wordllama'`` is about 70 times faster than the default, and less accurate).
    ``shared_embedding``: the run's own embedding model, ideally one that remembers its vectors
    (``RunVectors``); the concerning score embeds with it when it has the same weights as
    ``extractive_embedding``, so a first turn that is also the Request facet's value is
    embedded once for both the score and the clustering.
    ``prepared``: ``prepare_conversations(data, config)`` when the caller already has it.
    """
    facets = list(mainFacets if facets is None else facets)
    config = config if config is not None else OpenClioConfig()
    _check_facets(facets)
    prepared = prepared if prepared is not None else prepare_conversations(data, config)
    if llm is None:
        found = extract_without_llm(
            facets,
            prepared.data,
            prepared.conversations,
            embedding=extractive_embedding,
            shared=shared_embedding,
        )
        result = FacetResult(facets, found, "extractive", distinct=len(prepared.data))
    else:
        client = get_llm(llm) if isinstance(llm, str) else llm
        progress = config.verbose if show_progress is None else show_progress
        result = _ask_llm(facets, prepared, config, client, progress)
    result.values = {
        name: [values[position] for position in prepared.source]
        for name, values in result.values.items()
    }
    return result


def _check_facets(facets: list[Facet]) -> None:
    if not facets:
        raise InvalidInputError("no facets to extract", hint="e.g. facets=gm.clio.mainFacets")
    names = [f.name for f in facets]
    if not all(isinstance(f, Facet) for f in facets) or len(set(names)) != len(names):
        raise InvalidInputError(
            "facets must be Facet objects with distinct names",
            hint="e.g. [Facet(name='Topic', question='What is the topic?')]",
        )


def response_model(facets: Sequence[Facet]) -> tuple[type[BaseModel], dict[str, str]]:
    """The structured answer for ``facets``: one JSON key per facet, and the key of each facet.

    Fields accept any JSON value, so an off answer to one facet (``"three"`` on a 1-5 scale) is
    counted and dropped here rather than failing the whole call; the schema still tells the
    model (and constrained decoding) the type and range wanted.
    """
    keys = facet_keys(facets)
    fields: dict[str, Any] = {}
    for index, facet in enumerate(facets):
        schema: dict[str, Any] = {"description": facet.question or facet.name}
        if facet.numeric is not None:
            schema |= {"type": "integer", "minimum": facet.numeric[0], "maximum": facet.numeric[1]}
        else:
            schema["type"] = "string"
        kind = Annotated[Any, WithJsonSchema(schema)]
        fields[f"facet_{index}"] = (kind, Field(alias=keys[facet.name]))
    model: type[BaseModel] = create_model("ConversationFacets", **fields)
    return model, keys


def facet_keys(facets: Sequence[Facet]) -> dict[str, str]:
    """A distinct snake_case JSON key per facet name (``'Concerning'`` -> ``'concerning'``)."""
    keys: dict[str, str] = {}
    for facet in facets:
        base = re.sub(r"\W+", "_", facet.name.strip().lower()).strip("_") or "facet"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = f"facet_{base}"
        key, number = base, 2
        while key in keys.values():
            key, number = f"{base}_{number}", number + 1
        keys[facet.name] = key
    return keys


def _ask_llm(
    facets: list[Facet],
    prepared: PreparedConversations,
    config: OpenClioConfig,
    llm: LLM,
    show_progress: bool,
) -> FacetResult:
    shared = [f for f in facets if f.getFacetPrompt is None]
    own = [f for f in facets if f.getFacetPrompt is not None]
    result = FacetResult(
        facets,
        {f.name: [None] * len(prepared.data) for f in facets},
        "llm",
        distinct=len(prepared.data),
        out_of_range=dict.fromkeys((f.name for f in facets if f.numeric is not None), 0),
        unparsable=dict.fromkeys((f.name for f in facets if f.numeric is not None), 0),
    )
    jobs: list[tuple[Callable[[int], CompletionRequest], Callable[[int, Any], None]]] = []
    if shared:
        model, keys = response_model(shared)
        aliases = {name: f"facet_{i}" for i, name in enumerate(keys)}

        def shared_request(index: int) -> CompletionRequest:
            return _shared_request(shared, keys, prepared, index, config, model)

        def take_shared(index: int, completion: Any) -> None:
            for facet in shared:
                raw = getattr(completion.parsed, aliases[facet.name])
                result.values[facet.name][index] = _value(facet, raw, result)

        jobs.append((shared_request, take_shared))
    for facet in own:
        jobs.append(_own_job(facet, prepared, config, llm, result))
    before = llm.usage().calls
    bar = _progress(len(prepared.data) * len(jobs), show_progress)
    try:
        for make_request, take in jobs:
            for start in range(0, len(prepared.data), config.llmBatchSize):
                positions = range(start, min(start + config.llmBatchSize, len(prepared.data)))
                answers = llm.complete_batch(
                    [make_request(i) for i in positions],
                    concurrency=CONCURRENCY,
                    return_exceptions=True,
                    on_result=(lambda _i, _r: bar.update(1)) if bar is not None else None,
                )
                for index, answer in zip(positions, answers, strict=True):
                    if isinstance(answer, ProviderUnreachableError):
                        raise answer  # no server to answer: not a bad answer to count
                    if isinstance(answer, ProviderError):
                        result.failures += 1
                    else:
                        take(index, answer)
    finally:
        if bar is not None:
            bar.close()
    result.calls = llm.usage().calls - before
    return result


def _shared_request(
    facets: list[Facet],
    keys: dict[str, str],
    prepared: PreparedConversations,
    index: int,
    config: OpenClioConfig,
    model: type[BaseModel],
) -> CompletionRequest:
    conversation = prepared.conversations[index]
    text = (
        conversation_text(conversation)
        if conversation is not None
        else data_text(prepared.data[index])
    )
    prompt = _prompts.facet_questions_prompt(
        text,
        is_conversation=conversation is not None,
        questions=[(keys[f.name], f.question, f.prefill, f.numeric) for f in facets],
    )
    return CompletionRequest(
        prompt=prompt,
        response_format=model,
        system_prompt=_prompts.SYSTEM_PROMPT,
        **_sampling(config),
    )


def _own_job(
    facet: Facet,
    prepared: PreparedConversations,
    config: OpenClioConfig,
    llm: LLM,
    result: FacetResult,
) -> tuple[Callable[[int], CompletionRequest], Callable[[int, Any], None]]:
    """A facet with its own prompt function: one free-text call per data point."""
    prompt_fn = facet.getFacetPrompt
    assert prompt_fn is not None

    def make_request(index: int) -> CompletionRequest:
        prompt = prompt_fn(llm, facet, prepared.data[index], config)
        return CompletionRequest(prompt=prompt, **_sampling(config))

    def take(index: int, completion: Completion) -> None:
        result.values[facet.name][index] = _value(facet, completion.text, result)

    return make_request, take


def _sampling(config: OpenClioConfig) -> dict[str, Any]:
    return config.sampling()


def _value(facet: Facet, raw: Any, result: FacetResult) -> FacetValue:
    if facet.numeric is not None:
        number = parse_number(raw)
        if number is None:
            result.unparsable[facet.name] += 1
            return None
        low, high = facet.numeric
        if not low <= number <= high:
            result.out_of_range[facet.name] += 1
            return None
        return number
    return _text(facet, raw)


def parse_number(raw: Any) -> int | None:
    """A whole number from an answer (``4``, ``4.0``, ``"4"``, ``"4 - very concerning"``)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str):
        match = _LEADING_NUMBER.match(raw)
        if match is not None:
            value = float(match.group())
            return int(value) if value.is_integer() else None
    return None


def _text(facet: Facet, raw: Any) -> str | None:
    if raw is None or isinstance(raw, dict | list):
        return None
    text = " ".join(str(raw).split())
    if not text:
        return None
    prefill = facet.prefill.strip()
    if prefill and text.rstrip(" .…").lower() == prefill.lower():
        return None  # the prefill alone ("The task is to..."), as small models echo it
    if prefill and not text.lower().startswith(prefill.lower()):
        # Stored starting with the prefill, as OpenClio's answers do: "The task is to ..."
        lower_first = len(text) > 1 and text[1].islower()
        text = f"{prefill} {text[0].lower() + text[1:] if lower_first else text}"
    return text


def _progress(total: int, show: bool) -> Any:
    if not show or total == 0:
        return None
    import sys

    from tqdm import tqdm

    return tqdm(total=total, desc="clio facets", file=sys.stderr, dynamic_ncols=True)
