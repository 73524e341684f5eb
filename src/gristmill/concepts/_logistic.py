"""Binary logistic regression fitted by Newton's method, in NumPy.

It minimises the objective of scikit-learn's
``LogisticRegression(C=c, class_weight='balanced')``::

    0.5 * |w|^2 + c * sum_i s_i * log(1 + exp(-y_i (x_i . w + b)))      y_i in {-1, +1}

with ``s_i = n / (2 * n_class(i))`` and an unpenalised intercept ``b``. We fit it ourselves
because importing scikit-learn (and SciPy under it) took ~3.5 s of a fresh process's 4 s to
train a 30-example concept; NumPy is already loaded for the embeddings. The objective is smooth
and strictly convex, so Newton's method reaches the exact optimum in a handful of steps (each
one linear solve, of size min(n, dim + 1)), in float64 whatever the input precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatVector = npt.NDArray[np.float64]

MAX_ITERATIONS = 100
# Stop when the largest gradient entry, relative to the objective's scale (c * n, the weighted
# loss of a zero model is about c * n * log 2), is below this: far below float32 score noise.
GRADIENT_TOLERANCE = 1e-10


@dataclass(frozen=True)
class LogisticFit:
    weights: FloatVector
    intercept: float
    iterations: int

    def predict_proba(self, vectors: Any) -> FloatVector:
        """Probability of the positive class per row."""
        import numpy as np

        logits = np.asarray(vectors, dtype=np.float64) @ self.weights + self.intercept
        probabilities: FloatVector = _sigmoid(logits)
        return probabilities


def balanced_weights(y: Any) -> FloatVector:
    """scikit-learn's ``class_weight='balanced'``: n / (2 * count of the example's class)."""
    import numpy as np

    labels = np.asarray(y, dtype=bool)
    n = labels.shape[0]
    positives = int(labels.sum())
    weights: FloatVector = np.where(labels, n / (2.0 * positives), n / (2.0 * (n - positives)))
    return weights


def fit_logistic(vectors: Any, y: Any, c: float) -> LogisticFit:
    """Fit on ``vectors`` [n, d] and boolean/0-1 labels ``y`` (both classes present)."""
    import numpy as np

    x = np.asarray(vectors, dtype=np.float64)
    labels = np.asarray(y, dtype=bool)
    n, d = x.shape
    # The intercept as a last column of ones: one (d + 1) Newton system for weights and bias.
    design = np.hstack([x, np.ones((n, 1))])
    target = labels.astype(np.float64)
    sample = c * balanced_weights(labels)
    penalty = np.ones(d + 1)
    penalty[d] = 0.0
    theta = np.zeros(d + 1)
    scale = c * n
    objective = _objective(design, target, sample, penalty, theta)
    iterations = 0
    while iterations < MAX_ITERATIONS:
        iterations += 1
        p = _sigmoid(design @ theta)
        gradient = design.T @ (sample * (p - target)) + penalty * theta
        if np.abs(gradient).max() <= GRADIENT_TOLERANCE * scale:
            break
        step = _newton_step(x, design, sample * p * (1.0 - p), penalty, gradient)
        # Backtracking keeps each step a descent even from the zero start on separable data,
        # where a full Newton step can overshoot; near the optimum the full step is taken.
        rate = 1.0
        while True:
            candidate = theta - rate * step
            value = _objective(design, target, sample, penalty, candidate)
            if value <= objective or rate < 1e-8:
                break
            rate *= 0.5
        if value > objective:  # no descent left at float64 precision: this is the optimum
            break
        theta, objective = candidate, value
    return LogisticFit(weights=theta[:d].copy(), intercept=float(theta[d]), iterations=iterations)


def _objective(design: Any, target: Any, sample: Any, penalty: Any, theta: Any) -> float:
    import numpy as np

    logits = design @ theta
    # log(1 + exp(z)) - t * z, computed without overflow for large |z|.
    losses = np.logaddexp(0.0, logits) - target * logits
    return float(sample @ losses + 0.5 * (penalty * theta) @ theta)


def _newton_step(x: Any, design: Any, curvature: Any, penalty: Any, gradient: Any) -> Any:
    """Solve ``H step = gradient`` for the Hessian ``H = design' diag(curvature) design + P``."""
    import numpy as np

    n, d = x.shape
    if n < d:
        step = _small_sample_step(x, curvature, gradient)
        if step is not None:
            return step
    hessian = (design.T * curvature) @ design
    hessian[np.diag_indices_from(hessian)] += penalty
    return _solve(hessian, gradient)


def _small_sample_step(x: Any, curvature: Any, gradient: Any) -> Any:
    """The Newton step in O(n^2 d) when there are fewer examples than dimensions.

    A typical concept has 20-100 examples of 384-d vectors: a (d+1)-square solve per step
    cost more than the rest of training. The weight block of the Hessian is ``I + Z'Z`` with
    ``Z = sqrt(curvature) * X``, so (Woodbury) ``(I + Z'Z)^-1 v = v - Z' (I + ZZ')^-1 Z v``,
    an n-square solve of a matrix with eigenvalues >= 1 (always well conditioned); the
    unpenalised intercept is eliminated by its Schur complement. Returns None if the
    intercept's curvature is gone (every probability saturated): the caller's general solve
    handles that.
    """
    import numpy as np

    d = x.shape[1]
    z = x * np.sqrt(curvature)[:, None]
    inner = np.eye(x.shape[0]) + z @ z.T
    cross = x.T @ curvature  # the Hessian's weight-intercept block
    right = np.column_stack([gradient[:d], cross])
    solved = right - z.T @ np.linalg.solve(inner, z @ right)
    schur = float(curvature.sum() - cross @ solved[:, 1])
    if not schur > 1e-12 * max(float(curvature.sum()), 1e-300):
        return None
    intercept_step = (gradient[d] - cross @ solved[:, 0]) / schur
    return np.append(solved[:, 0] - solved[:, 1] * intercept_step, intercept_step)


def _solve(hessian: Any, gradient: Any) -> Any:
    import numpy as np

    try:
        return np.linalg.solve(hessian, gradient)
    except np.linalg.LinAlgError:
        # Singular only if no example has curvature left (all probabilities saturated) and the
        # intercept is unpenalised: the least-squares step is still a valid direction.
        return np.linalg.lstsq(hessian, gradient, rcond=None)[0]


def _sigmoid(logits: Any) -> Any:
    import numpy as np

    # Clipped so exp never overflows; beyond +-50 the probability is 0 or 1 in float64 anyway.
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -50.0, 50.0)))
