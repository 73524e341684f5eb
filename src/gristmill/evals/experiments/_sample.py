"""Which rows an experiment evaluates, and reading them (inputs, references, predictions).

The sample is the first ``max_samples`` rows (by ``__rowid__``) that pass the experiment's
filters. It is expressed as those filters plus ``__rowid__ <= last chosen row``, so the column
jobs, counts and exports all select exactly the same rows with ordinary filters, and a rerun
picks the same rows again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gristmill.data.dataset import BaseDataset
from gristmill.data.filters import Filter, to_filters
from gristmill.errors import InvalidInputError
from gristmill.evals.experiments._config import ExperimentConfig
from gristmill.evals.experiments._scoring import SampleRows

ROWID = "__rowid__"


@dataclass(frozen=True)
class Sample:
    rows: SampleRows
    filters: list[Filter]


def reference_texts(values: Sequence[Any]) -> list[str]:
    """The non-empty reference strings among a row's reference values (lists are flattened)."""
    texts: list[str] = []
    for value in values:
        items = value if isinstance(value, list | tuple) else [value]
        texts.extend(item for item in items if isinstance(item, str) and item.strip())
    return texts


def choose_sample(ds: BaseDataset, config: ExperimentConfig) -> Sample:
    filters = to_filters(config.filters)
    first = ds.select_rows(
        [ROWID], filters=filters, sort_by=ROWID, sort_order="ASC", limit=config.max_samples
    ).to_list()
    if not first:
        raise InvalidInputError(
            f"no rows of {ds.full_name} pass the experiment's filters",
            hint="check the filters, or remove them",
        )
    chosen = [*filters, Filter(path=ROWID, op="less_equal", value=int(first[-1][ROWID]))]
    columns = [ROWID, config.input_column, *config.reference_columns]
    rows = ds.select_rows(columns, filters=chosen, sort_by=ROWID, sort_order="ASC").to_list()
    references = [reference_texts([row[c] for c in config.reference_columns]) for row in rows]
    if config.reference_columns and not any(references):
        raise InvalidInputError(
            f"the reference columns {config.reference_columns} are empty in every chosen row",
            hint="map the reference columns to the ground truth, or create one with "
            "gm.generate_ground_truth(ds, input_column, model)",
        )
    inputs = [row[config.input_column] for row in rows]
    if not any(isinstance(text, str) and text.strip() for text in inputs):
        raise InvalidInputError(
            f"the input column '{config.input_column}' is empty in every chosen row",
            hint="map input_column to the text the models should answer",
        )
    return Sample(
        rows=SampleRows(
            rowids=[int(row[ROWID]) for row in rows],
            inputs=[text if isinstance(text, str) else None for text in inputs],
            references=references,
        ),
        filters=chosen,
    )


def distinct_labels(references: Sequence[Sequence[str]]) -> list[str]:
    """The labels of a classification task, read from its references (first-seen order)."""
    return list(dict.fromkeys(text.strip() for row in references for text in row))


def read_predictions(
    ds: BaseDataset, column: str, filters: Sequence[Filter]
) -> list[dict[str, Any]]:
    """The prediction records of the chosen rows, in rowid order."""
    rows = ds.select_rows([ROWID, column], filters=filters, sort_by=ROWID, sort_order="ASC")
    empty = {"text": None, "latency_s": None, "input_tokens": None, "output_tokens": None,
             "cached": None, "error": None}  # fmt: skip
    return [row[column] or empty for row in rows.to_list()]
