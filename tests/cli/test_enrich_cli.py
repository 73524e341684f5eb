"""embed, signal, signals, search and concept commands, as typed in a shell."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from gristmill.cli import app
from tests.fixtures import TASK_ROWS, TASKS

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def seed() -> str:
    run("load", str(TASKS), "local/seed")
    return "local/seed"


def test_signal_and_signals(seed: str) -> None:
    assert "pii" in run("signals")
    out = run("signal", seed, "instruction", "near_duplicates", "--param", "threshold=0.9")
    assert "into instruction__near_duplicates" in out
    rows = run(
        "query", seed, "-c", "instruction__near_duplicates.cluster_size", "--limit", "1", "--json"
    )
    assert json.loads(rows)["instruction__near_duplicates.cluster_size"] >= 1


def test_embed_then_semantic_keyword_and_concept_search(seed: str) -> None:
    assert f"Embedded {TASK_ROWS} rows" in run("embed", seed, "instruction")
    assert "Embedded 0 rows" in run("embed", seed, "instruction")
    query = "a program for Fibonacci numbers"
    top = json.loads(
        run("search", seed, "instruction", query, "--semantic", "--limit", "1", "--json")
    )
    assert "fibonacci" in top["instruction"].lower()
    keyword = json.loads(run("search", seed, "instruction", "Fibonacci", "--limit", "1", "--json"))
    assert keyword["__rowid__"] == top["__rowid__"]
    run("concept", "create", "local/poetry", "--description", "poems and verse")
    out = run(
        "concept",
        "add",
        "local/poetry",
        "-p",
        "Write a sonnet about love",
        "-p",
        "Compose a haiku about rain",
        "-p",
        "Write a limerick",
        "-n",
        "Sort this list of numbers",
        "-n",
        "Translate to German",
        "-n",
        "What is the capital of Peru?",
    )
    assert "Added 6 examples" in out
    assert "f1" in run("concept", "metrics", "local/poetry")
    assert "local/poetry" in run("concept", "list")
    assert "into instruction__local_poetry" in run(
        "concept", "score", seed, "instruction", "local/poetry"
    )
    ranked = json.loads(
        run("search", seed, "instruction", "--concept", "local/poetry", "--limit", "1", "--json")
    )
    assert ranked["score"] > 0.5


def test_enrich_errors(seed: str) -> None:
    result = runner.invoke(app, ["search", seed, "instruction", "x", "--semantic"])
    assert result.exit_code == 2
    assert "gristmill embed" in result.stderr
    bad = runner.invoke(app, ["signal", seed, "instruction", "nope"])
    assert bad.exit_code == 2 and "unknown signal 'nope'" in bad.stderr
    param = runner.invoke(app, ["signal", seed, "instruction", "pii", "--param", "oops"])
    assert param.exit_code == 2 and "name=value" in param.stderr
    readonly = runner.invoke(app, ["concept", "add", "gristmill/profanity", "-p", "x"])
    assert readonly.exit_code == 2 and "fork" in readonly.stderr


def test_lilac_names_from_the_shell(seed: str) -> None:
    # Lilac's model and concept names say what to use instead (issue 12).
    gte = runner.invoke(app, ["embed", seed, "instruction", "-e", "gte-small"])
    assert gte.exit_code == 2 and "'minilm' (all-MiniLM-L6-v2" in gte.stderr
    assert "sentence-transformers/thenlper/gte-small" in gte.stderr
    alias = runner.invoke(app, ["concept", "create", "lilac/profanity"])
    assert alias.exit_code == 2 and "built-in gristmill/profanity" in alias.stderr
