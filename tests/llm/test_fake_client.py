"""The client over the deterministic fake provider: answers, structure, cache, batches, usage."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from gristmill.errors import InvalidInputError
from gristmill.llm import CompletionRequest, get_llm, usage_summary
from gristmill.llm._jsonschema import schema_errors


class Tag(BaseModel):
    name: str = Field(min_length=2, max_length=12)
    weight: float = Field(ge=0, le=1)


class Facet(BaseModel):
    topic: str
    sentiment: Literal["positive", "neutral", "negative"]
    turns: int = Field(ge=1, le=50)
    tags: list[Tag] = Field(min_length=1, max_length=3)
    summary: str | None = None


def test_answers_are_deterministic_and_depend_on_the_prompt(project: Path) -> None:
    llm = get_llm("fake", cache=False)
    first = llm.complete("Describe the river.")
    assert first.text == llm.complete("Describe the river.").text
    others = {llm.complete(f"Describe river {i}.").text for i in range(10)}
    assert len(others) > 5
    assert first.provider == "fake" and first.usage.output_tokens > 0


def test_replies_option_is_picked_by_hash(project: Path) -> None:
    llm = get_llm("fake", options={"replies": ["alpha", "beta"]}, cache=False)
    answers = {llm.complete(f"q{i}").text for i in range(20)}
    assert answers == {"alpha", "beta"}


def test_structured_output_is_schema_valid_for_a_pydantic_model(project: Path) -> None:
    llm = get_llm("fake")
    for index in range(20):
        answer = llm.complete(f"conversation {index}", response_format=Facet)
        assert isinstance(answer.parsed, Facet)
        assert 1 <= len(answer.parsed.tags) <= 3
        assert answer.attempts == 1


def test_structured_output_is_schema_valid_for_a_json_schema(project: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "label": {"enum": ["spam", "ham"]},
            "score": {"type": "integer", "minimum": 3, "maximum": 4},
            "words": {"type": "array", "items": {"type": "string", "maxLength": 5}},
            "ref": {"$ref": "#/$defs/Inner"},
        },
        "required": ["label", "score", "words", "ref"],
        "additionalProperties": False,
        "$defs": {"Inner": {"type": "object", "properties": {"ok": {"type": "boolean"}}}},
    }
    llm = get_llm("fake")
    for index in range(20):
        answer = llm.complete(f"email {index}", response_format=schema)
        assert schema_errors(answer.parsed, schema) == []
        assert answer.parsed["label"] in ("spam", "ham")


def test_a_rerun_is_served_from_the_cache(project: Path) -> None:
    prompts = [f"title for cluster {i}" for i in range(6)]
    first = get_llm("fake").complete_batch(prompts)
    second_llm = get_llm("fake")
    second = second_llm.complete_batch(prompts)
    assert [c.text for c in first] == [c.text for c in second]
    assert not any(c.cached for c in first)
    assert all(c.cached for c in second)
    assert second_llm.usage().cache_hit_rate == 1.0
    summary = usage_summary()
    assert (summary.calls, summary.cached_calls) == (12, 6)
    assert summary.cache_hit_rate == 0.5
    assert (project / "cache" / "llm_cache.sqlite").is_file()


def test_cache_false_and_other_parameters_miss_the_cache(project: Path) -> None:
    llm = get_llm("fake")
    llm.complete("hello")
    assert llm.complete("hello").cached
    assert not llm.complete("hello", cache=False).cached
    assert not llm.complete("hello", seed=7).cached
    assert not llm.complete("hello", temperature=0.7).cached
    assert not llm.complete("hello", max_tokens=3).cached
    assert not llm.complete("hello", system_prompt="Be brief.").cached
    assert not get_llm("fake/other-model").complete("hello").cached


def test_batch_keeps_order_accepts_requests_and_reports_progress(project: Path) -> None:
    llm = get_llm("fake")
    seen: list[int] = []
    items: list[object] = [
        "plain prompt",
        [{"role": "user", "content": "as messages"}],
        CompletionRequest(prompt="structured", response_format=Tag),
    ]
    results = llm.complete_batch(items, concurrency=2, on_result=lambda i, _: seen.append(i))  # type: ignore[arg-type]
    assert sorted(seen) == [0, 1, 2]
    assert results[0].text == llm.complete("plain prompt").text
    assert results[1].text == llm.complete("as messages").text
    assert isinstance(results[2].parsed, Tag)
    assert llm.complete_batch([]) == []


def test_bad_batch_input_fails_before_any_call(project: Path) -> None:
    llm = get_llm("fake")
    with pytest.raises(InvalidInputError, match="message 0"):
        llm.complete_batch(["fine", [{"role": "robot", "content": "x"}]])
    assert llm.usage().calls == 0
    with pytest.raises(InvalidInputError, match="concurrency"):
        llm.complete_batch(["x"], concurrency=0)
    with pytest.raises(InvalidInputError, match="response_format"):
        llm.complete("x", response_format=str)
    with pytest.raises(InvalidInputError, match="empty"):
        llm.complete("   ")
    with pytest.raises(InvalidInputError, match="empty"):
        llm.complete([])
    with pytest.raises(InvalidInputError, match="no text content"):
        llm.complete([{"role": "user", "content": 5}])  # type: ignore[dict-item]


def test_a_system_prompt_goes_first_unless_the_messages_have_one(project: Path) -> None:
    from gristmill.llm._completion import normalize_messages

    assert normalize_messages("hi", "Be brief.")[0] == {"role": "system", "content": "Be brief."}
    own = [{"role": "system", "content": "Mine."}, {"role": "user", "content": "hi"}]
    assert normalize_messages(own, "Be brief.") == own


def test_token_counting_and_truncation(project: Path) -> None:
    llm = get_llm("fake")
    text = "The quick brown fox jumps over the lazy dog. " * 20
    assert llm.count_tokens(text) > 150
    cut = llm.truncate(text, 30)
    assert text.startswith(cut)
    assert llm.count_tokens(cut) <= 30
    assert llm.truncate("short", 30) == "short"
    assert llm.count_tokens([{"role": "user", "content": text}]) == llm.count_tokens(text)


def test_usage_records_cost_only_when_priced(project: Path) -> None:
    priced = get_llm("fake", price_input_per_million=2.0, price_output_per_million=4.0)
    answer = priced.complete("what does it cost")
    expected = (answer.usage.input_tokens * 2.0 + answer.usage.output_tokens * 4.0) / 1e6
    assert answer.cost == pytest.approx(expected)
    assert priced.complete("what does it cost").cost == 0.0
    assert get_llm("fake").complete("free").cost is None
    summary = usage_summary()
    assert summary.cost == pytest.approx(expected)
    assert summary.by_model["fake/fake"].calls == 3
