from __future__ import annotations

from pathlib import Path

import pytest

from gristmill.errors import MissingDependencyError
from gristmill.evals import MeteorMetric, assemble_wordnet, get_metric

# nltk's own doctest example (meteor_score docstring): 0.6944 with three references.
HYPOTHESIS = (
    "It is a guide to action which ensures that the military always obeys the commands of the party"
)
REFERENCES = [
    "It is a guide to action that ensures that the military will forever heed Party commands",
    "It is the guiding principle which guarantees the military forces always being under the "
    "command of the Party",
    "It is the practical guide for the army always to heed the directions of the party",
]


@pytest.fixture
def cache(wordnet_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRISTMILL_CACHE_DIR", str(wordnet_cache))
    try:
        assemble_wordnet()
    except MissingDependencyError as missing:
        # WordNet is a Debian package, not a pip one: a fresh `make test` skips with the fix.
        pytest.skip(str(missing))  # the message ends with the apt-get line
    return wordnet_cache


def test_known_value_with_several_references(cache: Path) -> None:
    scores = MeteorMetric().score([HYPOTHESIS], [REFERENCES])
    assert scores["meteor"][0] == pytest.approx(0.6944, abs=1e-4)
    assert (cache / "nltk_data").is_dir()


def test_synonyms_count_and_best_reference_wins(cache: Path) -> None:
    metric = get_metric("meteor")
    # "car" and "auto" share a WordNet synset (nltk matches synonyms of the unstemmed word).
    synonym = metric.score(["the car was fast"], [["the auto was fast"]])["meteor"][0]
    unrelated = metric.score(["the car was fast"], [["a bird sings loudly"]])["meteor"][0]
    both = metric.score(["the car was fast"], [["a bird sings loudly", "the auto was fast"]])
    assert synonym is not None and unrelated is not None
    assert synonym > 0.9 > unrelated
    assert both["meteor"][0] == pytest.approx(synonym)


def test_empty_and_missing(cache: Path) -> None:
    scores = MeteorMetric().score(["", None, "x"], [["a cat"], ["a cat"], []])
    assert scores == {"meteor": [0.0, None, None]}


def test_assembled_folder_is_reused(cache: Path) -> None:
    first = assemble_wordnet()
    second = assemble_wordnet()
    assert first == second
    assert (first / "corpora" / "wordnet" / "lexnames").read_text().count("\n") == 45


def test_missing_wordnet_names_the_debian_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRISTMILL_CACHE_DIR", str(tmp_path / "cache"))
    empty = tmp_path / "no-wordnet"
    empty.mkdir()
    with pytest.raises(MissingDependencyError) as caught:
        MeteorMetric(wordnet_dir=empty).score(["a"], [["a"]])
    message = str(caught.value)
    assert "wordnet-base" in message and "wordnet-sense-index" in message
    assert str(empty) in message
    monkeypatch.setenv("GRISTMILL_WORDNET_DIR", str(empty))
    with pytest.raises(MissingDependencyError):
        MeteorMetric().score(["a"], [["a"]])
    # Rows that cannot be scored never need WordNet.
    assert MeteorMetric().score([None], [["a"]]) == {"meteor": [None]}
