"""LLM judges: the rubric metric (fake judge) and pairwise preference with position swapping."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from gristmill.errors import InvalidInputError
from gristmill.evals import (
    LLMJudgeMetric,
    get_metric,
    pairwise_preference,
    register_judge_metric,
)
from gristmill.llm import ProviderCall, ProviderReply, providers


class PickerProvider:
    """A judge plugin for tests: prefers the longer response, or always response 1
    (``model='first'``: a maximally position-biased judge)."""

    name = "picker"

    def __init__(self, settings: Any, resources: Any) -> None:
        self.model = settings.model or "longer"

    def identity(self) -> dict[str, str]:
        return {"provider": "picker", "model": self.model}

    def generate(self, call: ProviderCall) -> ProviderReply:
        prompt = call.messages[-1]["content"]
        one = re.search(r"RESPONSE 1:\n(.*?)\n\nRESPONSE 2:", prompt, re.S)
        two = re.search(r"RESPONSE 2:\n(.*?)\n\nGive", prompt, re.S)
        assert one and two
        if self.model == "first":
            winner = "1"
        elif len(one.group(1)) == len(two.group(1)):
            winner = "tie"
        else:
            winner = "1" if len(one.group(1)) > len(two.group(1)) else "2"
        text = json.dumps({"reason": "by length", "winner": winner})
        return ProviderReply(text=text, input_tokens=1, output_tokens=1, finish_reason="stop")

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def truncate(self, text: str, max_tokens: int) -> str:
        return text

    def close(self) -> None:
        return None


@pytest.fixture(autouse=True)
def picker() -> Iterator[None]:
    providers.register("picker", PickerProvider, replace=True)
    yield
    providers.unregister("picker")


INPUTS = ["Summarise: the cat sat on the mat.", "Summarise: rain fell all day.", "Q: 2+2?"]
LONG = ["A cat sat on a mat all afternoon.", "It rained the whole day long.", "Four."]
SHORT = ["Cat.", "Rain.", "4"]


def test_rubric_judge_scores_one_to_five_with_reasons() -> None:
    metric = LLMJudgeMetric("fake")
    verdicts = metric.judge([*LONG[:2], None], [["a cat on a mat"], [], []], INPUTS)
    assert verdicts[2] is None  # no prediction, no judgement
    for verdict in verdicts[:2]:
        assert verdict is not None and 1 <= verdict.score <= 5 and verdict.reason
    scores = metric.score(LONG, [[], [], []], INPUTS)["llm_judge"]
    assert metric.score(LONG, [[], [], []], INPUTS)["llm_judge"] == scores  # deterministic
    assert all(s is not None and 1 <= s <= 5 for s in scores)
    assert metric.prompt("in", ["ref"], "out").count("REFERENCE:") == 1
    with pytest.raises(InvalidInputError, match="needs the inputs"):
        metric.score(LONG, [[], [], []])


def test_llm_judge_is_registered_and_uses_the_configured_llm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    register_judge_metric(replace=True)
    metric = get_metric("llm_judge")
    assert isinstance(metric, LLMJudgeMetric) and metric.judge_model is None
    monkeypatch.setenv("GRISTMILL_LLM", "fake")
    fresh = LLMJudgeMetric()
    assert fresh.llm().settings.provider == "fake"


def test_pairwise_preference_counts_only_consistent_wins() -> None:
    preference = pairwise_preference(INPUTS, LONG, SHORT, judge="picker/longer")
    assert (preference.wins_a, preference.wins_b, preference.ties) == (3, 0, 0)
    assert preference.inconsistent == 0 and preference.win_rate_a == 1.0
    assert preference.outcomes == ["a", "a", "a"]
    reverse = pairwise_preference(INPUTS, SHORT, LONG, judge="picker/longer")
    assert reverse.wins_b == 3


def test_a_position_biased_judge_produces_ties_not_wins() -> None:
    preference = pairwise_preference(INPUTS, LONG, SHORT, judge="picker/first")
    assert preference.wins_a == preference.wins_b == 0
    assert preference.ties == preference.inconsistent == 3
    assert preference.p_value is None


def test_pairwise_skips_missing_predictions_and_checks_alignment() -> None:
    preference = pairwise_preference(INPUTS, [LONG[0], None, LONG[2]], SHORT,
                                     judge="picker/longer")  # fmt: skip
    assert preference.n == 2 and preference.n_missing == 1 and preference.outcomes[1] is None
    with pytest.raises(InvalidInputError, match="aligned rows"):
        pairwise_preference(INPUTS, LONG, SHORT[:2], judge="picker/longer")
