"""The openai provider against httpx.MockTransport: request shape, retries, structure, cache,
usage, secrets, and an unreachable server."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from gristmill.errors import InvalidInputError, ProviderError
from gristmill.llm import LLM, get_llm, usage_summary

BASE = "http://llm.test:8000/v1"
SECRET = "sk-test-SECRET-do-not-store-0123456789"


class Title(BaseModel):
    title: str
    keywords: list[str]


def chat_reply(content: str, prompt_tokens: int = 11, completion_tokens: int = 5) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
        },
    )


class Server:
    """A scripted OpenAI-compatible server: each request gets the next scripted answer."""

    def __init__(
        self, *answers: httpx.Response | Exception | Callable[[dict[str, Any]], httpx.Response]
    ) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.lock = threading.Lock()

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(request.content) for request in self.requests]

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
            answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(json.loads(request.content))
        return answer

    def llm(self, **settings: Any) -> tuple[LLM, list[float]]:
        sleeps: list[float] = []
        llm = get_llm(
            f"openai:{BASE}/qwen3-8b",
            http_transport=httpx.MockTransport(self.handle),
            sleep=sleeps.append,
            **settings,
        )
        return llm, sleeps


def test_request_shape(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_TEST_KEY", SECRET)
    server = Server(chat_reply("Rivers of Europe"))
    llm, _ = server.llm(
        temperature=0.2,
        max_tokens=40,
        seed=3,
        system_prompt="Be brief.",
        api_key_env="LLM_TEST_KEY",
    )
    answer = llm.complete("Name a title.")
    assert answer.text == "Rivers of Europe"
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (11, 5)
    assert answer.model == "qwen3-8b" and answer.finish_reason == "stop"
    request = server.requests[0]
    assert str(request.url) == f"{BASE}/chat/completions"
    assert request.method == "POST"
    assert request.headers["authorization"] == f"Bearer {SECRET}"
    assert server.bodies[0] == {
        "model": "qwen3-8b",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Name a title."},
        ],
        "temperature": 0.2,
        "max_tokens": 40,
        "seed": 3,
    }


def test_no_key_means_no_authorization_header(project: Path) -> None:
    server = Server(chat_reply("ok"))
    llm, _ = server.llm()
    llm.complete("hi")
    assert "authorization" not in server.requests[0].headers


def test_a_configured_key_variable_is_used(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_SERVER_KEY", "other-key")
    server = Server(chat_reply("ok"))
    llm, _ = server.llm(api_key_env="MY_SERVER_KEY")
    llm.complete("hi")
    assert server.requests[0].headers["authorization"] == "Bearer other-key"


def test_429_is_retried_after_the_servers_retry_after(project: Path) -> None:
    limited = httpx.Response(
        429, headers={"Retry-After": "7"}, json={"error": {"message": "slow down"}}
    )
    server = Server(limited, limited, chat_reply("finally"))
    llm, sleeps = server.llm(retry_base_delay_s=0.5)
    assert llm.complete("hi").text == "finally"
    assert len(server.requests) == 3
    assert len(sleeps) == 2 and all(delay >= 7 for delay in sleeps)


def test_5xx_and_timeouts_back_off_exponentially(project: Path) -> None:
    server = Server(
        httpx.Response(503, text="overloaded"),
        httpx.ReadTimeout("slow"),
        httpx.Response(500, json={"error": "boom"}),
        chat_reply("recovered"),
    )
    llm, sleeps = server.llm(retry_base_delay_s=1.0, retry_max_delay_s=60)
    assert llm.complete("hi").text == "recovered"
    assert len(sleeps) == 3
    for attempt, delay in enumerate(sleeps):
        assert 2**attempt / 2 <= delay <= 2**attempt


def test_retries_give_up_with_a_clear_error(project: Path) -> None:
    server = Server(httpx.ReadTimeout("slow"))
    llm, sleeps = server.llm(max_retries=2, timeout_s=5)
    with pytest.raises(ProviderError) as caught:
        llm.complete("hi")
    assert len(server.requests) == 3 and len(sleeps) == 2
    assert "did not answer within 5 s" in str(caught.value)
    assert "gave up after 3 attempts" in str(caught.value)


def test_client_errors_are_not_retried_and_hint_the_fix(project: Path) -> None:
    server = Server(httpx.Response(401, json={"error": {"message": "bad key"}}))
    llm, sleeps = server.llm()
    with pytest.raises(ProviderError, match="HTTP 401: bad key") as caught:
        llm.complete("hi")
    # No key variable was configured for this server, so none was sent: the hint says where.
    assert "api_key_env" in str(caught.value) and "no key was sent" in str(caught.value)
    assert len(server.requests) == 1 and sleeps == []
    server = Server(httpx.Response(401, json={"error": {"message": "bad key"}}))
    llm, _ = server.llm(api_key_env="MY_SERVER_KEY")
    with pytest.raises(ProviderError, match=r"\$MY_SERVER_KEY"):
        llm.complete("hi")
    server = Server(httpx.Response(404, text="no such model"))
    llm, _ = server.llm()
    with pytest.raises(ProviderError, match="qwen3-8b"):
        llm.complete("hi")
    server = Server(httpx.Response(200, text="<html>not json</html>"))
    llm, _ = server.llm()
    with pytest.raises(ProviderError, match="not a chat completion"):
        llm.complete("hi")


def test_structured_output_sends_the_schema(project: Path) -> None:
    server = Server(chat_reply('{"title": "Dams", "keywords": ["water"]}'))
    llm, _ = server.llm()
    answer = llm.complete("title these", response_format=Title)
    assert answer.parsed == Title(title="Dams", keywords=["water"])
    response_format = server.bodies[0]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "Title"
    assert response_format["json_schema"]["schema"] == Title.model_json_schema()


def test_invalid_structured_output_is_re_asked_with_the_error(project: Path) -> None:
    server = Server(
        chat_reply("Sure! Here is the title: Dams"),
        chat_reply('```json\n{"title": "Dams", "keywords": ["water", "power"]}\n```'),
    )
    llm, _ = server.llm()
    answer = llm.complete("title these", response_format=Title)
    assert answer.parsed == Title(title="Dams", keywords=["water", "power"])
    assert answer.attempts == 2
    assert answer.usage.input_tokens == 22
    reask = server.bodies[1]["messages"]
    assert reask[-2] == {"role": "assistant", "content": "Sure! Here is the title: Dams"}
    assert "not valid JSON" in reask[-1]["content"]
    assert '"keywords"' in reask[-1]["content"]


def test_structured_output_gives_up_with_a_clear_error(project: Path) -> None:
    server = Server(chat_reply('{"title": 5}'))
    llm, _ = server.llm(structured_retries=1)
    with pytest.raises(ProviderError, match="valid structured output in 2 attempts") as caught:
        llm.complete("title these", response_format=Title)
    assert "keywords" in str(caught.value)
    assert len(server.requests) == 2


def test_a_server_without_response_format_gets_the_schema_in_the_prompt(project: Path) -> None:
    def answer(body: dict[str, Any]) -> httpx.Response:
        if "response_format" in body:
            return httpx.Response(400, json={"error": {"message": "response_format unsupported"}})
        return chat_reply('{"title": "Dams", "keywords": []}')

    server = Server(answer)
    llm, _ = server.llm()
    assert llm.complete("a", response_format=Title).parsed == Title(title="Dams", keywords=[])
    assert llm.complete("b", response_format=Title).parsed is not None
    bodies = server.bodies
    assert bodies[0]["response_format"]["type"] == "json_schema"
    assert bodies[1]["response_format"]["type"] == "json_object"
    assert "response_format" not in bodies[2]
    assert "JSON schema" in bodies[2]["messages"][0]["content"]
    assert len(bodies) == 4 and "response_format" not in bodies[3]  # remembered


def test_a_rerun_never_pays_twice(project: Path) -> None:
    server = Server(chat_reply("one title"))
    llm, _ = server.llm()
    prompts = [f"cluster {i}" for i in range(5)]
    llm.complete_batch(prompts, response_format=None)
    assert len(server.requests) == 5
    rerun, _ = server.llm()
    results = rerun.complete_batch(prompts)
    assert len(server.requests) == 5
    assert all(result.cached for result in results)
    assert rerun.usage().cache_hit_rate == 1.0


def test_usage_is_recorded_with_cost(project: Path) -> None:
    server = Server(chat_reply("x", prompt_tokens=1000, completion_tokens=500))
    llm, _ = server.llm(price_input_per_million=0.15, price_output_per_million=0.60)
    answer = llm.complete("price me")
    assert answer.cost == pytest.approx((1000 * 0.15 + 500 * 0.60) / 1e6)
    summary = usage_summary()
    assert (summary.calls, summary.input_tokens, summary.output_tokens) == (1, 1000, 500)
    assert summary.cost == pytest.approx(answer.cost)
    assert summary.by_model["openai/qwen3-8b"].calls == 1


def test_the_api_key_is_never_on_disk_or_in_reprs(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    server = Server(chat_reply('{"title": "t", "keywords": []}'), httpx.Response(401, text="no"))
    llm, _ = server.llm()
    llm.complete("one", response_format=Title)
    with pytest.raises(ProviderError) as caught:
        llm.complete("two")
    texts = [repr(llm), str(llm.settings), repr(llm.provider), str(caught.value), repr(llm.usage())]
    assert not any(SECRET in text for text in texts)
    files = [path for path in project.rglob("*") if path.is_file()]
    assert any(path.name.startswith("llm_cache.sqlite") for path in files)
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path


def test_the_official_endpoint_without_a_key_says_what_to_set(project: Path) -> None:
    with pytest.raises(InvalidInputError, match="OPENAI_API_KEY"):
        get_llm("openai/gpt-4o-mini")


def test_an_unreachable_server_names_the_url_and_what_to_check(project: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    llm = get_llm(f"openai:http://127.0.0.1:{port}/v1/qwen3-8b", sleep=lambda _: None)
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        llm.complete("hello")
    message = str(caught.value)
    assert f"http://127.0.0.1:{port}/v1/chat/completions" in message
    assert "check that the server is running" in message
    assert "GRISTMILL_LLM_BASE_URL" in message
    assert time.monotonic() - started < 30  # refused connections are not retried for long


def test_batches_respect_the_concurrency_limit(project: Path) -> None:
    active, peak = 0, 0
    lock = threading.Lock()

    def slow(body: dict[str, Any]) -> httpx.Response:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.02)
        with lock:
            active -= 1
        return chat_reply(body["messages"][-1]["content"].upper())

    server = Server(slow)
    llm, _ = server.llm()
    prompts = [f"item {i}" for i in range(12)]
    results = llm.complete_batch(prompts, concurrency=3)
    assert [r.text for r in results] == [p.upper() for p in prompts]
    assert 1 < peak <= 3


def test_a_failing_batch_keeps_what_finished(project: Path) -> None:
    def flaky(body: dict[str, Any]) -> httpx.Response:
        if body["messages"][-1]["content"] == "bad":
            return httpx.Response(400, json={"error": {"message": "rejected"}})
        return chat_reply("fine")

    server = Server(flaky)
    llm, _ = server.llm()
    results = llm.complete_batch(["a", "bad", "c"], concurrency=1, return_exceptions=True)
    assert results[0].text == "fine" and isinstance(results[1], ProviderError)
    with pytest.raises(ProviderError, match="rejected") as caught:
        llm.complete_batch(["a", "bad", "c"], concurrency=1)
    assert any("rerunning the batch resumes" in note for note in caught.value.__notes__)
    assert llm.complete("a").cached


def test_a_reply_cut_at_max_tokens_says_so(project: Path) -> None:
    cut = chat_reply('{"title": "Da')
    cut_json = cut.json()
    cut_json["choices"][0]["finish_reason"] = "length"
    server = Server(httpx.Response(200, json=cut_json))
    llm, _ = server.llm(structured_retries=0, max_tokens=5)
    with pytest.raises(ProviderError, match="cut off at max_tokens=5"):
        llm.complete("title", response_format=Title)


def test_sampling_beyond_temperature_reaches_servers_that_take_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.llm import CompletionRequest

    request = CompletionRequest(
        prompt="Name a title.",
        top_p=0.8,
        top_k=20,
        min_p=0.0,
        template_args={"enable_thinking": False},
    )
    server = Server(chat_reply("Rivers"))
    llm, _ = server.llm()
    llm.complete_batch([request])
    body = server.bodies[0]
    assert (body["top_p"], body["top_k"], body["min_p"]) == (0.8, 20, 0.0)
    assert body["chat_template_kwargs"] == {"enable_thinking": False}

    # OpenAI's own API refuses the extensions: it gets the standard top_p only.
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    official = Server(chat_reply("Rivers"))
    openai = get_llm(
        "openai/gpt-4o-mini", http_transport=httpx.MockTransport(official.handle), cache=False
    )
    openai.complete_batch([request])
    sent = official.bodies[0]
    assert sent["top_p"] == 0.8
    assert not {"top_k", "min_p", "chat_template_kwargs"} & set(sent)


def test_calls_without_the_newer_fields_keep_their_cache_keys() -> None:
    from gristmill.llm._provider import ProviderCall

    call = ProviderCall(messages=[{"role": "user", "content": "hi"}], temperature=0, max_tokens=5)
    # The fields the cache keyed before top_k, min_p and template arguments existed.
    assert set(call.cache_fields()) == {
        "messages",
        "temperature",
        "max_tokens",
        "top_p",
        "seed",
        "stop",
        "json_schema",
        "schema_name",
    }
    assert "top_k" in ProviderCall(**{**call.model_dump(), "top_k": 5}).cache_fields()
