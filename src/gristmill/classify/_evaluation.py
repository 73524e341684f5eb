"""Scoring a classifier on labelled texts, and drawing its precision-recall curves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gristmill.classify._calibration import apply_thresholds
from gristmill.classify._reports import CalibrationReport, EvaluationReport
from gristmill.errors import missing_dependency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def evaluate(
    classes: list[str],
    probs: npt.NDArray[np.float64],
    thresholds: npt.NDArray[np.float64] | None,
    truth: npt.NDArray[np.int64],
) -> EvaluationReport:
    import numpy as np
    from sklearn.metrics import confusion_matrix, f1_score

    if thresholds is None:
        thresholds = np.zeros(len(classes))
    answers = apply_thresholds(probs, thresholds)
    answered = answers >= 0
    labels = list(range(len(classes)))
    # An abstention is scored as a wrong answer (-1 is no class).
    f1 = f1_score(truth, answers, labels=labels, average="macro", zero_division=0)
    known = answered & (truth >= 0)
    matrix = (
        confusion_matrix(truth[known], answers[known], labels=labels)
        if known.any()
        else np.zeros((len(classes), len(classes)), dtype=np.int64)
    )
    count = len(truth)
    return EvaluationReport(
        classes=classes,
        num_examples=count,
        accuracy=round(float(np.mean(answers == truth)), 4) if count else 0.0,
        macro_f1=round(float(f1), 4),
        confusion_matrix=matrix.tolist(),
        num_abstained=int((~answered).sum()),
        coverage=round(float(answered.mean()), 4) if count else 0.0,
        answered_accuracy=round(float(np.mean(answers[answered] == truth[answered])), 4)
        if answered.any()
        else None,
    )


def plot_precision_recall(calibration: CalibrationReport, path: Path) -> Path:
    """One curve per class with its chosen threshold marked; written as a PNG."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise missing_dependency("matplotlib", "plot", "plot_precision_recall") from None
    # A bare Figure with the Agg canvas: no pyplot, so no global backend or GUI state is touched.
    figure = Figure(figsize=(6, 4.5))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for item in calibration.classes:
        if not item.curve_recall:
            continue
        (line,) = axes.plot(item.curve_recall, item.curve_precision, label=item.class_name)
        if item.recall is not None and item.precision is not None:
            axes.scatter([item.recall], [item.precision], color=line.get_color(), zorder=3)
    if calibration.target_precision is not None:
        axes.axhline(calibration.target_precision, color="grey", linestyle=":", linewidth=1)
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_xlim(0, 1.02)
    axes.set_ylim(0, 1.02)
    axes.set_title(
        f"precision-recall per class ({calibration.source}, n={calibration.num_examples})"
    )
    axes.legend(loc="lower left", fontsize="small")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=100)
    return path
