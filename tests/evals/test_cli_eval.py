"""``gristmill eval``: run with --fail-under (exit 1), list, show, rerun, export, ground-truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gristmill.cli import app
from tests.fixtures import DIALOGUES

runner = CliRunner()


@pytest.fixture
def loaded(tmp_path: Path) -> str:
    # The first 20 dialogues keep the test quick.
    with DIALOGUES.open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(20)]
    (tmp_path / "dsum.jsonl").write_text("".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["load", str(tmp_path / "dsum.jsonl"), "eval/dsum"])
    assert result.exit_code == 0, result.output
    return "eval/dsum"


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


RUN = ("eval", "run", "--dataset", "eval/dsum", "--input", "dialogue", "--reference", "summary",
       "--reference", "topic_summary", "--model", "fake", "--metric", "rouge", "--metric",
       "answer_length", "--max-samples", "8", "--name", "ci", "--no-progress")  # fmt: skip


def test_run_prints_the_table_and_fail_under_gates(loaded: str, tmp_path: Path) -> None:
    code, out, err = invoke(*RUN, "--fail-under", "answer_words=1")
    assert code == 0, err
    assert "rougeL" in out and "fake" in out and "95% bootstrap CI" in out
    # The fake's random words share nothing with the summaries: rougeL is 0 < 0.25.
    code, out, err = invoke("eval", "rerun", "ci", "--fail-under", "rougeL=0.25", "--no-progress")
    assert code == 1
    assert "FAILED --fail-under: fake: rougeL = 0.0000 is under 0.25" in err
    code, out, err = invoke("eval", "rerun", "ci", "--fail-under", "bleurt=0.2", "--no-progress")
    assert code == 2 and "did not measure" in err
    code, out, err = invoke("eval", "rerun", "ci", "--fail-under", "rougeL", "--no-progress")
    assert code == 2 and "METRIC=NUMBER" in err

    code, out, _ = invoke("eval", "list", "--json")
    assert code == 0 and json.loads(out.splitlines()[0])["name"] == "ci"
    code, out, _ = invoke("eval", "show", "ci", "--best-worst", "fake:answer_words", "--n", "2")
    assert code == 0 and "best 2 by answer_words" in out and "worst 2" in out
    target = tmp_path / "ci.json"
    code, out, _ = invoke("eval", "export", "ci", str(target))
    assert code == 0 and json.loads(target.read_text())["models"][0]["model"] == "fake"
    code, _, err = invoke("eval", "export", "ci", str(tmp_path / "ci.txt"))
    assert code == 2 and ".json or .csv" in err


def test_errors_are_one_line_with_exit_2(loaded: str) -> None:
    code, _, err = invoke(*RUN[:-7], "--model", "openai/", "--no-progress")
    assert code == 2 and "invalid model address" in err
    code, _, err = invoke("eval", "show", "nothing")
    assert code == 2 and "no experiment 'nothing'" in err
    code, _, err = invoke("eval", "run", "--dataset", "eval/dsum", "--input", "nope", "--model",
                          "fake", "--reference", "summary")  # fmt: skip
    assert code == 2 and "nope" in err
    # Lumigator's metric name (issue 12) points to the offline one and says how it differs.
    code, _, err = invoke("eval", "run", "--dataset", "eval/dsum", "--input", "dialogue",
                          "--reference", "summary", "--model", "fake", "--metric", "bertscore",
                          "--no-progress")  # fmt: skip
    assert code == 2 and "'bertscore_minilm'" in err and "roberta-large" in err


def test_ground_truth_command_records_the_model(loaded: str) -> None:
    code, out, err = invoke("eval", "ground-truth", "--dataset", "eval/dsum", "--input", "dialogue",
                            "--model", "fake", "--max-samples", "6", "--no-progress")  # fmt: skip
    assert code == 0, err
    record = json.loads(out)
    assert record["column"] == "dialogue__ground_truth__fake" and record["model"] == "fake"
    assert record["computed"] == 6
