"""``gristmill clio run`` and ``gristmill clio site`` through Typer's runner."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import gristmill as gm
from gristmill.cli import app
from tests.clio.conftest import WORDS_EMBEDDING
from tests.fixtures import write_jsonl

EMBEDDING = WORDS_EMBEDDING
runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_embedding(words_embedding: str) -> None:
    """Every test here embeds with the bag-of-words stand-in (tests/clio/conftest.py)."""


@pytest.fixture
def chat_ds(tmp_path: Path, chats: list[Any]) -> gm.Dataset:
    rows = [{"messages": chat} for chat in chats[:30]]
    source = gm.JSONSource(filepaths=[str(write_jsonl(tmp_path / "chats.jsonl", rows))])
    config = gm.DatasetConfig(namespace="local", name="chats", source=source)
    return gm.create_dataset(config, show_progress=False)


def _run(*extra: str) -> Any:
    return runner.invoke(
        app, ["clio", "run", "local/chats", "messages", "-e", EMBEDDING, "--json", *extra]
    )


def test_run_stores_the_insights_and_says_what_it_made(chat_ds: gm.Dataset) -> None:
    result = _run()
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["column"] == "messages__clio" and summary["mode"] == "extractive"
    assert summary["conversations"] == 30 and summary["llm_calls"] == 0
    assert set(summary["facets"]) == {"Request", "Task"}
    assert "messages__clio" in {c.name for c in chat_ds.manifest().derived_columns}
    plain = runner.invoke(app, ["clio", "run", "local/chats", "messages", "-e", EMBEDDING])
    assert plain.exit_code == 0 and "30 conversations (LLM-free)" in plain.output


def test_generic_facets_and_a_fake_llm(chat_ds: gm.Dataset) -> None:
    result = _run("--facets", "generic", "--llm", "fake")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["mode"] == "llm" and set(summary["facets"]) == {"Summary"}
    assert summary["llm_calls"] >= 30


def test_bad_input_is_one_line_and_exit_2(chat_ds: gm.Dataset) -> None:
    for args in (
        ["--facets", "every"],
        ["--llm", "nonsense-provider/x"],
    ):
        result = _run(*args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    missing = runner.invoke(app, ["clio", "site", "local/chats", "out"])
    assert missing.exit_code == 2 and "gristmill clio run" in missing.output


def test_site_writes_the_stored_insights_encrypted_or_not(
    chat_ds: gm.Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run().exit_code == 0
    out = tmp_path / "site"
    plain = runner.invoke(
        app, ["clio", "site", "local/chats", str(out), "--min-conversations", "1"]
    )
    assert plain.exit_code == 0, plain.output
    assert "Wrote 30 conversations" in plain.output
    manifest = json.loads((out / "site.json").read_text())
    assert manifest["encrypted"] is False
    text = b"".join(gzip.decompress(p.read_bytes()) for p in out.rglob("*.json.gz"))
    first_turn = chat_ds.select_rows(["messages"], limit=1).arrow().to_pylist()[0]
    assert first_turn["messages"][0]["content"][:40].encode() in text

    monkeypatch.setenv("CLIO_PW", "correct horse")
    locked = tmp_path / "locked"
    result = runner.invoke(
        app, ["clio", "site", "local/chats", str(locked), "--password-env", "CLIO_PW"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads((locked / "site.json").read_text())["encrypted"] is True
    raw = b"".join(p.read_bytes() for p in locked.rglob("*") if p.is_file())
    assert first_turn["messages"][0]["content"][:40].encode() not in raw
