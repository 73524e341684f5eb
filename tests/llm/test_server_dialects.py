"""Structured output against the servers people run, through httpx.MockTransport: each server's
way of taking a schema, learnt once per server and model; refusals are never retried as
overload."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from gristmill.errors import ProviderError
from gristmill.llm import LLM, get_llm
from gristmill.llm._dialects import SchemaForm, is_strict, schema_forms
from gristmill.llm._retry import is_transient
from tests.llm.llama_cpp_server import JSON_SCHEMA_REFUSAL

BASE = "http://llm.test:8000/v1"
STRICT_SCHEMA = {
    "type": "object",
    "properties": {"label": {"type": "string", "enum": ["spam", "ham"]}},
    "required": ["label"],
    "additionalProperties": False,
}


class Title(BaseModel):
    title: str
    keywords: list[str]


def chat_reply(content: str) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "choices": [
                {"message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 9, "completion_tokens": 4},
        },
    )


def form_of(body: dict[str, Any]) -> str:
    if "response_format" not in body:
        return "prompt"
    return str(body["response_format"]["type"])


class Server:
    """A scripted server: ``answer(body)`` per request; the request bodies are kept."""

    def __init__(self, answer: Callable[[dict[str, Any]], httpx.Response]) -> None:
        self.answer = answer
        self.bodies: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        with self.lock:
            self.bodies.append(body)
        return self.answer(body)

    def forms(self) -> list[str]:
        return [form_of(body) for body in self.bodies]

    def llm(
        self, base_url: str = BASE, model: str = "m", **settings: Any
    ) -> tuple[LLM, list[float]]:
        sleeps: list[float] = []
        llm = get_llm(
            f"openai:{base_url}/{model}",
            http_transport=httpx.MockTransport(self.handle),
            sleep=sleeps.append,
            **settings,
        )
        return llm, sleeps


def llama_cpp(body: dict[str, Any]) -> httpx.Response:
    """llama-cpp-python's server: json_object with a schema, HTTP 500 for json_schema."""
    if form_of(body) == "json_schema":
        return httpx.Response(500, json=JSON_SCHEMA_REFUSAL)
    return chat_reply('{"title": "Dams", "keywords": ["water"]}')


def test_json_schema_is_asked_first_as_openai_and_vllm_take_it(project: Path) -> None:
    server = Server(lambda body: chat_reply('{"label": "spam"}'))
    llm, _ = server.llm()
    assert llm.complete("classify: win a prize", response_format=STRICT_SCHEMA).parsed == {
        "label": "spam"
    }
    open_schema = {"title": "Label", "type": "object", "properties": {"label": {"type": "string"}}}
    assert llm.complete("another", response_format=open_schema).parsed == {"label": "spam"}
    strict_call, open_call = server.bodies
    assert strict_call["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "response", "schema": STRICT_SCHEMA, "strict": True},
    }
    # an open schema (no additionalProperties: false, as pydantic writes them): OpenAI would
    # refuse strict mode for it, so strict is not asked for
    assert open_call["response_format"]["json_schema"]["strict"] is False
    assert open_call["response_format"]["json_schema"]["name"] == "Label"
    assert schema_forms.known(BASE, "m") is SchemaForm.JSON_SCHEMA


def test_llama_cpp_refusing_json_schema_gets_json_object_with_the_schema(project: Path) -> None:
    server = Server(llama_cpp)
    llm, sleeps = server.llm()
    answer = llm.complete("title these", response_format=Title)
    assert answer.parsed == Title(title="Dams", keywords=["water"])
    assert server.forms() == ["json_schema", "json_object"]
    assert server.bodies[1]["response_format"]["schema"] == Title.model_json_schema()
    assert sleeps == []  # the refusal is not an overloaded server: no retry, no backoff
    llm.complete("title those", response_format=Title)
    assert server.forms()[2:] == ["json_object"]  # learnt: no second refusal


def test_a_server_refusing_both_gets_the_schema_in_the_prompt_and_a_repair(
    project: Path,
) -> None:
    replies = iter(["Sure: the title is Dams", '{"title": "Dams", "keywords": []}'])

    def plain_only(body: dict[str, Any]) -> httpx.Response:
        if "response_format" in body:
            message = f"Unsupported value: 'response_format.type' {form_of(body)!r}"
            return httpx.Response(400, json={"error": {"message": message}})
        return chat_reply(next(replies))

    server = Server(plain_only)
    llm, sleeps = server.llm(system_prompt="You title groups.")
    answer = llm.complete("title these", response_format=Title)
    assert answer.parsed == Title(title="Dams", keywords=[])
    assert server.forms() == ["json_schema", "json_object", "prompt", "prompt"]
    first_prompt = server.bodies[2]["messages"]
    # the schema joins the one system message, first, where every chat template accepts it
    assert [m["role"] for m in first_prompt] == ["system", "user"]
    assert first_prompt[0]["content"].startswith("You title groups.")
    assert '"keywords"' in first_prompt[0]["content"]
    repair = server.bodies[3]["messages"]
    assert "not valid JSON" in repair[-1]["content"] and answer.attempts == 2
    assert sleeps == []


def test_the_repair_is_bounded(project: Path) -> None:
    def prose(body: dict[str, Any]) -> httpx.Response:
        if "response_format" in body:
            return httpx.Response(400, json={"error": "response_format is not supported"})
        return chat_reply("no JSON here")

    server = Server(prose)
    llm, _ = server.llm(structured_retries=1)
    with pytest.raises(ProviderError, match="valid structured output in 2 attempts"):
        llm.complete("title these", response_format=Title)
    assert server.forms() == ["json_schema", "json_object", "prompt", "prompt"]


def test_a_server_ignoring_the_schema_is_re_asked_with_it(project: Path) -> None:
    # Ollama before 0.5 took json_schema on /v1 without a word and without enforcing it.
    replies = iter(["Dams, water", '{"title": "Dams", "keywords": ["water"]}'])
    server = Server(lambda body: chat_reply(next(replies)))
    llm, _ = server.llm()
    assert llm.complete("title", response_format=Title).parsed == Title(
        title="Dams", keywords=["water"]
    )
    assert server.forms() == ["json_schema", "json_schema"]
    assert '"keywords"' in server.bodies[1]["messages"][-1]["content"]


def test_what_a_server_takes_is_learnt_once_per_server_and_model(project: Path) -> None:
    server = Server(llama_cpp)
    first, _ = server.llm()
    first.complete("a", response_format=Title)
    again, _ = server.llm()  # another client of the same server, as another feature makes
    again.complete("b", response_format=Title)
    other_model, _ = server.llm(model="other")
    other_model.complete("c", response_format=Title)
    other_server, _ = server.llm(base_url="http://elsewhere.test:8080/v1")
    other_server.complete("d", response_format=Title)
    assert server.forms() == [
        "json_schema",
        "json_object",
        "json_object",
        "json_schema",
        "json_object",
        "json_schema",
        "json_object",
    ]
    assert schema_forms.known(BASE, "m") is SchemaForm.JSON_OBJECT


def test_a_concurrent_batch_learns_from_one_refusal(project: Path) -> None:
    server = Server(llama_cpp)
    llm, _ = server.llm()
    prompts = [f"group {i}" for i in range(12)]
    results = llm.complete_batch(prompts, response_format=Title, concurrency=4)
    assert all(result.parsed.title == "Dams" for result in results)
    assert server.forms().count("json_schema") == 1
    assert server.forms().count("json_object") == 12


def test_plain_calls_carry_no_response_format(project: Path) -> None:
    server = Server(llama_cpp)
    llm, _ = server.llm()
    assert llm.complete("hello").text
    assert server.forms() == ["prompt"]
    assert schema_forms.known(BASE, "m") is None  # nothing learnt from a plain call


def test_a_refusal_naming_response_format_is_never_retried_as_overload(project: Path) -> None:
    # A proxy in front of llama.cpp that fails every request the same way, plain ones too.
    server = Server(lambda body: httpx.Response(500, json=JSON_SCHEMA_REFUSAL))
    llm, sleeps = server.llm()
    with pytest.raises(ProviderError, match="HTTP 500") as caught:
        llm.complete("hello")
    assert len(server.bodies) == 1 and sleeps == []
    assert "overloaded" not in str(caught.value) and "rate limited" not in str(caught.value)


def test_genuine_overload_is_still_retried(project: Path) -> None:
    answers = iter(
        [
            httpx.Response(503, text="overloaded"),
            httpx.Response(429, json={"error": {"message": "slow down: response_format"}}),
            httpx.Response(500, json={"error": "worker crashed"}),
        ]
    )
    server = Server(lambda body: next(answers, chat_reply('{"title": "t", "keywords": []}')))
    llm, sleeps = server.llm()
    assert llm.complete("title", response_format=Title).parsed is not None
    assert len(sleeps) == 3
    assert server.forms() == ["json_schema"] * 4  # a rate limit is no refusal of the form


def test_which_failures_are_transient() -> None:
    assert is_transient(429, "response_format")
    assert is_transient(503, "")
    assert is_transient(500, '{"error": "boom"}')
    refusal = json.dumps(JSON_SCHEMA_REFUSAL)
    assert not is_transient(500, refusal)
    assert not is_transient(500, '{"error": {"message": "1 validation error: max_tokens"}}')
    assert not is_transient(400, "anything")


def test_strict_is_asked_only_for_closed_schemas() -> None:
    assert is_strict(STRICT_SCHEMA)
    assert not is_strict(Title.model_json_schema())
    nested: dict[str, Any] = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/Item"}}},
        "required": ["items"],
        "additionalProperties": False,
        "$defs": {"Item": {"type": "object", "properties": {"a": {"type": "string"}}}},
    }
    assert not is_strict(nested)
    nested["$defs"]["Item"].update(required=["a"], additionalProperties=False)
    assert is_strict(nested)
