"""Generating training examples from class descriptions, as the seed's three-step pipeline:

1. summaries: short (at most 10 words) descriptions of examples, from the class description and
   a few examples the class already has;
2. diversification: each batch of summaries is handed back with a request for *substantially
   different* ones (the seed found this beats raising the temperature);
3. expansion: each summary becomes a complete example consistent with the description.

Every step is one ``complete_batch`` across all classes (structured output, validated and
re-asked by the LLM layer), so a class never waits for another. Every answer is cached by the
LLM layer under a key that includes the prompt and seed, so a rerun after a crash or with a
larger count pays only for what is new: the job resumes from the cache. Repeats are dropped
(``_dedup``) and rounds continue until each class has its count or ``max_rounds`` is reached.

Two guards, because a small LLM (the embedded SmolLM2) took 5-10 minutes for two classes and
wrote junk ("[[1]", "5, 5, 5, 5, 5") or examples of the wrong class:

- a time budget: calls go out in small chunks and none is started once the budget is spent;
  the report says so (``stopped_early``, ``skipped_calls``);
- a fit check (``_fit``): a generated example is kept only if it is closer to its own class's
  reference (the description's embedding, or the mean of a data-only class's real examples)
  than to every other class's, by ``fit_margin`` in cosine.
"""

from __future__ import annotations

import math
import random
import time
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from gristmill import jobs  # names load on first use: importing this needs no SQLAlchemy
from gristmill.classify._dedup import diversity, drop_duplicates, embed_missing
from gristmill.classify._examples import ExampleSet
from gristmill.classify._reports import ClassGeneration, GenerationReport
from gristmill.errors import ProviderError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gristmill.embed import EmbeddingModel
    from gristmill.llm import LLM, CompletionRequest

SUMMARIES_PER_CALL = 5
MAX_HISTORY = 5
MAX_EXAMPLE_CHARS = 300
SUMMARY_TEMPERATURE = 0.8
EXPANSION_TEMPERATURE = 0.5
# Calls per complete_batch: the budget is checked between chunks, so a chunk is what it can
# overrun by (a few calls), while a server still gets several calls at once.
CALLS_PER_CHUNK = 4
# Marks a call not made because the time budget ran out (None marks a failed one).
_SKIPPED: Any = object()

_RULE = "----------------------------------------\n"
_GENERATOR_SYSTEM = (
    "You are a domain expert who is able to generate many different examples given a description."
)
_MODIFIER_SYSTEM = (
    "You are a domain expert who is able to clearly understand these descriptions and modify"
    " them to be more diverse."
)
_EXPANDER_SYSTEM = (
    "You are a domain expert who is able to clearly understand this description and expand to a"
    " complete example from a short summary."
)


class ExampleSummaries(BaseModel):
    """Short descriptions of examples (the answer to steps 1 and 2)."""

    examples: list[str] = Field(min_length=1, max_length=SUMMARIES_PER_CALL)


class ExpandedExample(BaseModel):
    """One complete example (the answer to step 3)."""

    text: str = Field(min_length=1, max_length=800)


def generate_examples(
    llm: LLM,
    llm_label: str,
    prompts: dict[str, str],
    examples: ExampleSet,
    embedding: EmbeddingModel,
    vectors_of: dict[str, npt.NDArray[np.float32]],
    *,
    per_class: int,
    near_duplicate_threshold: float,
    seed: int,
    max_rounds: int,
    show_progress: bool,
    time_budget_s: float | None = None,
    fit_margin: float | None = None,
) -> tuple[dict[str, list[str]], GenerationReport]:
    """New examples per prompted class (not yet added to ``examples``) and what it took."""
    started = time.perf_counter()
    deadline = _now() + time_budget_s if time_budget_s is not None else None
    report = GenerationReport(llm=llm_label, time_budget_s=time_budget_s)
    stats = {name: ClassGeneration(class_name=name, requested=per_class) for name in prompts}
    kept: dict[str, list[str]] = {name: [] for name in prompts}
    references = (
        _references(prompts, examples, embedding, vectors_of) if fit_margin is not None else {}
    )
    run = _Runner(llm, report, deadline)
    with jobs.start_job(
        "classifier-data",
        description=f"generate {per_class} examples for each of {len(prompts)} classes",
        total=per_class * len(prompts),
        params={"llm": llm_label, "per_class": per_class, "seed": seed},
        show_progress=show_progress,
    ) as job:
        for round_number in range(max_rounds):
            wanting = {n: per_class - len(kept[n]) for n in prompts if len(kept[n]) < per_class}
            if not wanting:
                break
            job.check_cancelled()
            pools = _summaries(run, prompts, examples, kept, wanting, seed, round_number, stats)
            job.check_cancelled()
            texts = _expand(run, prompts, pools, wanting, seed, round_number, stats)
            for name, candidates in texts.items():
                existing = [*examples.texts(name), *kept[name]]
                result = drop_duplicates(
                    candidates, existing, embedding, near_duplicate_threshold, vectors_of
                )
                fitting = result.kept
                if fit_margin is not None:
                    fitting = _fit(name, result.kept, references, vectors_of, fit_margin)
                    stats[name].off_class += len(result.kept) - len(fitting)
                fresh = fitting[: wanting[name]]
                stats[name].exact_duplicates += result.exact_duplicates
                stats[name].near_duplicates += result.near_duplicates
                kept[name].extend(fresh)
                job.advance(len(fresh))
            if report.stopped_early:
                break
        job.complete(f"{sum(len(v) for v in kept.values())} examples kept")
    for name, item in stats.items():
        item.kept = len(kept[name])
        item.diversity = diversity([vectors_of[text] for text in kept[name]])
    report.classes = list(stats.values())
    report.seconds = round(time.perf_counter() - started, 3)
    return kept, report


def _summaries(
    run: _Runner,
    prompts: dict[str, str],
    examples: ExampleSet,
    kept: dict[str, list[str]],
    wanting: dict[str, int],
    seed: int,
    round_number: int,
    stats: dict[str, ClassGeneration],
) -> dict[str, list[str]]:
    """Steps 1 and 2: per class, a pool of distinct summaries from both steps."""
    # Imported here: the CLI imports classify at startup; gristmill.llm waits until needed.
    from gristmill.llm import CompletionRequest

    owners: list[str] = []
    requests: list[CompletionRequest] = []
    for name, need in wanting.items():
        # Each call yields up to 5 summaries and its diversification 5 more.
        calls = max(1, math.ceil(need / (2 * SUMMARIES_PER_CALL)))
        history = [*examples.texts(name), *kept[name]]
        for index in range(calls):
            call_seed = _seed(seed, round_number, index)
            owners.append(name)
            requests.append(
                CompletionRequest(
                    prompt=_generator_prompt(prompts[name], history, call_seed),
                    system_prompt=_GENERATOR_SYSTEM,
                    temperature=SUMMARY_TEMPERATURE,
                    seed=call_seed,
                    max_tokens=256,
                )
            )
    first = run(requests, ExampleSummaries)
    pools: dict[str, list[str]] = {name: [] for name in wanting}
    modify_owners: list[str] = []
    modify_requests: list[CompletionRequest] = []
    for name, request, answer in zip(owners, requests, first, strict=True):
        if answer is _SKIPPED:
            continue
        if answer is None:
            stats[name].failed_calls += 1
            continue
        summaries = _clean(answer.examples)
        pools[name].extend(summaries)
        if summaries:
            modify_owners.append(name)
            modify_requests.append(
                CompletionRequest(
                    prompt=_modifier_prompt(summaries),
                    system_prompt=_MODIFIER_SYSTEM,
                    temperature=SUMMARY_TEMPERATURE,
                    seed=request.seed,
                    max_tokens=256,
                )
            )
    second = run(modify_requests, ExampleSummaries)
    for name, answer in zip(modify_owners, second, strict=True):
        if answer is _SKIPPED:
            continue
        if answer is None:
            stats[name].failed_calls += 1
            continue
        # Different ones first: they are what the diversification step is for.
        pools[name] = [*_clean(answer.examples), *pools[name]]
    for name, pool in pools.items():
        distinct = list(dict.fromkeys(pool))
        stats[name].summaries += len(distinct)
        pools[name] = distinct
    return pools


def _expand(
    run: _Runner,
    prompts: dict[str, str],
    pools: dict[str, list[str]],
    wanting: dict[str, int],
    seed: int,
    round_number: int,
    stats: dict[str, ClassGeneration],
) -> dict[str, list[str]]:
    """Step 3: complete examples from summaries (a few spare, as some will be repeats)."""
    # Imported here: the CLI imports classify at startup; gristmill.llm waits until needed.
    from gristmill.llm import CompletionRequest

    owners: list[str] = []
    requests: list[CompletionRequest] = []
    for name, pool in pools.items():
        spare = math.ceil(wanting[name] * 1.25)
        for index, summary in enumerate(pool[:spare]):
            owners.append(name)
            requests.append(
                CompletionRequest(
                    prompt=_expander_prompt(prompts[name], summary),
                    system_prompt=_EXPANDER_SYSTEM,
                    temperature=EXPANSION_TEMPERATURE,
                    seed=_seed(seed, round_number, index),
                    max_tokens=200,
                )
            )
    answers = run(requests, ExpandedExample)
    texts: dict[str, list[str]] = {name: [] for name in pools}
    for name, answer in zip(owners, answers, strict=True):
        if answer is _SKIPPED:
            continue
        if answer is None:
            stats[name].failed_calls += 1
            continue
        cleaned = _clean([answer.text])
        stats[name].generated += len(cleaned)
        texts[name].extend(cleaned)
    return texts


def _now() -> float:
    return time.monotonic()


class _Runner:
    """Sends requests in chunks until the deadline; counts calls in the report."""

    def __init__(self, llm: LLM, report: GenerationReport, deadline: float | None) -> None:
        self.llm = llm
        self.report = report
        self.deadline = deadline

    def __call__(self, requests: list[CompletionRequest], schema: type[BaseModel]) -> list[Any]:
        """Parsed answers in order; None where the LLM failed even after the layer's retries,
        ``_SKIPPED`` where the budget ran out before the call."""
        answers: list[Any] = []
        for start in range(0, len(requests), CALLS_PER_CHUNK):
            chunk = requests[start : start + CALLS_PER_CHUNK]
            if self.deadline is not None and _now() >= self.deadline:
                self.report.stopped_early = True
                self.report.skipped_calls += len(requests) - start
                answers.extend([_SKIPPED] * (len(requests) - start))
                break
            results = self.llm.complete_batch(chunk, response_format=schema, return_exceptions=True)
            for result in results:
                self.report.calls += 1
                if isinstance(result, ProviderError):
                    self.report.failed_calls += 1
                    answers.append(None)
                    continue
                self.report.cached_calls += int(result.cached)
                answers.append(result.parsed)
        return answers


def _references(
    prompts: dict[str, str],
    examples: ExampleSet,
    embedding: EmbeddingModel,
    vectors_of: dict[str, npt.NDArray[np.float32]],
) -> dict[str, npt.NDArray[np.float32]]:
    """A unit vector per class to check generations against: its description, or for a class
    with data but no description, the mean of its real examples."""
    import numpy as np

    references: dict[str, npt.NDArray[np.float32]] = {}
    names = list(dict.fromkeys([*prompts, *examples.class_names]))
    for name in names:
        texts = [prompts[name]] if name in prompts else examples.texts(name, "real")
        if not texts:
            continue
        embed_missing(embedding, texts, vectors_of)
        mean = np.mean(np.stack([vectors_of[text] for text in texts]), axis=0)
        references[name] = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
    return references


def _fit(
    name: str,
    candidates: list[str],
    references: dict[str, npt.NDArray[np.float32]],
    vectors_of: dict[str, npt.NDArray[np.float32]],
    margin: float,
) -> list[str]:
    """The candidates closer to ``name``'s reference than to any other class's, by ``margin``."""
    import numpy as np

    others = [vector for other, vector in references.items() if other != name]
    if name not in references or not others or not candidates:
        return candidates
    own = references[name]
    rival = np.stack(others)
    kept = []
    for text in candidates:
        vector = vectors_of[text]
        # Strictly: a text equally far from two descriptions says nothing about its class.
        if float(vector @ own) - float(np.max(rival @ vector)) > margin:
            kept.append(text)
    return kept


def _clean(texts: list[str]) -> list[str]:
    return [" ".join(text.split()) for text in texts if isinstance(text, str) and text.strip()]


def _seed(seed: int, round_number: int, index: int) -> int:
    return seed * 1_000_003 + round_number * 1_009 + index


def _generator_prompt(description: str, history: list[str], call_seed: int) -> str:
    prompt = ""
    if history:
        chosen = list(history)
        random.Random(call_seed).shuffle(chosen)
        prompt += "Consider the following examples:\n"
        for example in chosen[:MAX_HISTORY]:
            prompt += _RULE + example[:MAX_EXAMPLE_CHARS] + "\n" + _RULE
    prompt += "Read the following description carefully:\n"
    prompt += _RULE + description + "\n" + _RULE
    prompt += (
        f"Generate {SUMMARIES_PER_CALL} different example summaries following this description."
        " Each example summary should be as specific as possible using at most 10 words.\n"
    )
    return prompt


def _modifier_prompt(summaries: list[str]) -> str:
    prompt = "Read the following descriptions carefully:\n" + _RULE
    for index, summary in enumerate(summaries, start=1):
        prompt += f"{index}. {summary}\n"
    prompt += "\n" + _RULE
    prompt += (
        f"Generate {SUMMARIES_PER_CALL} more examples that are similar, but substantially"
        " different from those above. Each example should be as specific as possible using at"
        " most 10 words.\n"
    )
    return prompt


def _expander_prompt(description: str, summary: str) -> str:
    return (
        "Read the following description carefully:\n"
        + _RULE
        + description
        + "\n"
        + _RULE
        + "Now read the following summary of an example matching this description carefully:\n"
        + _RULE
        + summary
        + "\n"
        + _RULE
        + "Expand the summary to a complete example. Be consistent with both the summary and"
        " the description. Get straight to the point.\n"
    )
