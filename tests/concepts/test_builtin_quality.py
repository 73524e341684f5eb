"""Real MiniLM: built-in concepts score their held-out examples well (slow)."""

from __future__ import annotations

import pytest

from gristmill.concepts import create_concept, get_concept, load_held_out

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ["profanity", "toxicity", "legal", "source-code", "non-english"])
def test_builtin_scores_its_held_out_examples(name: str) -> None:
    from sklearn.metrics import roc_auc_score

    held = load_held_out(name)
    # A slice keeps the test quick; the full sets are measured in benchmarks/bench_concepts.py.
    positives = [x for x in held if x.label][:40]
    negatives = [x for x in held if not x.label][:40]
    sample = positives + negatives
    scores = get_concept("gristmill", name).score([x.text for x in sample])
    assert roc_auc_score([x.label for x in sample], scores) > 0.85


def test_minilm_concept_separates_obvious_examples() -> None:
    concept = create_concept("local", "animals")
    concept.add_examples(
        [
            "The cat purred on my lap.",
            "Dogs love to fetch sticks.",
            "A horse galloped across",
            "The parrot repeated my words.",
            "Our hamster runs on its wheel.",
        ],
        label=True,
    )
    concept.add_examples(
        [
            "The stock market fell today.",
            "Add two cups of flour.",
            "The train leaves at noon.",
            "Please submit the tax form.",
            "The server crashed overnight.",
        ],
        label=False,
    )
    scores = concept.score(["My puppy chewed the slipper.", "Quarterly earnings beat forecasts."])
    assert scores[0] > 0.5 > scores[1]
