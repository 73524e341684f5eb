"""Cluster titles from the LLM servers people run: llama.cpp's structured output works, and an LLM
step that fails falls back to keyword titles and says so instead of failing the run."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import gristmill as gm
from gristmill.llm import LLM, get_llm
from gristmill.llm._dialects import schema_forms
from tests.cluster.conftest import make_dataset
from tests.llm.llama_cpp_server import JSON_SCHEMA_REFUSAL

TOPICS = {
    "cooking": ["pasta", "recipe", "garlic", "oven", "sauce", "basil", "simmer"],
    "football": ["match", "goal", "striker", "league", "referee", "penalty", "keeper"],
    "astronomy": ["telescope", "galaxy", "orbit", "comet", "nebula", "planet", "eclipse"],
}


@pytest.fixture(autouse=True)
def nothing_learnt() -> None:
    schema_forms.forget()  # each test meets its scripted server as a new process would


@pytest.fixture
def topics(tmp_path: Path) -> gm.Dataset:
    pick = random.Random(7)
    rows = [
        {"text": " ".join(pick.sample(words, 4))} for words in TOPICS.values() for _ in range(20)
    ]
    return make_dataset(tmp_path, "topics", rows)


class Server:
    def __init__(self, answer: Callable[[dict[str, Any]], httpx.Response]) -> None:
        self.answer = answer
        self.bodies: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        with self.lock:
            self.bodies.append(body)
        return self.answer(body)

    def llm(self, sleeps: list[float]) -> LLM:
        return get_llm(
            "openai:http://127.0.0.1:8080/v1/smollm2",
            http_transport=httpx.MockTransport(self.handle),
            sleep=sleeps.append,
        )


def title_reply(body: dict[str, Any]) -> httpx.Response:
    """A title naming the group's first member, so every group's title differs."""
    first_member = body["messages"][-1]["content"].split("\n")[1].removeprefix("- ")
    content = json.dumps({"title": f"About {first_member}"})
    return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})


def llama_cpp(body: dict[str, Any]) -> httpx.Response:
    if body.get("response_format", {}).get("type") == "json_schema":
        return httpx.Response(500, json=JSON_SCHEMA_REFUSAL)
    return title_reply(body)


def test_llama_cpp_server_titles_clusters(topics: gm.Dataset) -> None:
    server, sleeps = Server(llama_cpp), list[float]()
    result = topics.cluster("text", embedding="bow", llm=server.llm(sleeps), show_progress=False)
    assert result.titles_from == "llm" and not result.notes
    titles = {
        row["text__cluster"]["cluster_title"] for row in topics.select_rows(["text__cluster"])
    }
    assert all(title.startswith("About ") for title in titles)
    forms = [body.get("response_format", {}).get("type") for body in server.bodies]
    assert forms.count("json_schema") == 1 and sleeps == []  # one refusal, never retried


@pytest.mark.parametrize(
    "refusal",
    [
        httpx.Response(500, json={"error": {"message": "1 validation error: max_tokens"}}),
        httpx.Response(400, json={"error": {"message": "this model does not do chat"}}),
        httpx.Response(503, text="overloaded"),  # still overloaded after the retries
    ],
    ids=["server-error", "refused", "overloaded"],
)
def test_a_failing_llm_step_falls_back_to_keyword_titles_and_says_so(
    topics: gm.Dataset, refusal: httpx.Response
) -> None:
    server, sleeps = Server(lambda body: refusal), list[float]()
    with pytest.warns(UserWarning, match="keyword titles: openai/smollm2 failed") as warned:
        result = topics.cluster(
            "text", embedding="bow", llm=server.llm(sleeps), show_progress=False
        )
    assert result.titles_from == "keywords"
    assert any("cluster titles are keyword titles" in note for note in result.notes)
    assert any("category titles are keyword titles" in note for note in result.notes)
    said = {str(w.message) for w in warned if "keyword titles" in str(w.message)}
    assert said and said <= set(result.notes)
    keywords = topics.cluster(
        "text", embedding="bow", use_llm=False, output_column="plain", show_progress=False
    )
    rows = topics.select_rows(["text__cluster", "plain"])
    assert [r["text__cluster"]["cluster_title"] for r in rows] == [
        r["plain"]["cluster_title"] for r in rows
    ]
    assert keywords.num_clusters == result.num_clusters
    # The step stopped at its first failure: no more calls than run at once (each with its
    # retries), and none at all for the categories.
    distinct_calls = {json.dumps(body["messages"]) for body in server.bodies}
    assert len(distinct_calls) <= 4


def test_a_rerun_after_the_llm_recovers_gets_llm_titles(topics: gm.Dataset) -> None:
    failing = {"yes": True}

    def flaky(body: dict[str, Any]) -> httpx.Response:
        if failing["yes"]:
            return httpx.Response(400, json={"error": {"message": "model is loading"}})
        return title_reply(body)

    server, sleeps = Server(flaky), list[float]()
    llm = server.llm(sleeps)
    with pytest.warns(UserWarning, match="keyword titles"):
        first = topics.cluster("text", embedding="bow", llm=llm, show_progress=False)
    assert first.titles_from == "keywords"
    failing["yes"] = False
    again = topics.cluster("text", embedding="bow", llm=llm, overwrite=True, show_progress=False)
    assert again.titles_from == "llm" and not again.notes
