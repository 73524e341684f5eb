"""The `gristmill cluster` command."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import gristmill as gm
from gristmill.cli import app

runner = CliRunner()


def test_cluster_command(emotion: gm.Dataset) -> None:
    result = runner.invoke(
        app,
        [
            "cluster",
            "local/emotion",
            "text",
            "--embedding",
            "bow",
            "--no-llm",
            "--min-cluster-size",
            "8",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Clustered 600 rows of 'text' into" in result.output
    assert "(keywords titles) -> text__cluster" in result.output
    again = runner.invoke(
        app,
        ["cluster", "local/emotion", "text", "-e", "bow", "--llm", "fake", "--overwrite", "--json"],
    )
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout.strip().splitlines()[-1])
    assert summary["titles_from"] == "llm" and summary["num_rows"] == 600


def test_cluster_command_errors_cleanly(emotion: gm.Dataset) -> None:
    result = runner.invoke(app, ["cluster", "local/emotion", "label", "-e", "bow"])
    assert result.exit_code == 0, result.output  # a text column too: clusters the labels
    missing = runner.invoke(app, ["cluster", "local/emotion", "nope", "-e", "bow"])
    assert missing.exit_code == 2
    assert "nope" in missing.output and "Traceback" not in missing.output
