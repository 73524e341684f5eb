"""Small datasets with nested fields, chats and numbers, made in-process for core tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import gristmill as gm

ROWS: list[dict[str, Any]] = [
    {
        "instruction": "Write a poem about the sea",
        "output": "The sea is wide\nand deep.",
        "score": 5,
        "ok": True,
        "messages": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}],
        "meta": {"source": "alpaca", "tags": ["poetry", "sea"]},
    },
    {
        "instruction": "Explain recursion",
        "output": "```python\ndef f(n):\n    return f(n - 1)\n```",
        "score": 3,
        "ok": False,
        "messages": [{"role": "user", "content": "what is recursion?"}],
        "meta": {"source": "code", "tags": ["code"]},
    },
    {
        "instruction": "Write a Poem on autumn",
        "output": "Leaves fall.",
        "score": 4,
        "ok": True,
        "messages": [],
        "meta": {"source": "alpaca", "tags": []},
    },
    {
        "instruction": "Translate 'bonjour' to English",
        "output": None,
        "score": 1,
        "ok": None,
        "messages": [{"role": "user", "content": "bonjour"}],
        "meta": {"source": "other", "tags": ["translation"]},
    },
    {
        "instruction": "Summarise: 日本語のテキスト",
        "output": "A Japanese text. " * 20,
        "score": 2,
        "ok": True,
        "messages": [{"role": "user", "content": "要約して"}],
        "meta": {"source": "other", "tags": ["summary", "ja"]},
    },
]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def small_ds(tmp_path: Path) -> gm.Dataset:
    source = gm.JSONSource(filepaths=[str(write_jsonl(tmp_path / "rows.jsonl", ROWS))])
    config = gm.DatasetConfig(namespace="local", name="small", source=source)
    return gm.create_dataset(config, show_progress=False)
