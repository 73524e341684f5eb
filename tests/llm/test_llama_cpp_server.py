"""Against a real llama.cpp server (``llama_cpp.server``, serving the embedded SmolLM2 on
loopback): plain completions, structured output, and clustering with its titles."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import gristmill as gm
from gristmill.llm import get_llm
from gristmill.llm._dialects import SchemaForm, refuses_form, schema_forms
from gristmill.llm._jsonschema import schema_errors
from tests.llm.llama_cpp_server import (
    MODEL_ALIAS,
    REFUSAL_LINE,
    llama_cpp_server,
    skip_unless_server_installed,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "country": {"type": "string"}},
    "required": ["city", "country"],
}
TOPICS = {
    "cooking": ["pasta", "recipe", "garlic", "oven", "sauce", "basil", "simmer"],
    "football": ["match", "goal", "striker", "league", "referee", "penalty", "keeper"],
    "astronomy": ["telescope", "galaxy", "orbit", "comet", "nebula", "planet", "eclipse"],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    model = skip_unless_server_installed()
    with llama_cpp_server(model, tmp_path_factory.mktemp("llama-cpp-server")) as base_url:
        yield base_url


def address(base_url: str) -> str:
    return f"openai:{base_url}/{MODEL_ALIAS}"


def test_a_plain_completion(server: str, project: Path) -> None:
    answer = get_llm(address(server), max_tokens=16).complete("Say hello.")
    assert answer.text.strip() and answer.model == MODEL_ALIAS
    assert answer.usage.input_tokens > 0 and answer.usage.output_tokens > 0


def test_structured_output_is_schema_valid(server: str, project: Path) -> None:
    # The real server still refuses json_schema as the mock-transport tests script it ...
    refusal = httpx.post(
        f"{server}/chat/completions",
        json={
            "model": MODEL_ALIAS,
            "messages": [{"role": "user", "content": "hi"}],
            "max_tokens": 4,
            "response_format": {"type": "json_schema", "json_schema": {"schema": SCHEMA}},
        },
        timeout=60,
    )
    assert refusal.status_code == 500 and refuses_form(500, refusal.text)
    assert REFUSAL_LINE in refusal.json()["error"]["message"]
    # ... and gristmill learns the form it takes, json_object with a schema, with no retries.
    sleeps: list[float] = []
    llm = get_llm(address(server), max_tokens=64, sleep=sleeps.append)
    answer = llm.complete("Name a city and its country as JSON.", response_format=SCHEMA)
    assert schema_errors(answer.parsed, SCHEMA) == []
    assert schema_forms.known(server, MODEL_ALIAS) is SchemaForm.JSON_OBJECT
    assert sleeps == []


def test_clustering_titles_come_from_the_server_or_fall_back_and_say_so(
    server: str, project: Path, tmp_path: Path
) -> None:
    pick = random.Random(7)
    rows = [
        {"text": " ".join(pick.sample(words, 4))} for words in TOPICS.values() for _ in range(20)
    ]
    path = tmp_path / "topics.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    source = gm.JSONSource(filepaths=[str(path)])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="topics", source=source), show_progress=False
    )
    result = ds.cluster("text", embedding="wordllama", llm=address(server), show_progress=False)
    assert result.num_clusters >= 2
    assert result.titles_from == "llm" or any("keyword titles" in n for n in result.notes)
    titles = [row["text__cluster"]["cluster_title"] for row in ds.select_rows(["text__cluster"])]
    assert all(titles)
    assert result.llm_usage is not None and result.llm_usage.calls >= result.num_clusters
