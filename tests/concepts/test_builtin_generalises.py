"""Real MiniLM: the shipped built-in models on text from outside their training sources (slow).

The texts below were written for this test, in registers the built-ins were not built from
(casual SMS-style swearing, obfuscated spellings, threats without swear words) and as hard
negatives (code words like "kill"/"abort", news about violence, polite disagreement, anatomy,
English that borrows foreign words). The cross-source figures are in docs/concepts.md.
"""

from __future__ import annotations

import pytest

from gristmill.concepts import get_concept, load_held_out

pytestmark = pytest.mark.slow

OUTSIDE: dict[str, tuple[list[str], list[str]]] = {
    "profanity": (
        [
            "ugh my flight got cancelled again, this airline is fucking useless",
            "lmao he's such a dumbass, tripped over his own shoelace",
            "wtf is this sh*t, I ordered a large pizza",
            "the new update is complete bullshit, nothing works",
            # Scored below 0.5 by the version-1 model (built mostly from tweets): 0.46.
            "sh1t i left my wallet at the pub",
            "omg my sister is being such a pain in the a$$ today",
        ],
        [
            "The movie contains mild language and some violence.",
            "Prostate exams are recommended for men over fifty.",
            "I completely disagree with your review; the film was thoughtful and well acted.",
            "Darn it, the cookies burned again.",
            # Scored 0.66 by the version-1 model ("hoe" is tweet slang there).
            "He planted beans and used a hoe to weed between the rows.",
            "The clinic offers free screening for breast and cervical cancer.",
        ],
    ),
    "toxicity": (
        [
            "You're a pathetic failure and your kids will hate you one day.",
            "women like her belong in the kitchen, not in parliament",
            "I swear I'll make your life hell if you report me",
        ],
        [
            "Use kill -TERM to stop the daemon gracefully before upgrading.",
            "Three people were injured in a shooting near the stadium, police said.",
            "I think your proposal is flawed, but I appreciate the effort you put in.",
            "Kill the background job with Ctrl+C if it hangs.",
        ],
    ),
    "source-code": (
        [
            "ls -la | grep '.py' | wc -l",
            "print(sum(x * x for x in range(10)))",
            "def area(r):\n    return 3.14159 * r ** 2",
        ],
        [
            "The manager decided to kill the project and abort the rollout.",
            "To execute the plan, the team met every morning at nine.",
        ],
    ),
    "legal": (
        ["The Lessee shall return the premises in good repair, reasonable wear and tear excepted."],
        ["Terms of our bet: the loser buys pizza for the whole office."],
    ),
    "non-english": (
        ["Wir treffen uns morgen um acht Uhr am Bahnhof."],
        ["We're meeting at the station at eight tomorrow."],
    ),
}


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_shipped_model_scores_unseen_text_on_the_right_side(name: str) -> None:
    positives, negatives = OUTSIDE[name]
    concept = get_concept("gristmill", name)
    seen = {x.text for x in concept.examples()} | {x.text for x in load_held_out(name)}
    assert not seen & {*positives, *negatives}, "test texts must be outside the built-in's data"
    # The packaged model must match the shipped examples' version, or every user retrains.
    assert concept.saved_model("minilm") is not None
    scores = concept.score([*positives, *negatives], embedding="minilm")
    pos_scores, neg_scores = scores[: len(positives)], scores[len(positives) :]
    assert all(s > 0.5 for s in pos_scores), dict(zip(positives, pos_scores, strict=True))
    assert all(s < 0.5 for s in neg_scores), dict(zip(negatives, neg_scores, strict=True))
