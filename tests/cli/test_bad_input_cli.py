"""The CLI refuses bad numbers in one line (exit 2), and an evaluation whose models failed is
not reported as a success (exit 1)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gristmill.bounds import MAX_BIGINT
from gristmill.cli import app

runner = CliRunner()


@pytest.fixture
def loaded(tmp_path: Path) -> str:
    path = tmp_path / "rows.jsonl"
    lines = [json.dumps({"text": f"row {i} about the sea", "n": i}) for i in range(6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["load", str(path), "local/rows"])
    assert result.exit_code == 0, result.output
    return "local/rows"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--offset", str(2**63), f"offset must be an integer from 0 to {MAX_BIGINT}"),
        ("--limit", str(10**20), f"limit must be an integer from 0 to {MAX_BIGINT}"),
        ("--limit", "-1", f"limit must be an integer from 0 to {MAX_BIGINT}"),
    ],
)
def test_paging_out_of_range_is_one_line(
    loaded: str, option: str, value: str, message: str
) -> None:
    result = runner.invoke(app, ["query", loaded, option, value])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: {message}, got {value}"]


def test_an_offset_past_the_last_row_prints_no_rows(loaded: str) -> None:
    result = runner.invoke(app, ["query", loaded, "--offset", str(MAX_BIGINT), "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == ""


def _unreachable_model() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"openai:http://127.0.0.1:{port}/v1/nothing"


def _eval(loaded: str, *models: str) -> tuple[int, str, str]:
    args = ["eval", "run", "--dataset", loaded, "--input", "text", "--reference", "text"]
    for model in models:
        args += ["--model", model]
    args += ["--metric", "answer_length", "--max-samples", "3", "--no-progress"]
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_an_evaluation_where_every_model_failed_exits_non_zero(loaded: str) -> None:
    down = _unreachable_model()
    code, _, err = _eval(loaded, down)
    assert code == 1
    assert f"FAILED model {down}: could not reach the LLM server" in err
    assert "every model failed" in err


def test_an_evaluation_with_a_failed_model_exits_non_zero(loaded: str) -> None:
    down = _unreachable_model()
    code, out, err = _eval(loaded, "fake", down)
    assert code == 1
    assert "answer_words" in out  # the model that answered is still reported
    assert f"FAILED model {down}" in err
    assert "FAILED model fake" not in err and "every model failed" not in err
    code, _, err = _eval(loaded, "fake")
    assert code == 0, err
