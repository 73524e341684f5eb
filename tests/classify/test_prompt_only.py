"""Honest prompt-only training (issue 13, item 6): a time budget, generated examples that do not
fit their class dropped, counts reported, and plain warnings when the result cannot be trusted.

The embedding is ``FakeEmbedding`` (a hashed bag of words): a text "fits" a class when it shares
words with that class's description, which keeps these tests fast and easy to reason about.
"""

from __future__ import annotations

import json
import random
import threading
from typing import Any

import pytest

from gristmill.classify import LLMClassifier, _generation
from gristmill.embed import FakeEmbedding
from gristmill.llm import LLM, LLMSettings, ProviderCall, ProviderReply
from tests.fixtures import sms_rows

PROMPTS = {
    "spam": "Spam: win a free prize, cash offer, claim reward, text WIN now.",
    "ham": "Ham: personal chat with friends and family, dinner plans, see you tonight.",
}
SPAM_WORDS = ("win", "free", "prize", "cash", "offer", "claim", "reward", "text")
HAM_WORDS = ("friends", "family", "dinner", "plans", "tonight", "chat", "personal")


class ScriptedProvider:
    """Answers the generation schemas with texts made of one class's words.

    ``swap`` names classes whose examples come out as the *other* class (an LLM that writes
    off-class text); ``clock`` (a one-item list) advances by ``seconds_per_call`` per call.
    """

    name = "scripted"

    def __init__(
        self,
        swap: frozenset[str] = frozenset(),
        clock: list[float] | None = None,
        seconds: float = 0,
    ) -> None:
        self.swap = set(swap)
        self.clock = clock
        self.seconds = seconds
        self.calls = 0
        self.lock = threading.Lock()

    def identity(self) -> dict[str, str]:
        return {"provider": "scripted", "model": "scripted"}

    def generate(self, call: ProviderCall) -> ProviderReply:
        with self.lock:
            self.calls += 1
            if self.clock is not None:
                self.clock[0] += self.seconds
        prompt = " ".join(message["content"] for message in call.messages)
        name = "spam" if PROMPTS["spam"] in prompt else "ham"
        if name in self.swap:
            name = "ham" if name == "spam" else "spam"
        words = SPAM_WORDS if name == "spam" else HAM_WORDS
        rng = random.Random(json.dumps([call.messages, call.seed]))

        def sentence() -> str:
            return " ".join(rng.sample(words, 4)) + f" {rng.randint(0, 10**6)}"

        assert call.json_schema is not None
        if "examples" in call.json_schema.get("properties", {}):
            text = json.dumps({"examples": [sentence() for _ in range(5)]})
        else:
            text = json.dumps({"text": sentence()})
        return ProviderReply(text=text, input_tokens=1, output_tokens=1, finish_reason="stop")

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def truncate(self, text: str, max_tokens: int) -> str:
        return text

    def close(self) -> None:
        return None


def scripted_llm(provider: ScriptedProvider, as_provider: str = "scripted") -> LLM:
    return LLM(LLMSettings(provider=as_provider), provider, cache=False)


def classifier(llm: LLM | str, **settings: Any) -> LLMClassifier:
    # FakeEmbedding gives every text a tiny shared component, so word salad is 1e-5 closer to
    # one description than another; a small margin stands for the real models' noise.
    settings.setdefault("fit_margin", 0.01)
    clf = LLMClassifier(llm=llm, second_embedding=None, show_progress=False, **settings)
    # Wide, so that hash collisions do not make word salad look like a description.
    clf._embedding = FakeEmbedding(dim=4096)
    return clf


def add_real_examples(clf: LLMClassifier, count: int = 3) -> None:
    rows = sms_rows()
    for label in ("spam", "ham"):
        clf.add_data_to_class(
            label, [text for text, row_label in rows if row_label == label][:count]
        )


def test_off_class_generations_are_dropped_and_counted() -> None:
    clf = classifier(scripted_llm(ScriptedProvider(swap=frozenset({"spam"}))), examples_per_class=6)
    add_real_examples(clf)
    with pytest.warns(UserWarning, match="a capable LLM is needed"):
        report = clf.prompt_train(PROMPTS)
    assert report.generation is not None
    by_class = {item.class_name: item for item in report.generation.classes}
    # Every "spam" generation was ham text: all dropped, none trained on.
    assert by_class["spam"].kept == 0 and by_class["spam"].off_class > 0
    assert by_class["ham"].kept == 6 and by_class["ham"].off_class == 0
    assert by_class["spam"].generated >= by_class["spam"].off_class
    assert report.counts["ham"]["generated"] == 6
    assert report.counts["spam"] == {"real": 3, "generated": 0}
    assert any("spam: 0 kept of 6 asked" in w for w in report.warnings)
    assert any("llm: openai:http://HOST:PORT/v1/MODEL" in w for w in report.warnings)
    assert any("GRISTMILL_LLM=openai:" in w for w in report.warnings)
    lines = report.generation.lines()
    assert lines[0].startswith("spam: ") and "0 kept" in lines[0] and "off-class" in lines[0]


def test_without_the_fit_check_off_class_text_is_trained_on() -> None:
    # The counterpart of the test above: the check, not something else, drops them.
    clf = classifier(
        scripted_llm(ScriptedProvider(swap=frozenset({"spam"}))),
        examples_per_class=6,
        fit_margin=None,
    )
    report = clf.prompt_train(PROMPTS)
    assert report.generation is not None
    assert {item.class_name: item.kept for item in report.generation.classes}["spam"] == 6


def test_junk_from_the_fake_llm_is_dropped_and_training_says_a_capable_llm_is_needed() -> None:
    # The fake LLM writes word salad ("Amber basin cedar.") that fits no description.
    clf = classifier("fake", examples_per_class=4)
    add_real_examples(clf, 6)
    with pytest.warns(UserWarning, match="a capable LLM is needed"):
        report = clf.prompt_train(PROMPTS)
    assert report.generation is not None
    assert all(item.off_class > 0 and item.kept == 0 for item in report.generation.classes)
    assert report.counts["spam"] == {"real": 6, "generated": 0}


def test_the_embedded_local_model_always_gets_the_capable_llm_warning() -> None:
    # Examples that fit still come with the warning when the embedded model wrote them.
    llm = scripted_llm(ScriptedProvider(), as_provider="local")
    clf = classifier(llm, examples_per_class=4)
    with pytest.warns(UserWarning, match="embedded local model"):
        report = clf.prompt_train(PROMPTS)
    assert report.generation is not None and report.generation.kept == 8
    good = classifier(scripted_llm(ScriptedProvider()), examples_per_class=4)
    assert not any("capable LLM" in w for w in good.prompt_train(PROMPTS).warnings)


def test_generation_stops_at_the_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    monkeypatch.setattr(_generation, "_now", lambda: clock[0])
    unbounded = ScriptedProvider()
    classifier(scripted_llm(unbounded), examples_per_class=20, time_budget_s=None).prompt_train(
        PROMPTS
    )
    provider = ScriptedProvider(clock=clock, seconds=10.0)
    clf = classifier(scripted_llm(provider), examples_per_class=20, time_budget_s=95.0)
    add_real_examples(clf)
    with pytest.warns(UserWarning, match="time budget of 95 s"):
        report = clf.prompt_train(PROMPTS)
    generation = report.generation
    assert generation is not None and generation.stopped_early
    assert generation.skipped_calls > 0 and 0 < generation.kept < 40
    # Checked between chunks of calls: at most one chunk runs past the budget.
    assert provider.calls <= 95 / 10 + _generation.CALLS_PER_CHUNK < unbounded.calls


def test_a_model_at_chance_is_never_returned_without_a_warning() -> None:
    rows = sms_rows()
    texts = [text for text, _ in rows[:60]]
    labels = ["a", "b"] * 30  # labels that have nothing to do with the texts
    clf = classifier("fake")
    for text, label in zip(texts, labels, strict=True):
        clf.add_data_to_class(label, text)
    with pytest.warns(UserWarning, match="may predict at chance"):
        report = clf.train()
    assert report.chance_accuracy == 0.5
    assert report.cv_accuracy_interval is not None
    assert report.cv_accuracy_interval[0] <= 0.5


def test_a_real_classifier_gets_no_chance_warning(sms_classifier: LLMClassifier) -> None:
    report = sms_classifier.report
    assert report is not None and report.cv_accuracy_interval is not None
    assert report.cv_accuracy_interval[0] > 0.5
    assert not any("chance" in w for w in report.warnings)


def test_bad_budget_and_margin_are_refused() -> None:
    from gristmill.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="time_budget_s"):
        LLMClassifier(time_budget_s=0)
    with pytest.raises(InvalidInputError, match="fit_margin"):
        LLMClassifier(fit_margin=1.5)
