from __future__ import annotations

import math

import pytest

from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.evals import (
    BaseMetric,
    CorpusMetric,
    Metric,
    builtin_metrics,
    compute_scores,
    get_metric,
    higher_is_better,
    list_metrics,
    metric_from_function,
    metrics,
    register_builtin_metrics,
    register_metric,
)

BUILTINS = {
    "rouge",
    "bleu",
    "chrf",
    "meteor",
    "bertscore_minilm",
    "exact_match",
    "token_f1",
    "answer_length",
}


class ShoutMetric(BaseMetric):
    """A user's metric: share of upper-case letters, no reference needed."""

    name = "shout"
    sub_metrics = ("shout",)
    higher_is_better = None
    needs_references = False

    def score_rows(self, predictions, references, inputs):  # type: ignore[no-untyped-def]
        return {"shout": [sum(c.isupper() for c in p) / max(1, len(p)) for p in predictions]}


@pytest.fixture
def clean_registry():  # type: ignore[no-untyped-def]
    # Only what the test added goes: metrics registered at import (llm_judge) stay for the
    # tests that run after this one.
    before = set(list_metrics())
    yield
    for name in list_metrics():
        if name not in before:
            metrics.unregister(name)
    register_builtin_metrics(replace=True)


def test_builtins_are_registered_and_satisfy_the_protocol() -> None:
    assert set(list_metrics()) >= BUILTINS
    for name in BUILTINS:
        metric = get_metric(name)
        assert isinstance(metric, Metric)
        assert metric.name == name
        assert metric.sub_metrics
    assert isinstance(get_metric("bleu"), CorpusMetric)
    assert isinstance(get_metric("chrf"), CorpusMetric)
    assert not isinstance(get_metric("rouge"), CorpusMetric)
    assert {m.name for m in builtin_metrics()} == BUILTINS


def test_sub_metric_names_are_unique_across_builtins() -> None:
    names = [s for m in builtin_metrics() for s in m.sub_metrics]
    assert len(names) == len(set(names))


def test_unknown_metric_lists_the_known_ones() -> None:
    with pytest.raises(NotFoundError) as caught:
        get_metric("bluer")
    assert "bleu" in str(caught.value)
    assert "register_metric" in str(caught.value)


def test_user_metric_class_registers_like_a_builtin(clean_registry: None) -> None:
    register_metric(ShoutMetric())
    assert "shout" in list_metrics()
    scores = compute_scores(["shout", "exact_match"], ["ABcd", None], [["x"], ["y"]])
    assert scores == {"shout": [0.5, None], "exact_match": [0.0, None]}
    assert higher_is_better(get_metric("shout")) is None


def test_user_function_metric(clean_registry: None) -> None:
    def starts_like_reference(prediction: str, references: list[str], input_: str | None) -> float:
        """1 when the prediction starts with the first reference's first word."""
        return float(prediction.split()[:1] == references[0].split()[:1])

    metric = register_metric(metric_from_function("same_start", starts_like_reference))
    assert metric.sub_metrics == ("same_start",)
    scores = get_metric("same_start").score(["a b", "c d", None, "e"], [["a x"], ["z"], ["a"], []])
    assert scores == {"same_start": [1.0, 0.0, None, None]}
    assert "first word" in getattr(metric, "description", "")


def test_function_metric_may_decline_a_row_and_sees_inputs() -> None:
    def input_length_ratio(
        prediction: str, references: list[str], input_: str | None
    ) -> float | None:
        if not input_:
            return None
        return len(prediction) / len(input_)

    metric = metric_from_function("ratio", input_length_ratio, needs_references=False)
    scores = metric.score(["ab", "abcd"], [[], []], inputs=["abcd", ""])
    assert scores == {"ratio": [0.5, None]}


def test_registering_a_taken_name_needs_replace(clean_registry: None) -> None:
    with pytest.raises(InvalidInputError, match="already registered"):
        register_metric(metric_from_function("rouge", lambda p, r, i: 1.0))
    register_metric(metric_from_function("rouge", lambda p, r, i: 1.0), replace=True)
    assert get_metric("rouge").sub_metrics == ("rouge",)


@pytest.mark.parametrize(
    "bad",
    [object(), "rouge", metric_from_function("x", lambda p, r, i: 1.0).__class__],
)
def test_register_rejects_non_metrics(bad: object) -> None:
    with pytest.raises(InvalidInputError, match="not a metric"):
        register_metric(bad)  # type: ignore[arg-type]


def test_register_rejects_bad_sub_metrics() -> None:
    metric = ShoutMetric()
    metric.sub_metrics = ("a", "a")
    with pytest.raises(InvalidInputError, match="sub_metrics"):
        register_metric(metric)


def test_metric_from_function_needs_a_callable() -> None:
    with pytest.raises(InvalidInputError, match="callable"):
        metric_from_function("x", 3)  # type: ignore[arg-type]


def test_compute_scores_rejects_colliding_sub_metrics() -> None:
    clash = metric_from_function("rouge1", lambda p, r, i: 1.0)
    with pytest.raises(InvalidInputError, match="both produce 'rouge1'"):
        compute_scores(["rouge", clash], ["a"], [["a"]])


def test_compute_scores_rejects_a_metric_with_the_wrong_shape() -> None:
    class Broken(ShoutMetric):
        def score(self, predictions, references, inputs=None):  # type: ignore[no-untyped-def]
            return {"shout": [1.0]}

    with pytest.raises(InvalidInputError, match="wrong shape"):
        compute_scores([Broken()], ["a", "b"], [["a"], ["b"]])


def test_input_checks() -> None:
    metric = get_metric("exact_match")
    with pytest.raises(InvalidInputError, match="2 predictions but 1 reference rows"):
        metric.score(["a", "b"], [["a"]])
    with pytest.raises(InvalidInputError, match="predictions must be a list"):
        metric.score("abc", [["a"]] * 3)
    with pytest.raises(InvalidInputError, match="not a string"):
        metric.score([3], [["a"]])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="reference of row 0"):
        metric.score(["a"], [[1]])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="inputs"):
        metric.score(["a"], [["a"]], inputs=["x", "y"])


def test_missing_values_and_bare_string_references() -> None:
    metric = get_metric("exact_match")
    # A bare string is one reference; NaN (pandas' missing string) counts as missing.
    scores = metric.score(["a", math.nan, "b", "c"], ["a", ["x"], None, [None, "C"]])  # type: ignore[list-item]
    assert scores == {"exact_match": [1.0, None, None, 1.0]}


def test_empty_input_gives_empty_columns() -> None:
    assert compute_scores(["rouge", "bleu"], [], []) == {
        "rouge1": [], "rouge2": [], "rougeL": [], "rougeLsum": [], "bleu": []
    }  # fmt: skip


def test_importing_evals_loads_no_heavy_package() -> None:
    import subprocess
    import sys

    heavy = ["numpy", "nltk", "sacrebleu", "rouge_score", "onnxruntime", "tokenizers"]
    code = f"import sys, gristmill.evals; print([m for m in {heavy!r} if m in sys.modules])"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


def test_lumigator_bertscore_name_points_to_the_offline_one() -> None:
    # Lumigator asks for metrics=['bertscore'] (issue 12).
    with pytest.raises(NotFoundError) as caught:
        get_metric("bertscore")
    hint = caught.value.hint or ""
    assert "'bertscore_minilm'" in hint and "not comparable" in hint and "roberta-large" in hint
