"""A tiny generation with the real embedded LLM (SmolLM2-135M): slow, still run in CI."""

from __future__ import annotations

import pytest

from gristmill.classify import LLMClassifier
from gristmill.llm import local_llm_available

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not local_llm_available(), reason="gristmill[local-llm] is not installed")
def test_local_llm_generates_a_few_examples() -> None:
    clf = LLMClassifier(llm="local", examples_per_class=2, max_rounds=1, show_progress=False)
    clf.add_data_to_class("spam", "WINNER! Claim your free prize: text WIN to 80086 now")
    clf.add_data_to_class("ham", "ok, see you at the station at 6")
    # The embedded model's examples are weak: training always says a capable LLM is needed.
    with pytest.warns(UserWarning, match="embedded local model"):
        report = clf.prompt_train(
            {"spam": "Unsolicited SMS adverts and prize scams.", "ham": "Personal SMS messages."}
        )
    assert report.generation is not None
    assert report.generation.calls > 0
    # Some may be dropped as off-class; what was written is counted either way.
    assert sum(item.generated for item in report.generation.classes) > 0, report.generation
    generated = [e for e in clf.get_examples() if e.source == "generated"]
    assert all(e.text.strip() for e in generated)
    assert set(clf.predict(["free entry to win a car, reply now"])) <= {"spam", "ham", None}
