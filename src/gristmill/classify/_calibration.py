"""Calibration: per-class thresholds chosen on precision-recall curves.

For each class, its probability is a one-vs-rest score; the curve over labelled data (held out,
or out-of-fold from cross-validation) gives the lowest threshold whose precision reaches the
target (so recall is as high as it can be), or the highest whose recall reaches a recall
target. A prediction is the most probable class if its probability reaches that class's
threshold, else None: the classifier abstains instead of guessing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gristmill.classify._reports import CalibrationReport, ClassThreshold
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MAX_CURVE_POINTS = 200


def calibrate(
    probs: npt.NDArray[np.float64],
    labels: npt.NDArray[np.int64],
    classes: list[str],
    *,
    target_precision: float | None,
    target_recall: float | None,
    source: str,
) -> CalibrationReport:
    import numpy as np
    from sklearn.metrics import precision_recall_curve

    if (target_precision is None) == (target_recall is None):
        raise InvalidInputError(
            "calibration needs exactly one target",
            hint="pass target_precision=0.9 or target_recall=0.8",
        )
    target = target_precision if target_precision is not None else target_recall
    assert target is not None
    if not 0.0 < target <= 1.0:
        raise InvalidInputError(
            f"a calibration target is a share in (0, 1], got {target}", hint="e.g. 0.9"
        )
    report = CalibrationReport(
        target_precision=target_precision,
        target_recall=target_recall,
        source=source,
        num_examples=len(labels),
    )
    for index, name in enumerate(classes):
        truth = labels == index
        item = ClassThreshold(class_name=name, threshold=0.0, support=int(truth.sum()))
        if item.support == 0:
            # Nothing to measure against: keep plain argmax for this class.
            item.reached_target = False
            report.classes.append(item)
            continue
        precision, recall, thresholds = precision_recall_curve(truth, probs[:, index])
        # The last curve point (precision 1, recall 0) has no threshold.
        points_p, points_r = precision[:-1], recall[:-1]
        if target_precision is not None:
            ok = np.flatnonzero(points_p >= target_precision)
            chosen = int(ok[0]) if len(ok) else int(np.argmax(points_p))
        else:
            ok = np.flatnonzero(points_r >= target)
            chosen = int(ok[-1]) if len(ok) else 0
        item.reached_target = bool(len(ok))
        item.threshold = float(thresholds[chosen])
        item.precision = round(float(points_p[chosen]), 4)
        item.recall = round(float(points_r[chosen]), 4)
        step = max(1, len(thresholds) // MAX_CURVE_POINTS)
        item.curve_precision = [round(float(v), 4) for v in points_p[::step]]
        item.curve_recall = [round(float(v), 4) for v in points_r[::step]]
        item.curve_thresholds = [round(float(v), 4) for v in thresholds[::step]]
        report.classes.append(item)
    thresholds_array = np.array([item.threshold for item in report.classes])
    answers = apply_thresholds(probs, thresholds_array)
    answered = answers >= 0
    report.coverage = round(float(answered.mean()), 4) if len(answers) else None
    if answered.any():
        report.precision = round(float((answers[answered] == labels[answered]).mean()), 4)
    return report


def apply_thresholds(
    probs: npt.NDArray[np.float64], thresholds: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """The most probable class per row, or -1 where its probability is below its threshold."""
    import numpy as np

    best = probs.argmax(axis=1)
    best_prob = probs[np.arange(len(best)), best]
    answers: npt.NDArray[np.int64] = np.where(best_prob >= thresholds[best], best, -1).astype(
        np.int64
    )
    return answers
