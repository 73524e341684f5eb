"""What a metric is: the protocol every metric (built-in or a user's) satisfies.

A metric scores model predictions against references, one value per row for each of its
sub-metrics (ROUGE has ``rouge1``, ``rouge2``, ``rougeL``, ``rougeLsum``). A row whose prediction
is missing (``None``: the model failed on it) or that has no reference gets ``None``, so a failed
call never counts as a score of 0; an empty prediction (``""``) is a real answer and is scored.
Sub-metric names are global: they become result columns, so two metrics never share one.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from gristmill.errors import InvalidInputError

RowScores = dict[str, list[float | None]]
"""Per-row scores: sub-metric name -> one value per row (``None`` where a row cannot be scored)."""


@runtime_checkable
class Metric(Protocol):
    """Anything with a name, its sub-metric names and a per-row ``score`` is a metric."""

    @property
    def name(self) -> str:
        """The registry name, e.g. ``'rouge'``."""
        ...

    @property
    def sub_metrics(self) -> tuple[str, ...]:
        """The names of the values ``score`` returns per row, e.g. ``('rouge1', 'rougeL')``."""
        ...

    def score(
        self,
        predictions: Sequence[str | None],
        references: Sequence[Sequence[str]],
        inputs: Sequence[str] | None = None,
    ) -> RowScores:
        """One value per row for each sub-metric; several references per row are allowed."""
        ...


@runtime_checkable
class CorpusMetric(Metric, Protocol):
    """A metric that also defines a corpus-level score (BLEU and chrF pool n-gram counts)."""

    def corpus_score(
        self, predictions: Sequence[str | None], references: Sequence[Sequence[str]]
    ) -> dict[str, float | None]:
        """One value per sub-metric over all scorable rows (``None`` when there are none)."""
        ...


def higher_is_better(metric: Metric) -> bool | None:
    """Whether larger values are better (``None``: no direction, e.g. answer length)."""
    value = getattr(metric, "higher_is_better", True)
    return None if value is None else bool(value)


@dataclass(frozen=True)
class Rows:
    """Validated metric inputs: predictions with missing ones as ``None``, references as lists."""

    predictions: list[str | None]
    references: list[list[str]]
    inputs: list[str | None] | None


def _is_missing(value: object) -> bool:
    # pandas hands missing strings over as NaN floats; they mean "no value" like None.
    return value is None or (isinstance(value, float) and math.isnan(value))


def _check_text(value: object, what: str, row: int) -> str | None:
    if _is_missing(value):
        return None
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{what} of row {row} is a {type(value).__name__}, not a string",
            hint=f"pass each {what} as a str (or None when it is missing)",
        )
    return value


def _check_sequence(value: object, what: str) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidInputError(
            f"{what} must be a list with one entry per row, got {type(value).__name__}",
            hint=f"pass {what} as a list, e.g. [{what[:-1]}_row_1, {what[:-1]}_row_2]",
        )
    return value


def prepare_rows(
    predictions: Sequence[str | None],
    references: Sequence[Sequence[str]],
    inputs: Sequence[str | None] | None = None,
) -> Rows:
    """Check lengths and types; a bare string is one reference; missing references are dropped."""
    checked_predictions = _check_sequence(predictions, "predictions")
    checked_references = _check_sequence(references, "references")
    if len(checked_references) != len(checked_predictions):
        raise InvalidInputError(
            f"{len(checked_predictions)} predictions but {len(checked_references)} reference rows",
            hint="give one list of references per prediction",
        )
    rows_inputs: list[str | None] | None = None
    if inputs is not None:
        checked_inputs = _check_sequence(inputs, "inputs")
        if len(checked_inputs) != len(checked_predictions):
            raise InvalidInputError(
                f"{len(checked_predictions)} predictions but {len(checked_inputs)} inputs",
                hint="give one input per prediction, or inputs=None",
            )
        rows_inputs = [_check_text(v, "input", i) for i, v in enumerate(checked_inputs)]
    rows_predictions = [_check_text(v, "prediction", i) for i, v in enumerate(checked_predictions)]
    rows_references: list[list[str]] = []
    for i, row in enumerate(checked_references):
        if _is_missing(row):
            rows_references.append([])
        elif isinstance(row, str):
            rows_references.append([row])
        elif isinstance(row, Sequence):
            texts = (_check_text(v, "reference", i) for v in row)
            rows_references.append([text for text in texts if text is not None])
        else:
            raise InvalidInputError(
                f"the references of row {i} are a {type(row).__name__}",
                hint="give each row's references as a list of strings",
            )
    return Rows(rows_predictions, rows_references, rows_inputs)


class BaseMetric(ABC):
    """Shared plumbing: input checks, and ``None`` for rows that cannot be scored.

    Subclasses implement ``score_rows`` over the scorable rows only (prediction present, and at
    least one reference when ``needs_references``).
    """

    name: str
    sub_metrics: tuple[str, ...]
    higher_is_better: bool | None = True
    needs_references: bool = True
    description: str = ""

    @abstractmethod
    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        """Scores for rows that all have a prediction (and references if needed)."""

    def scorable(self, rows: Rows) -> list[int]:
        """Indices of the rows this metric can score."""
        return [
            i
            for i, prediction in enumerate(rows.predictions)
            if prediction is not None and (rows.references[i] or not self.needs_references)
        ]

    def score(
        self,
        predictions: Sequence[str | None],
        references: Sequence[Sequence[str]],
        inputs: Sequence[str | None] | None = None,
    ) -> RowScores:
        rows = prepare_rows(predictions, references, inputs)
        result: RowScores = {name: [None] * len(rows.predictions) for name in self.sub_metrics}
        keep = self.scorable(rows)
        if not keep:
            return result
        kept_predictions = [rows.predictions[i] or "" for i in keep]
        kept_inputs = None if rows.inputs is None else [rows.inputs[i] for i in keep]
        computed = self.score_rows(
            kept_predictions, [rows.references[i] for i in keep], kept_inputs
        )
        for name in self.sub_metrics:
            values = computed[name]
            for position, row in enumerate(keep):
                result[name][row] = values[position]
        return result

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: {', '.join(self.sub_metrics)}>"


RowFunction = Callable[[str, list[str], str | None], float | None]
"""A user's per-row scorer: ``(prediction, references, input) -> value or None``."""


class FunctionMetric(BaseMetric):
    """A metric made from a per-row function; its one sub-metric has the metric's name."""

    def __init__(
        self,
        name: str,
        function: RowFunction,
        *,
        higher_is_better: bool | None = True,
        needs_references: bool = True,
        description: str = "",
    ) -> None:
        self.name = name
        self.sub_metrics = (name,)
        self.function = function
        self.higher_is_better = higher_is_better
        self.needs_references = needs_references
        self.description = description or (function.__doc__ or "").strip()

    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        values: list[float] = []
        for i, prediction in enumerate(predictions):
            value = self.function(prediction, references[i], None if inputs is None else inputs[i])
            values.append(math.nan if value is None else float(value))
        return {self.name: values}

    def score(
        self,
        predictions: Sequence[str | None],
        references: Sequence[Sequence[str]],
        inputs: Sequence[str | None] | None = None,
    ) -> RowScores:
        scores = super().score(predictions, references, inputs)
        # The function may decline a row by returning None; score_rows carried that as NaN.
        return {
            name: [None if value is None or math.isnan(value) else value for value in values]
            for name, values in scores.items()
        }


def metric_from_function(
    name: str,
    function: RowFunction,
    *,
    higher_is_better: bool | None = True,
    needs_references: bool = True,
    description: str = "",
) -> FunctionMetric:
    """Wrap ``function(prediction, references, input) -> float | None`` as a metric."""
    if not callable(function):
        raise InvalidInputError(
            f"the metric '{name}' needs a callable, got {type(function).__name__}",
            hint="pass a function (prediction, references, input) -> float | None",
        )
    return FunctionMetric(
        name,
        function,
        higher_is_better=higher_is_better,
        needs_references=needs_references,
        description=description,
    )
