from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gristmill.concepts import (
    ConceptModelRecord,
    concept_info,
    create_concept,
    delete_concept,
    get_concept,
    list_concepts,
)
from gristmill.embed import get_embedding
from gristmill.errors import (
    AlreadyExistsError,
    InvalidInputError,
    InvalidNameError,
    NotFoundError,
    ReadOnlyError,
)
from tests.concepts.conftest import NEGATIVE, POSITIVE


def test_create_add_list_delete() -> None:
    concept = create_concept("local", "sunny", description="sunny days")
    assert concept.version == 0
    added = concept.add_examples(POSITIVE, label=True)
    concept.add_examples([{"text": t, "label": False} for t in NEGATIVE])
    assert len(added) == 5 and all(x.label for x in added)
    info = {i.key: i for i in list_concepts()}["local/sunny"]
    assert (info.num_positive, info.num_negative, info.version) == (5, 5, 2)
    assert info.description == "sunny days"
    assert "gristmill/profanity" in {i.key for i in list_concepts()}
    delete_concept("local", "sunny")
    with pytest.raises(NotFoundError):
        get_concept("local", "sunny")


def test_duplicate_text_replaces_label_and_remove_bumps_version() -> None:
    concept = create_concept("local", "dups")
    concept.add_examples(["same text"], label=True)
    concept.add_examples(["same text"], label=False)
    examples = concept.examples()
    assert [(x.text, x.label) for x in examples] == [("same text", False)]
    version = concept.version
    assert concept.remove_examples([examples[0].id]) == 1
    assert concept.examples() == [] and concept.version == version + 1
    assert concept.remove_examples(["no-such-id"]) == 0


def test_drafts_override_then_merge() -> None:
    concept = create_concept("local", "drafty")
    concept.add_examples(["keep me", "flip me"], label=True)
    concept.add_examples(["flip me", "new one"], label=False, draft="alice")
    assert concept.drafts() == ["main", "alice"]
    main = {x.text: x.label for x in concept.examples()}
    assert main == {"keep me": True, "flip me": True}
    drafted = {x.text: x.label for x in concept.examples("alice")}
    assert drafted == {"keep me": True, "flip me": False, "new one": False}
    assert concept.merge_draft("alice") == 2
    assert {x.text: x.label for x in concept.examples()} == drafted
    assert concept.drafts() == ["main"]
    with pytest.raises(NotFoundError, match="no draft"):
        concept.model(draft="alice")


def test_delete_draft() -> None:
    concept = create_concept("local", "d2")
    concept.add_examples(["a b"], label=True, draft="tmp")
    assert concept.delete_draft("tmp") == 1
    assert concept.examples("tmp") == []


def test_bad_inputs() -> None:
    with pytest.raises(InvalidNameError):
        create_concept("../..", "etc")
    concept = create_concept("local", "bad")
    with pytest.raises(AlreadyExistsError):
        create_concept("local", "bad")
    with pytest.raises(InvalidInputError, match="label"):
        concept.add_examples(["no label"])
    with pytest.raises(InvalidInputError, match="single"):
        concept.add_examples("a string", label=True)
    with pytest.raises(InvalidInputError, match="no text"):
        concept.add_examples([{"text": "  ", "label": True}])
    with pytest.raises(InvalidInputError, match="type"):
        create_concept("local", "img", type="image")


def test_unknown_concept_lists_available() -> None:
    create_concept("local", "mine")
    with pytest.raises(NotFoundError) as caught:
        get_concept("local", "nope")
    assert "local/mine" in str(caught.value) and "gristmill/profanity" in str(caught.value)


def test_only_positive_examples_is_a_clear_error(words_embedding: str) -> None:
    concept = create_concept("local", "onesided")
    concept.add_examples(POSITIVE, label=True)
    with pytest.raises(InvalidInputError, match="only positive") as caught:
        concept.train(words_embedding)
    assert "label=False" in str(caught.value)
    empty = create_concept("local", "empty")
    with pytest.raises(InvalidInputError, match="no examples"):
        empty.model(words_embedding)


def test_training_metrics_and_scoring(words_embedding: str) -> None:
    concept = create_concept("local", "sunny")
    concept.add_examples(POSITIVE, label=True)
    concept.add_examples(NEGATIVE, label=False)
    model = concept.model(words_embedding)
    m = model.metrics
    assert (m.num_positive, m.num_negative, m.folds) == (5, 5, 5)
    for value in (m.precision, m.recall, m.f1, m.roc_auc):
        assert value is not None and 0.0 <= value <= 1.0
    assert m.roc_auc is not None and m.roc_auc > 0.8
    scores = concept.score(["love sunny warm days", "rainy storm night", None, ""], words_embedding)
    assert scores[0] > 0.5 > scores[1]
    assert np.isnan(scores[2]) and np.isnan(scores[3])


def test_tiny_concept_reports_why_no_cross_validation(words_embedding: str) -> None:
    concept = create_concept("local", "tiny")
    concept.add_examples(["sunny"], label=True)
    concept.add_examples(["rainy"], label=False)
    metrics = concept.model(words_embedding).metrics
    assert metrics.folds == 0 and metrics.f1 is None and "add at least 2" in (metrics.note or "")


def test_few_examples_per_class_say_the_metrics_mean_little(words_embedding: str) -> None:
    # Two of each gave an F1 with no caveat (issue 12); five of each is enough to stay quiet.
    concept = create_concept("local", "few")
    concept.add_examples(POSITIVE[:2], label=True)
    concept.add_examples(NEGATIVE[:2], label=False)
    metrics = concept.model(words_embedding).metrics
    assert metrics.folds == 2 and metrics.f1 is not None
    assert "too few to mean much" in (metrics.note or "")
    enough = create_concept("local", "enough")
    enough.add_examples(POSITIVE, label=True)
    enough.add_examples(NEGATIVE, label=False)
    assert enough.model(words_embedding).metrics.note is None


def test_thirty_example_concept_trains(words_embedding: str) -> None:
    concept = create_concept("local", "thirty")
    concept.add_examples([f"{t} {i}" for i, t in enumerate(POSITIVE * 3)], label=True)
    concept.add_examples([f"{t} {i}" for i, t in enumerate(NEGATIVE * 3)], label=False)
    model = concept.train(words_embedding)
    assert model.metrics.num_examples == 30 and model.metrics.folds == 5


def test_model_persists_as_json_and_reloads_without_training(
    words_embedding: str, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.concepts import _concept, _model

    concept = create_concept("local", "saved")
    concept.add_examples(POSITIVE, label=True)
    concept.add_examples(NEGATIVE, label=False)
    trained = concept.model(words_embedding)
    files = list((project_dir / "concepts" / "local" / "saved").rglob("*"))
    saved = [f for f in files if f.is_file()]
    assert [f.suffix for f in saved] == [".json"]
    record = ConceptModelRecord.model_validate_json(saved[0].read_bytes())
    model_id = get_embedding(words_embedding).model_id
    assert record.embedding_model_id == model_id and record.concept_version == 2
    assert not saved[0].read_bytes().startswith(b"\x80")  # not a pickle

    _concept._memo.clear()

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("retrained instead of loading")

    monkeypatch.setattr(_concept, "train_model", no_training)
    monkeypatch.setattr(_model, "train_model", no_training)
    loaded = concept.model(words_embedding)
    vectors = np.eye(64, dtype=np.float32)
    np.testing.assert_array_equal(loaded.score_vectors(vectors), trained.score_vectors(vectors))
    # An edit bumps the version: the saved model no longer applies.
    concept.add_examples(["another sunny warm day"], label=True)
    with pytest.raises(AssertionError, match="retrained"):
        concept.model(words_embedding)


def test_saved_model_reads_without_training(
    words_embedding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.concepts import _concept, _model

    concept = create_concept("local", "asked")
    concept.add_examples(POSITIVE, label=True)
    concept.add_examples(NEGATIVE, label=False)

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("trained while only asked for a saved model")

    with monkeypatch.context() as patched:
        patched.setattr(_concept, "train_model", no_training)
        patched.setattr(_model, "train_model", no_training)
        assert concept.saved_model(words_embedding) is None
    trained = concept.train(words_embedding)
    saved = concept.saved_model(words_embedding)
    assert saved is not None and saved.record == trained.record
    # After an edit, the current version has no model; the one asked for by version still does.
    concept.add_examples(["another sunny warm day"], label=True)
    assert concept.saved_model(words_embedding) is None
    older = concept.saved_model(words_embedding, version=trained.record.concept_version)
    assert older is not None and older.record == trained.record
    assert concept_info("local", "asked").version == trained.record.concept_version + 1


def test_retraining_reuses_cached_example_embeddings(words_embedding: str) -> None:
    from gristmill.embed import get_embedding

    concept = create_concept("local", "cached")
    concept.add_examples(POSITIVE, label=True)
    concept.add_examples(NEGATIVE, label=False)
    embedder = get_embedding(words_embedding)
    seen: list[int] = []
    original = embedder.embed

    def counting(texts: list[str]) -> np.ndarray:
        seen.append(len(texts))
        return original(texts)

    embedder.embed = counting  # type: ignore[method-assign]
    try:
        concept.train(words_embedding)
        concept.add_examples(["one new sunny example"], label=True)
        concept.train(words_embedding)
    finally:
        del embedder.embed
    assert seen == [10, 1]


def test_score_vectors_checks_dimension(words_embedding: str) -> None:
    concept = create_concept("local", "dims")
    concept.add_examples(POSITIVE, label=True)
    concept.add_examples(NEGATIVE, label=False)
    model = concept.model(words_embedding)
    with pytest.raises(InvalidInputError, match="length 64"):
        model.score_vectors(np.zeros((2, 10), dtype=np.float32))


def test_builtins_are_read_only_and_forkable(words_embedding: str) -> None:
    profanity = get_concept("gristmill", "profanity")
    with pytest.raises(ReadOnlyError, match="fork"):
        profanity.add_examples(["x"], label=True)
    with pytest.raises(ReadOnlyError):
        delete_concept("gristmill", "profanity")
    with pytest.raises(ReadOnlyError):
        create_concept("gristmill", "mine")
    fork = profanity.fork("local")
    assert fork.info().num_positive == profanity.info().num_positive > 100
    fork.add_examples(["my own example"], label=False)
    assert fork.version > 0


def test_builtins_ship_with_enough_examples_and_sources() -> None:
    builtins = [i for i in list_concepts("gristmill")]
    names = {i.name for i in builtins}
    assert {"profanity", "toxicity", "legal", "source-code", "non-english"} <= names
    for info in builtins:
        assert info.num_positive >= 50 and info.num_negative >= 100
        assert all(x.source for x in get_concept("gristmill", info.name).examples())


def test_lilac_builtin_names_read_the_gristmill_builtins() -> None:
    # Lilac code names its built-ins lilac/<name> (issue 12); they must not need creating.
    assert get_concept("lilac", "profanity").info().key == "gristmill/profanity"
    assert get_concept("lilac", "legal-termination").info().key == "gristmill/legal"
    with pytest.raises(ReadOnlyError, match="built-in gristmill/toxicity") as caught:
        create_concept("lilac", "toxicity")
    assert "fork('local')" in (caught.value.hint or "")
    with pytest.raises(NotFoundError) as missing:
        get_concept("lilac", "positive-sentiment")
    assert "no stand-in" in str(missing.value) and "add labelled examples" in str(missing.value)
    with pytest.raises(NotFoundError, match=r"use the built-in: \('gristmill', 'toxicity'\)"):
        get_concept("local", "toxicity")
    # a user's own lilac/<name> concept still wins
    mine = create_concept("lilac", "question")
    assert get_concept("lilac", "question").info().key == mine.info().key == "lilac/question"
