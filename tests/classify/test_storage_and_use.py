"""Save/load, examples files, calibration, datasets and the CLI."""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import gristmill as gm
from gristmill.classify import LLMClassifier
from gristmill.embed import FakeEmbedding
from gristmill.errors import InvalidInputError, MissingDependencyError, NotFoundError


def test_save_and_load_round_trip(sms_classifier: LLMClassifier, tmp_path: Path) -> None:
    path = sms_classifier.save(tmp_path / "spam.gristmill")
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {
            "config.json",
            "coef.npy",
            "intercept.npy",
            "examples.jsonl",
        }
        config = json.loads(archive.read("config.json"))
    assert config["embedding"] == "minilm" and config["classes"] == ["spam", "ham"]
    loaded = LLMClassifier.load(path)
    texts = ["WINNER!! claim your prize now", "ok see you at 6"]
    assert np.allclose(loaded.predict_proba(texts), sms_classifier.predict_proba(texts))
    assert loaded.get_data() == sms_classifier.get_data()
    # An unzipped copy loads too (inspectable on disk).
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
    assert LLMClassifier.load(folder).predict(texts) == sms_classifier.predict(texts)


def test_corrupted_or_missing_file_fails_clearly(
    sms_classifier: LLMClassifier, tmp_path: Path
) -> None:
    path = sms_classifier.save(tmp_path / "m.gristmill")
    truncated = tmp_path / "truncated.gristmill"
    truncated.write_bytes(path.read_bytes()[:200])
    with pytest.raises(InvalidInputError, match="not a valid Gristmill classifier"):
        LLMClassifier.load(truncated)
    edited = tmp_path / "edited.gristmill"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(edited, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, b"\x93NUMPY garbage" if name == "coef.npy" else data)
    with pytest.raises(InvalidInputError, match=r"coef\.npy"):
        LLMClassifier.load(edited)
    with pytest.raises(NotFoundError):
        LLMClassifier.load(tmp_path / "nope.gristmill")


def test_loading_with_another_embedding_model_fails(tmp_path: Path) -> None:
    # Two seeds are two "models" with their own ids: the name stays, the model behind it changes.
    saved_with, changed_to = FakeEmbedding(dim=8, seed=1), FakeEmbedding(dim=8, seed=2)
    gm.register_embedding("clf-test-fake", saved_with, replace=True)
    clf = LLMClassifier(llm="fake", embedding="clf-test-fake", show_progress=False)
    clf.add_data_to_class("a", ["aaaa", "banana", "salad"])
    clf.add_data_to_class("b", ["xyz", "hello world", "qqq"])
    clf.train()
    path = clf.save(tmp_path / "m.gristmill")
    gm.register_embedding("clf-test-fake", changed_to, replace=True)
    with pytest.raises(InvalidInputError, match=re.escape(saved_with.model_id)):
        LLMClassifier.load(path)


def test_examples_files_use_the_seed_format(tmp_path: Path) -> None:
    seed_file = tmp_path / "examples.jsonl"
    seed_file.write_text(
        '{"class_name": "correct", "examples": ["Q: What is 2+3? A: The answer is 5."]}\n'
        '{"class_name": "incorrect", "examples": ["Q: What is 2+3? A: The answer is 4."]}\n'
    )
    clf = LLMClassifier(llm="fake", show_progress=False)
    with pytest.raises(InvalidInputError, match="saved_examples_path"):
        clf.load_examples()  # no implicit default (the seed's is /tmp)
    clf.saved_examples_path = seed_file
    assert clf.load_examples() == 2
    clf.add_data_to_class("correct", "Q: 1+1? A: 2.")
    clf._examples.add("correct", ["a generated one"], "generated")
    out = clf.save_examples(tmp_path / "out.jsonl")
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0] == {
        "class_name": "correct",
        "examples": ["Q: What is 2+3? A: The answer is 5.", "Q: 1+1? A: 2."],
    }
    assert {
        "class_name": "correct",
        "examples": ["a generated one"],
        "source": "generated",
    } in lines
    again = LLMClassifier(llm="fake", show_progress=False)
    again.load_examples(out)
    assert [e.source for e in again.get_examples()] == [e.source for e in clf.get_examples()]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"class_name": "x", "examples": "fine"}\n{"examples": []}\n')
    with pytest.raises(InvalidInputError, match=r"bad\.jsonl:2"):
        again.load_examples(bad)


def test_calibration_abstains_below_threshold_and_plots(
    sms_classifier: LLMClassifier, sms_split: Any, tmp_path: Path
) -> None:
    _, held_out = sms_split
    texts, labels = [t for t, _ in held_out], [label for _, label in held_out]
    report = sms_classifier.calibrate(texts[:60], labels[:60], target_precision=0.95)
    assert report.source == "held-out" and len(report.classes) == 2
    for item in report.classes:
        if item.reached_target:
            assert item.precision is not None and item.precision >= 0.95
    assert report.precision is not None and report.precision >= 0.95
    thresholds = sms_classifier.thresholds
    probs = sms_classifier.predict_proba(texts)
    predicted = sms_classifier.predict(texts)
    for row, label in zip(probs, predicted, strict=True):
        best = sms_classifier.classes[int(row.argmax())]
        assert label == (best if row.max() >= thresholds[best] else None)
    result = sms_classifier.evaluate(texts, labels)
    assert result.num_abstained == predicted.count(None)
    png = sms_classifier.plot_precision_recall(tmp_path / "pr.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    recall_report = sms_classifier.calibrate(target_recall=0.5)
    assert recall_report.source == "cross-validation"


def test_plot_without_matplotlib_names_the_extra(
    sms_classifier: LLMClassifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sms_classifier.calibrate()
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingDependencyError, match=r"gristmill\[plot\]"):
        sms_classifier.plot_precision_recall(tmp_path / "pr.png")


def _sms_dataset(held_out: list[tuple[str, str]]) -> Any:
    rows = [{"text": text, "label": label} for text, label in held_out[:40]]
    rows.append({"text": None, "label": "ham"})
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="sms", source=gm.PandasSource(_frame(rows)))
    )


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows)


def test_compute_classifier_adds_a_filterable_prediction_column(
    sms_classifier: LLMClassifier, sms_split: Any
) -> None:
    _, held_out = sms_split
    ds = _sms_dataset(held_out)
    result = ds.compute_classifier(sms_classifier, "text", show_progress=False)
    assert result.column == "text__classifier"
    derived = ds.manifest()
    assert "text__classifier" in json.dumps(derived.model_dump(mode="json"))
    rows = ds.select_rows(["text", "text__classifier"]).to_list()
    expected = sms_classifier.predict([r["text"] for r in rows[:40]])
    assert [r["text__classifier"]["class_name"] for r in rows[:40]] == expected
    assert rows[40]["text__classifier"] is None
    spam_sure = [
        ("text__classifier.class_name", "equals", "spam"),
        ("text__classifier.prob", "greater", 0.6),
    ]
    sure = ds.count(filters=spam_sure)
    ds.delete_rows(filters=spam_sure)
    assert ds.count() == 41 - sure
    # With stored embeddings of both models, their vectors are used and agree.
    ds.compute_embedding("minilm", "text", show_progress=False)
    ds.compute_embedding("wordllama", "text", show_progress=False)
    again = ds.compute_classifier(
        sms_classifier, "text", output_column="from_vectors", show_progress=False
    )
    assert again.num_computed == 40 - sure  # the row without text has no vector
    for row in ds.select_rows(["text__classifier", "from_vectors"]).to_list():
        if row["text__classifier"] is not None:
            assert row["from_vectors"]["class_name"] == row["text__classifier"]["class_name"]


def test_cli_train_and_predict(
    tmp_path: Path, sms_split: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.cli import app

    train, held_out = sms_split
    prompts = tmp_path / "classes.yml"
    prompts.write_text("spam: Unsolicited SMS ads, prizes and scams.\nham: Personal messages.\n")
    examples = tmp_path / "examples.jsonl"
    examples.write_text(
        "".join(
            json.dumps({"class_name": c, "examples": [t for t, label in train if label == c]})
            + "\n"
            for c in ("spam", "ham")
        )
    )
    model = tmp_path / "m.gristmill"
    runner = CliRunner()
    args = [
        "classify",
        "train",
        "--prompts",
        str(prompts),
        "--examples",
        str(examples),
        "--llm",
        "fake",
        "--examples-per-class",
        "3",
        "--out",
        str(model),
        "--json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["classes"] == ["spam", "ham"]
    result = runner.invoke(
        app, ["classify", "predict", "--model", str(model), "--json", "FREE prize! txt WIN now"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["class_name"] == "spam"
    result = runner.invoke(app, ["classify", "predict", "--model", str(tmp_path / "x")])
    assert result.exit_code == 2 and "does not exist" in result.output

    # The second embedding can be turned off, and a bad weight is a user error.
    alone = tmp_path / "alone.gristmill"
    alone_args = [*args[:-3], "--out", str(alone), "--second-embedding", "none"]
    assert runner.invoke(app, alone_args).exit_code == 0
    assert LLMClassifier.load(alone).settings.second_embedding is None
    assert LLMClassifier.load(model).settings.second_embedding == "wordllama"
    result = runner.invoke(app, [*alone_args, "--second-embedding-weight", "1.5"])
    assert result.exit_code == 2 and "second_embedding_weight" in result.output

    # Generation's bounds are CLI options too; --no-generate trains on the examples alone.
    bounded = tmp_path / "bounded.gristmill"
    bounded_args = [*args[:-3], "--out", str(bounded), "--time-budget", "30"]
    result = runner.invoke(app, [*bounded_args, "--fit-margin", "0.05"])
    assert result.exit_code == 0, result.output
    settings = LLMClassifier.load(bounded).settings
    assert (settings.time_budget_s, settings.fit_margin) == (30, 0.05)
    result = runner.invoke(app, [*bounded_args, "--no-generate", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["generation"] is None
    result = runner.invoke(app, [*bounded_args, "--fit-margin", "2"])
    assert result.exit_code == 2 and "fit_margin" in result.output
    _sms_dataset(held_out)
    result = runner.invoke(
        app,
        ["classify", "predict", "--model", str(model), "--dataset", "local/sms", "--path", "text"],
    )
    assert result.exit_code == 0, result.output
    assert "text__classifier" in result.output


def test_saved_examples_path_may_be_a_string(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lamini's README sets saved_examples_path to a plain string (issue 12).
    monkeypatch.chdir(tmp_path)
    clf = LLMClassifier(llm="fake", show_progress=False)
    clf.add_data_to_class("correct", "Q: 1+1? A: 2.")
    clf.saved_examples_path = "path/to/examples.jsonl"
    assert clf.save_examples() == Path("path/to/examples.jsonl")
    again = LLMClassifier(
        llm="fake", show_progress=False, saved_examples_path="path/to/examples.jsonl"
    )
    assert again.load_examples() == 1
    from gristmill.project import load_config

    assert load_config(str(tmp_path)) == {}
