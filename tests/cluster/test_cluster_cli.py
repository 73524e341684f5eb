"""The `gristmill cluster` command."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import gristmill as gm
from gristmill.cli import app
from tests.fixtures import SMS_ROWS

runner = CliRunner()


def test_cluster_command(sms: gm.Dataset) -> None:
    result = runner.invoke(
        app,
        [
            "cluster",
            "local/sms",
            "text",
            "--embedding",
            "bow",
            "--no-llm",
            "--min-cluster-size",
            "8",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Clustered {SMS_ROWS} rows of 'text' into" in result.output
    assert "(keywords titles) -> text__cluster" in result.output
    again = runner.invoke(
        app,
        ["cluster", "local/sms", "text", "-e", "bow", "--llm", "fake", "--overwrite", "--json"],
    )
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout.strip().splitlines()[-1])
    assert summary["titles_from"] == "llm" and summary["num_rows"] == SMS_ROWS


def test_cluster_command_errors_cleanly(sms: gm.Dataset) -> None:
    result = runner.invoke(app, ["cluster", "local/sms", "label", "-e", "bow"])
    assert result.exit_code == 0, result.output  # a text column too: clusters the labels
    missing = runner.invoke(app, ["cluster", "local/sms", "nope", "-e", "bow"])
    assert missing.exit_code == 2
    assert "nope" in missing.output and "Traceback" not in missing.output
