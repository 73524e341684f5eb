"""LLM judges: a rubric score from 1 to 5 with a reason, and pairwise A-vs-B preference.

The rubric judge is a metric (``llm_judge``) like any other, so it runs in experiments and gives
per-row columns with bootstrap intervals. It asks for structured output (reason first, then the
score, so the model argues before it decides). The pairwise judge guards against position bias,
the best-documented flaw of LLM judges: each pair is judged in both orders, and a model wins a
row only when both orders agree; a disagreement counts as a tie (and as inconsistent).

The judge model is configurable; by default it is the project's configured LLM (``get_llm()``).
Every call goes through the LLM cache, so rescoring the same rows is free.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gristmill.errors import InvalidInputError, ProviderError
from gristmill.evals.metrics._metric import BaseMetric, prepare_rows
from gristmill.evals.metrics._registry import register_metric
from gristmill.evals.metrics._statistics import sign_test
from gristmill.llm import LLM, CompletionRequest, get_llm

DEFAULT_RUBRIC = (
    "Rate the RESPONSE to the INPUT on a scale from 1 to 5:\n"
    "5 = fully correct, complete and concise; faithful to the input (and to the reference, if "
    "one is given)\n"
    "4 = correct with a minor omission or some verbosity\n"
    "3 = partly correct, or misses an important point\n"
    "2 = mostly wrong or unfaithful, with some relevant content\n"
    "1 = wrong, off-topic, empty or invented"
)

DEFAULT_CRITERIA = "Which response better answers the input: more correct, complete and concise?"


class JudgeVerdict(BaseModel):
    """One rubric judgement: the reason, then the score."""

    model_config = ConfigDict(frozen=True)

    reason: str = Field(description="one or two sentences explaining the score")
    score: int = Field(ge=1, le=5, description="1 (worst) to 5 (best)")


class PairwiseVerdict(BaseModel):
    """One pairwise judgement of two responses in the order shown."""

    reason: str = Field(description="one sentence comparing the two responses")
    winner: Literal["1", "2", "tie"]


class PairwisePreference(BaseModel):
    """Pairwise preference of model A over model B, each row judged in both orders.

    ``outcomes`` holds per row ``'a'``, ``'b'``, ``'tie'`` or ``None`` (a prediction missing or
    a judge call failed). ``inconsistent`` counts rows whose two orders disagreed (counted as
    ties). ``p_value`` is the exact sign test of A's wins against B's.
    """

    model_config = ConfigDict(frozen=True)

    judge: str
    n: int
    wins_a: int
    wins_b: int
    ties: int
    inconsistent: int
    n_missing: int
    win_rate_a: float | None
    win_rate_b: float | None
    p_value: float | None
    outcomes: list[str | None]


def open_judge(judge: Any) -> LLM:
    """An LLM for judging: an LLM object as is, else ``get_llm(address)`` (None: configured)."""
    if isinstance(judge, LLM):
        return judge
    return get_llm(judge, temperature=0.0)


def _judge_label(llm: LLM) -> str:
    identity = llm.provider.identity()
    return f"{identity.get('provider', '')}/{identity.get('model', '')}".strip("/")


def _references_block(references: Sequence[str]) -> str:
    if not references:
        return ""
    if len(references) == 1:
        return f"REFERENCE:\n{references[0]}\n\n"
    listed = "\n".join(f"- {text}" for text in references)
    return f"REFERENCES (any of them is a good answer):\n{listed}\n\n"


class LLMJudgeMetric(BaseMetric):
    """A rubric score from 1 to 5 by an LLM judge; references are shown when present."""

    higher_is_better = True
    needs_references = False
    description = "LLM judge: rubric score 1-5 with a reason (structured output)"

    def __init__(
        self,
        judge_model: Any = None,
        *,
        rubric: str = DEFAULT_RUBRIC,
        name: str = "llm_judge",
        concurrency: int = 4,
    ) -> None:
        self.name = name
        self.sub_metrics = (name,)
        self.judge_model = judge_model
        self.rubric = rubric
        self.concurrency = concurrency
        self._llm: LLM | None = None
        self._lock = threading.Lock()

    def llm(self) -> LLM:
        with self._lock:
            if self._llm is None:
                self._llm = open_judge(self.judge_model)
            return self._llm

    def prompt(self, input_text: str, references: Sequence[str], prediction: str) -> str:
        return (
            f"{self.rubric}\n\nINPUT:\n{input_text}\n\n{_references_block(references)}"
            f"RESPONSE:\n{prediction}\n\nGive a short reason, then the score."
        )

    def judge(
        self,
        predictions: Sequence[str | None],
        references: Sequence[Sequence[str]],
        inputs: Sequence[str | None] | None,
    ) -> list[JudgeVerdict | None]:
        """One verdict per row; ``None`` where the prediction is missing or the judge failed."""
        rows = prepare_rows(predictions, references, inputs)
        if rows.inputs is None:
            raise InvalidInputError(
                f"the metric '{self.name}' needs the inputs the predictions answer",
                hint="pass inputs=[...] with one input per prediction",
            )
        keep = [i for i, p in enumerate(rows.predictions) if p is not None]
        verdicts: list[JudgeVerdict | None] = [None] * len(rows.predictions)
        if not keep:
            return verdicts
        requests = [
            CompletionRequest(
                prompt=self.prompt(
                    rows.inputs[i] or "", rows.references[i], rows.predictions[i] or ""
                ),
                response_format=JudgeVerdict,
                temperature=0.0,
                max_tokens=256,
            )
            for i in keep
        ]
        answers = self.llm().complete_batch(
            requests, concurrency=self.concurrency, return_exceptions=True
        )
        for row, answer in zip(keep, answers, strict=True):
            if not isinstance(answer, ProviderError):
                verdicts[row] = answer.parsed
        return verdicts

    def score(
        self,
        predictions: Sequence[str | None],
        references: Sequence[Sequence[str]],
        inputs: Sequence[str | None] | None = None,
    ) -> dict[str, list[float | None]]:
        verdicts = self.judge(predictions, references, inputs)
        return {self.name: [None if v is None else float(v.score) for v in verdicts]}

    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        verdicts = self.judge(predictions, references, inputs)
        return {self.name: [float("nan") if v is None else float(v.score) for v in verdicts]}


def register_judge_metric(*, replace: bool = False) -> None:
    """Register ``llm_judge`` (judged by the configured LLM) like any other metric."""
    register_metric(LLMJudgeMetric(), replace=replace)


def _pair_prompt(criteria: str, input_text: str, references: Sequence[str], first: str,
                 second: str) -> str:  # fmt: skip
    return (
        f"{criteria}\n\nINPUT:\n{input_text}\n\n{_references_block(references)}"
        f"RESPONSE 1:\n{first}\n\nRESPONSE 2:\n{second}\n\n"
        "Give a short reason, then the winner: '1', '2', or 'tie' if they are equally good."
    )


def pairwise_preference(
    inputs: Sequence[str | None],
    predictions_a: Sequence[str | None],
    predictions_b: Sequence[str | None],
    references: Sequence[Sequence[str]] | None = None,
    *,
    judge: Any = None,
    criteria: str = DEFAULT_CRITERIA,
    concurrency: int = 4,
) -> PairwisePreference:
    """Judge A against B on every row in both orders; a win counts only when both agree."""
    n_rows = len(predictions_a)
    if len(predictions_b) != n_rows or len(inputs) != n_rows:
        raise InvalidInputError(
            f"pairwise preference needs aligned rows: {len(inputs)} inputs, {n_rows} A and "
            f"{len(predictions_b)} B predictions",
            hint="pass one input and one prediction of each model per row",
        )
    refs = prepare_rows(predictions_a, references or [[] for _ in range(n_rows)]).references
    keep = [
        i for i in range(n_rows) if predictions_a[i] is not None and predictions_b[i] is not None
    ]
    llm = open_judge(judge)
    requests: list[CompletionRequest] = []
    for i in keep:
        a, b, text = predictions_a[i] or "", predictions_b[i] or "", inputs[i] or ""
        for first, second in ((a, b), (b, a)):
            requests.append(
                CompletionRequest(
                    prompt=_pair_prompt(criteria, text, refs[i], first, second),
                    response_format=PairwiseVerdict,
                    temperature=0.0,
                    max_tokens=256,
                )
            )
    answers = llm.complete_batch(requests, concurrency=concurrency, return_exceptions=True)
    outcomes: list[str | None] = [None] * n_rows
    inconsistent = 0
    for position, row in enumerate(keep):
        straight, swapped = answers[2 * position], answers[2 * position + 1]
        if isinstance(straight, ProviderError) or isinstance(swapped, ProviderError):
            continue
        # In the swapped order "1" is B: map both answers to the model they name.
        first_pick = {"1": "a", "2": "b", "tie": "tie"}[straight.parsed.winner]
        second_pick = {"1": "b", "2": "a", "tie": "tie"}[swapped.parsed.winner]
        if first_pick == second_pick:
            outcomes[row] = first_pick
        else:
            outcomes[row] = "tie"
            inconsistent += 1
    judged = [o for o in outcomes if o is not None]
    wins_a, wins_b = judged.count("a"), judged.count("b")
    n = len(judged)
    return PairwisePreference(
        judge=_judge_label(llm),
        n=n,
        wins_a=wins_a,
        wins_b=wins_b,
        ties=judged.count("tie"),
        inconsistent=inconsistent,
        n_missing=n_rows - n,
        win_rate_a=wins_a / n if n else None,
        win_rate_b=wins_b / n if n else None,
        p_value=sign_test(wins_a, wins_b),
        outcomes=outcomes,
    )
