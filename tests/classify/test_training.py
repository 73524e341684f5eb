"""Generation, training, prediction and bad input, with the fake LLM and the real MiniLM."""

from __future__ import annotations

from typing import Any

import pytest

from gristmill.classify import LLMClassifier
from gristmill.errors import InvalidInputError, ProviderError
from gristmill.llm import LLM, LLMSettings, ProviderCall, ProviderReply

PROMPTS = {
    "correct": "Questions with correct answers.",
    "incorrect": "Questions with wrong answers.",
}


class JunkProvider:
    """Answers text that is never the JSON asked for (or raises), to test the failure path."""

    name = "junk"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0

    def identity(self) -> dict[str, str]:
        return {"provider": "junk", "model": "junk"}

    def generate(self, call: ProviderCall) -> ProviderReply:
        self.calls += 1
        if self.fail:
            raise ProviderError("the junk server is down", hint="none")
        return ProviderReply(text="lol no", input_tokens=1, output_tokens=1, finish_reason="stop")

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def truncate(self, text: str, max_tokens: int) -> str:
        return text

    def close(self) -> None:
        return None


def junk_llm(fail: bool = False) -> tuple[LLM, JunkProvider]:
    provider = JunkProvider(fail)
    settings = LLMSettings(provider="junk", structured_retries=1)
    return LLM(settings, provider, cache=False), provider  # type: ignore[arg-type]


def test_prompt_train_generates_tagged_deduplicated_examples() -> None:
    clf = LLMClassifier(llm="fake", examples_per_class=6, show_progress=False)
    clf.add_data_to_class("correct", ["Q: 2+2? A: 4.", "Q: Capital of France? A: Paris."])
    clf.add_data_to_class("incorrect", ["Q: 2+2? A: 5.", "Q: Capital of France? A: Rome."])
    report = clf.prompt_train(PROMPTS)
    assert report.classes == ["correct", "incorrect"]
    assert report.generation is not None
    for item in report.generation.classes:
        assert 0 < item.kept <= 6
        assert item.generated >= item.kept
    sources = {e.source for e in clf.get_examples()}
    assert sources == {"real", "generated"}
    assert report.counts["correct"]["real"] == 2
    texts = [e.text.casefold() for e in clf.get_examples()]
    assert len(texts) == len(set(texts))
    # Cross-validation is scored on real examples only, and the matrix covers them all.
    assert report.cv_on == "real"
    assert sum(map(sum, report.confusion_matrix)) == 4
    assert clf.predict(["Q: 3+3? A: 6."])[0] in PROMPTS


def test_rerun_is_served_from_the_llm_cache() -> None:
    # The fake LLM's word salad fits neither class; without the fit check it is kept, which is
    # all this test needs to compare two runs.
    first = LLMClassifier(llm="fake", examples_per_class=4, show_progress=False, fit_margin=None)
    first.prompt_train(PROMPTS)
    second = LLMClassifier(llm="fake", examples_per_class=4, show_progress=False, fit_margin=None)
    report = second.prompt_train(PROMPTS)
    assert report.generation is not None
    assert report.generation.cached_calls == report.generation.calls > 0
    assert second.get_data() == first.get_data()


def test_classes_only_in_data_become_classes(sms_split: Any) -> None:
    train, _ = sms_split
    # No fit check: the fake LLM's word salad would be dropped as off-class (tested elsewhere).
    clf = LLMClassifier(llm="fake", examples_per_class=3, show_progress=False, fit_margin=None)
    for text, label in train:
        clf.add_data_to_class(label, text)
    clf.add_data_to_class("greeting", ["hello there!", "hi, how are you?", "good morning :)"])
    clf.prompt_train({"spam": "Unsolicited commercial SMS messages, prizes and scams."})
    assert set(clf.classes) == {"spam", "ham", "greeting"}
    counts = clf.report.counts if clf.report else {}
    assert counts["ham"]["generated"] == 0 and counts["spam"]["generated"] > 0


def test_real_data_only_beats_chance_on_held_out_sms(
    sms_classifier: LLMClassifier, sms_split: Any
) -> None:
    _, held_out = sms_split
    texts, labels = [t for t, _ in held_out], [label for _, label in held_out]
    result = sms_classifier.evaluate(texts, labels)
    assert result.accuracy > 0.85
    assert result.macro_f1 > 0.75
    assert result.num_examples == 120
    top = sms_classifier.classify(texts[:3], top_n=1)
    assert all(len(row) == 1 for row in top)
    full = sms_classifier.classify(texts[:1])[0]
    assert [r["class_name"] for r in full] != [] and abs(sum(r["prob"] for r in full) - 1) < 1e-6
    assert full[0]["prob"] >= full[1]["prob"]


def test_llm_returning_junk_trains_on_what_exists_and_warns() -> None:
    llm, provider = junk_llm()
    clf = LLMClassifier(llm=llm, examples_per_class=2, show_progress=False)
    clf.add_data_to_class("correct", ["Q: 2+2? A: 4.", "Q: 3+3? A: 6."])
    clf.add_data_to_class("incorrect", ["Q: 2+2? A: 5.", "Q: 3+3? A: 7."])
    with pytest.warns(UserWarning, match="no usable examples"):
        report = clf.prompt_train(PROMPTS)
    assert provider.calls >= 2  # asked, re-asked with the error
    assert report.generation is not None and report.generation.failed_calls > 0
    assert any("failed" in w for w in report.warnings)
    assert clf.predict(["Q: 4+4? A: 8."])[0] in PROMPTS


def test_llm_failing_with_no_data_never_trains_on_an_empty_set() -> None:
    llm, _ = junk_llm(fail=True)
    clf = LLMClassifier(llm=llm, examples_per_class=2, show_progress=False)
    with pytest.raises(ProviderError, match="only 0 class"):
        clf.prompt_train(PROMPTS)
    with pytest.raises(InvalidInputError, match="not trained"):
        clf.predict(["anything"])


def test_bad_input() -> None:
    clf = LLMClassifier(llm="fake", show_progress=False)
    with pytest.raises(InvalidInputError, match="non-empty dict"):
        clf.prompt_train({})
    with pytest.raises(InvalidInputError, match="neither a prompt nor examples"):
        clf.prompt_train({"a": "Something.", "b": "  "})
    with pytest.raises(InvalidInputError, match="not trained"):
        clf.predict(["x"])
    with pytest.raises(InvalidInputError):
        clf.add_data_to_class("a", [])
    with pytest.raises(InvalidInputError):
        clf.add_data_to_class("", "text")
    clf.add_data_to_class("a", "only one class")
    with pytest.raises(InvalidInputError, match="at least 2 classes"):
        clf.train()
    with pytest.raises(InvalidInputError):
        LLMClassifier(near_duplicate_threshold=0)


def test_predict_rejects_a_bare_string(sms_classifier: LLMClassifier) -> None:
    with pytest.raises(InvalidInputError, match="single string"):
        sms_classifier.predict("free prize")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="not classes"):
        sms_classifier.calibrate(["x"], ["neither"])
    # A label the model lacks counts as wrong in evaluation instead of failing it.
    assert sms_classifier.evaluate(["x"], ["neither"]).accuracy == 0.0


def test_cross_validation_on_one_example_per_class_warns() -> None:
    # One real example per class gave cv_accuracy 0.5 or 0.0 with no warning (issue 12).
    clf = LLMClassifier(llm="fake", examples_per_class=4, show_progress=False)
    clf.add_data_to_class("correct", "Q: 2+2? A: 4.")
    clf.add_data_to_class("incorrect", "Q: 2+2? A: 5.")
    with pytest.warns(UserWarning, match="cannot tell a good classifier from a bad one"):
        report = clf.prompt_train(PROMPTS)
    assert report.cv_accuracy is not None and report.cv_on == "real"
    assert any("2 real examples (1 in the smallest class)" in w for w in report.warnings)
    alone = LLMClassifier(llm="fake", show_progress=False)
    alone.add_data_to_class("correct", "Q: 2+2? A: 4.")
    alone.add_data_to_class("incorrect", "Q: 2+2? A: 5.")
    with pytest.warns(UserWarning, match="too few examples to cross-validate"):
        assert alone.train().cv_accuracy is None
