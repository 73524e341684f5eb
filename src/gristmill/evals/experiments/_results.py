"""``ExperimentResult``: the model x metric table, best/worst rows, comparisons, export.

The summaries come from the metadata DB (so a result survives a restart); per-row values
(predictions, scores) are read back from the dataset's columns when a view needs them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from gristmill.data.dataset import BaseDataset
from gristmill.data.filters import Filter, to_filters
from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.evals.experiments._config import ExperimentConfig, open_dataset
from gristmill.evals.experiments._sample import reference_texts
from gristmill.evals.experiments._store import load_experiment_row, load_model_rows
from gristmill.evals.metrics._judge import PairwisePreference, pairwise_preference
from gristmill.evals.metrics._statistics import PairedComparison, paired_comparison

if TYPE_CHECKING:
    import pandas as pd

ROWID = "__rowid__"


@dataclass(frozen=True)
class ModelResult:
    """One model's outcome in an experiment."""

    model: str
    address: str
    status: str
    error: str | None
    prediction_column: str
    metric_columns: dict[str, str]
    summary: dict[str, Any]


class ModelComparison(BaseModel):
    """Model A against model B: a paired comparison per sub-metric, optionally a judge's."""

    # Sent whole (defaults included): the REST spec marks every field required in responses.
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    model_a: str
    model_b: str
    metrics: dict[str, PairedComparison]
    preference: PairwisePreference | None = None

    def table(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {"metric": name, **c.model_dump(exclude={"confidence"})}
            for name, c in self.metrics.items()
        ]
        return pd.DataFrame(rows).set_index("metric") if rows else pd.DataFrame()

    def __str__(self) -> str:
        lines = [f"{self.model_a} vs {self.model_b}"]
        for name, c in self.metrics.items():
            if c.mean_difference is None:
                lines.append(f"  {name}: no rows both models answered")
                continue
            lines.append(
                f"  {name}: diff {c.mean_difference:+.4f} [{c.ci_low:+.4f}, {c.ci_high:+.4f}]"
                f"  win {c.win_rate:.0%} tie {c.tie_rate:.0%} loss {c.loss_rate:.0%}"
                f"  p={_fmt_p(c.p_value)} (n={c.n})"
            )
        if self.preference is not None:
            p = self.preference
            lines.append(
                f"  judge {p.judge}: {self.model_a} wins {p.wins_a}, {self.model_b} wins "
                f"{p.wins_b}, ties {p.ties} ({p.inconsistent} inconsistent), "
                f"p={_fmt_p(p.p_value)}"
            )
        return "\n".join(lines)


def _fmt_p(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3g}"


class ExperimentResult:
    """The results of an experiment's last run.

    ``status``, ``error`` and ``job_id`` are the run's own: ``error`` says why the whole run
    failed (each model's failure is in ``models`` and ``errors``), ``job_id`` names the job that
    ran it (None when the run failed before its job started).
    """

    def __init__(
        self,
        config: ExperimentConfig,
        status: str,
        num_rows: int | None,
        models: list[ModelResult],
        *,
        error: str | None = None,
        job_id: str | None = None,
    ) -> None:
        self.config = config
        self.status = status
        self.num_rows = num_rows
        self.models = models
        self.error = error
        self.job_id = job_id

    @classmethod
    def load(cls, name: str) -> ExperimentResult:
        row = load_experiment_row(name)
        models = [
            ModelResult(
                model=m["model"], address=m["address"], status=m["status"], error=m["error"],
                prediction_column=m["prediction_column"], metric_columns=m["metric_columns"],
                summary=m["summary"],
            )
            for m in load_model_rows(name)
        ]  # fmt: skip
        config = ExperimentConfig.model_validate(row["config"])
        return cls(
            config,
            row["status"],
            row["num_rows"],
            models,
            error=row["error"],
            job_id=row["job_id"],
        )

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def errors(self) -> dict[str, str]:
        """The models that failed, with their errors."""
        return {m.model: m.error or "" for m in self.models if m.status != "completed"}

    def model(self, name: str) -> ModelResult:
        for result in self.models:
            if name in (result.model, result.address):
                return result
        raise NotFoundError(
            f"no model '{name}' in experiment '{self.name}'",
            hint=f"models: {', '.join(m.model for m in self.models)}",
        )

    def sub_metrics(self) -> list[str]:
        names: dict[str, None] = {}
        for result in self.models:
            names.update(dict.fromkeys(result.summary.get("metrics", {})))
        return list(names)

    # --- the table --------------------------------------------------------------------------

    def records(self) -> list[dict[str, Any]]:
        """One record per model and sub-metric: mean, CI, n (and usage rows)."""
        out: list[dict[str, Any]] = []
        for result in self.models:
            summary = result.summary
            entries = list(summary.get("metrics", {}).items()) + [
                (name, usage["mean"]) for name, usage in summary.get("usage", {}).items()
            ]
            for name, estimate in entries:
                out.append(
                    {
                        "model": result.model,
                        "metric": name,
                        "mean": estimate["mean"],
                        "ci_low": estimate["ci_low"],
                        "ci_high": estimate["ci_high"],
                        "n": estimate["n"],
                        "n_missing": estimate["n_missing"],
                        "corpus": summary.get("corpus", {}).get(name),
                    }
                )
            if result.status != "completed":
                out.append({"model": result.model, "metric": "error", "mean": None,
                            "ci_low": None, "ci_high": None, "n": 0, "n_missing": 0,
                            "corpus": None})  # fmt: skip
        return out

    def table(self, *, long: bool = False) -> pd.DataFrame:
        """Model x metric: mean, ci_low, ci_high per sub-metric (``long=True``: one row each)."""
        import pandas as pd

        frame = pd.DataFrame(
            self.records(),
            columns=["model", "metric", "mean", "ci_low", "ci_high", "n", "n_missing", "corpus"],
        )
        if long:
            return frame
        frame = frame[frame["metric"] != "error"]
        order = [m.model for m in self.models]
        wide = frame.pivot_table(
            index="model", columns="metric", values=["mean", "ci_low", "ci_high"], dropna=False,
            sort=False,
        )  # fmt: skip
        wide = wide.swaplevel(0, 1, axis=1)
        metrics = list(dict.fromkeys(frame["metric"]))
        columns = [(m, s) for m in metrics for s in ("mean", "ci_low", "ci_high")]
        return wide.reindex(index=order, columns=pd.MultiIndex.from_tuples(columns))

    def format_table(self, digits: int = 3) -> str:
        """The table as text: ``mean [low, high]`` per cell, failed models with their error."""
        metrics = [*self.sub_metrics(), "latency_s", "output_tokens"]
        header = ["model", *metrics]
        rows = [header]
        for result in self.models:
            summary = result.summary
            cells = [result.model]
            for name in metrics:
                estimate = summary.get("metrics", {}).get(name) or summary.get("usage", {}).get(
                    name, {}
                ).get("mean")
                cells.append(_cell(estimate, digits))
            rows.append(cells)
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        confidence = f"{self.config.confidence:.0%}"
        lines.append(
            f"({self.num_rows} rows; mean [{confidence} bootstrap CI]; experiment {self.name})"
        )
        for model, error in self.errors.items():
            lines.append(f"{model} FAILED: {error}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format_table()

    def __repr__(self) -> str:
        return f"<ExperimentResult {self.name!r}: {len(self.models)} models, {self.status}>"

    def mean(self, model: str, sub_metric: str) -> float | None:
        """A model's mean of one sub-metric (``None`` when it has none)."""
        estimate = self.model(model).summary.get("metrics", {}).get(sub_metric)
        if estimate is None:
            estimate = self.model(model).summary.get("usage", {}).get(sub_metric, {}).get("mean")
        return None if estimate is None else estimate["mean"]

    # --- per-row views ----------------------------------------------------------------------

    def _dataset(self) -> BaseDataset:
        return open_dataset(self.config.dataset)

    def _sub_metric_column(self, result: ModelResult, sub_metric: str) -> tuple[str, str]:
        owners = result.summary.get("metric_of", {})
        if sub_metric in result.metric_columns:  # a metric name: its first sub-metric
            metric = sub_metric
            sub_metric = next(s for s, m in owners.items() if m == metric)
        elif sub_metric in owners:
            metric = owners[sub_metric]
        else:
            raise InvalidInputError(
                f"'{sub_metric}' is not a metric of model '{result.model}'",
                hint=f"known: {', '.join(owners) or 'none (the model failed)'}",
            )
        return f"{result.metric_columns[metric]}.{sub_metric}", sub_metric

    def per_row(self, model: str) -> pd.DataFrame:
        """Every row of the sample: input, references, prediction, error, and each score."""
        import pandas as pd

        result = self.model(model)
        if result.status != "completed":
            raise InvalidInputError(
                f"model '{model}' failed in this experiment: {result.error}",
                hint="fix the model and rerun the experiment",
            )
        ds = self._dataset()
        config = self.config
        pred = result.prediction_column
        score_paths = {
            sub: self._sub_metric_column(result, sub)[0] for sub in result.summary["metric_of"]
        }
        columns = [ROWID, config.input_column, *config.reference_columns, f"{pred}.text",
                   f"{pred}.error", *score_paths.values()]  # fmt: skip
        rows = ds.select_rows(columns, filters=self._filters(), sort_by=ROWID, sort_order="ASC")
        frame: pd.DataFrame = rows.df()
        frame = frame.rename(columns={f"{pred}.text": "prediction", f"{pred}.error": "error",
                                      config.input_column: "input"})  # fmt: skip
        frame = frame.rename(columns={path: sub for sub, path in score_paths.items()})
        refs = config.reference_columns
        frame["references"] = [reference_texts(list(values)) for values in frame[refs].itertuples(
            index=False)] if refs else [[] for _ in range(len(frame))]  # fmt: skip
        return pd.DataFrame(frame.drop(columns=refs))

    def _filters(self) -> list[Any]:
        last = self._last_rowid()
        return [*to_filters(self.config.filters), Filter(path=ROWID, op="less_equal", value=last)]

    def _last_rowid(self) -> int:
        ds = self._dataset()
        rows = ds.select_rows([ROWID], filters=to_filters(self.config.filters), sort_by=ROWID,
                              sort_order="ASC", limit=self.num_rows).to_list()  # fmt: skip
        return int(rows[-1][ROWID]) if rows else -1

    def best_worst(self, model: str, metric: str, n: int = 5) -> dict[str, pd.DataFrame]:
        """The ``n`` best and ``n`` worst rows of a model by a (sub-)metric, with the input,
        references and prediction; ``{'best': ..., 'worst': ...}``."""
        if n < 1:
            raise InvalidInputError(f"n must be at least 1, got {n}")
        result = self.model(model)
        frame = self.per_row(model)
        _, sub_metric = self._sub_metric_column(result, metric)
        higher = result.summary.get("higher_is_better", {}).get(sub_metric, True) is not False
        scored = frame[frame[sub_metric].notna()].sort_values(
            [sub_metric, ROWID], ascending=[not higher, True], kind="stable"
        )
        keep = [ROWID, "input", "references", "prediction", sub_metric]
        best = scored.head(n)[keep].reset_index(drop=True)
        worst = scored.iloc[::-1].head(n)[keep].reset_index(drop=True)
        return {"best": best, "worst": worst}

    def compare(
        self,
        model_a: str,
        model_b: str,
        *,
        judge: Any = None,
        tie_tolerance: float = 0.0,
    ) -> ModelComparison:
        """Paired comparison per sub-metric (bootstrap p-value, win rate, mean difference CI);
        with ``judge`` (a model address, or True for the configured LLM) also a pairwise
        LLM preference judged in both orders."""
        a, b = self.per_row(model_a), self.per_row(model_b)
        result_a = self.model(model_a)
        directions = result_a.summary.get("higher_is_better", {})
        comparisons: dict[str, PairedComparison] = {}
        for sub in result_a.summary.get("metric_of", {}):
            if sub not in b.columns:
                continue
            comparisons[sub] = paired_comparison(
                _floats(a[sub]), _floats(b[sub]),
                higher_is_better=directions.get(sub, True) is not False,
                tie_tolerance=tie_tolerance, confidence=self.config.confidence,
                n_resamples=self.config.n_resamples,
            )  # fmt: skip
        preference = None
        if judge is not None and judge is not False:
            preference = pairwise_preference(
                list(a["input"]), _texts(a["prediction"]), _texts(b["prediction"]),
                list(a["references"]), judge=None if judge is True else judge,
            )  # fmt: skip
        return ModelComparison(
            model_a=self.model(model_a).model, model_b=self.model(model_b).model,
            metrics=comparisons, preference=preference,
        )  # fmt: skip

    # --- export -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "experiment": self.config.model_dump(mode="json"),
            "status": self.status,
            "num_rows": self.num_rows,
            "models": [
                {"model": m.model, "address": m.address, "status": m.status, "error": m.error,
                 "prediction_column": m.prediction_column, "metric_columns": m.metric_columns,
                 "summary": m.summary}
                for m in self.models
            ],
        }  # fmt: skip

    def to_json(self, path: str | Path | None = None) -> str:
        """The whole result as JSON (settings, per-model summaries); written to ``path`` if
        given."""
        text = json.dumps(self.to_dict(), indent=2, default=str)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def to_csv(self, path: str | Path | None = None) -> str:
        """The long table (model, metric, mean, ci_low, ci_high, n, ...) as CSV."""
        text: str = self.table(long=True).to_csv(index=False)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def _floats(values: Any) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            for v in values]  # fmt: skip


def _texts(values: Any) -> list[str | None]:
    return [v if isinstance(v, str) else None for v in values]


def _cell(estimate: dict[str, Any] | None, digits: int) -> str:
    if not estimate or estimate.get("mean") is None:
        return "-"
    mean, low, high = estimate["mean"], estimate["ci_low"], estimate["ci_high"]
    return f"{mean:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"
