"""The OpenAI-compatible provider against a mocked server (httpx.MockTransport)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import numpy as np
import pytest

from gristmill.embed import OpenAIEmbedding, clear_embedding_cache, get_embedding
from gristmill.errors import ProviderError


class FakeServer:
    """Answers /embeddings with vectors derived from each text, in shuffled order."""

    def __init__(self, failures: list[int] | None = None) -> None:
        self.failures = list(failures or [])
        self.requests: list[dict[str, object]] = []
        self.headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/embeddings"
        self.headers.append(request.headers)
        if self.failures:
            return httpx.Response(self.failures.pop(0), json={"error": "try again"})
        body = json.loads(request.content)
        self.requests.append(body)
        data = [
            {"index": i, "embedding": [len(text), text.count("a"), 1.0]}
            for i, text in enumerate(body["input"])
        ]
        return httpx.Response(200, json={"data": data[::-1], "model": body["model"]})


def make(server: FakeServer, **settings: object) -> OpenAIEmbedding:
    defaults: dict[str, object] = {
        "base_url": "http://embed.test/v1",
        "config": {},
        "transport": httpx.MockTransport(server),
        "sleep": lambda seconds: None,
    }
    defaults.update(settings)
    return OpenAIEmbedding("test-model", **defaults)  # type: ignore[arg-type]


def test_batches_keep_input_order_and_vectors_are_normalised() -> None:
    server = FakeServer()
    model = make(server, batch_size=2)
    texts = ["a", "bb", "aaa", "", "cccc"]
    vectors = model.embed(texts)
    assert [len(r["input"]) for r in server.requests] == [2, 2]  # type: ignore[arg-type]
    assert all(r["model"] == "test-model" for r in server.requests)
    expected = np.array([[1, 1, 1], [2, 0, 1], [3, 3, 1], [0, 0, 0], [4, 0, 1]], np.float32)
    norms = np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(vectors, expected / np.maximum(norms, 1e-12), atol=1e-6)
    assert model.dim == 3
    assert model.model_id == "openai:http://embed.test/v1#test-model"


def test_rate_limits_and_server_errors_are_retried_with_backoff() -> None:
    server = FakeServer(failures=[429, 503, 500])
    waits: list[float] = []
    model = make(server, sleep=waits.append, retry_backoff_s=0.5)
    assert model.embed(["abc"]).shape == (1, 3)
    assert waits == [0.5, 1.0, 2.0]


def test_retry_after_header_is_honoured() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "7"})
        return httpx.Response(200, json={"data": [{"index": 0, "embedding": [1.0, 0.0]}]})

    waits: list[float] = []
    model = OpenAIEmbedding(
        "m",
        base_url="http://x/v1",
        config={},
        transport=httpx.MockTransport(handler),
        sleep=waits.append,
    )
    model.embed(["hi"])
    assert waits == [7.0]


def test_giving_up_after_the_retries_is_a_provider_error() -> None:
    model = make(FakeServer(failures=[500] * 10), max_retries=2)
    with pytest.raises(ProviderError, match="after 3 attempts: HTTP 500"):
        model.embed(["abc"])


def test_connection_errors_are_retried_then_reported() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    model = OpenAIEmbedding(
        "m",
        base_url="http://x/v1",
        config={},
        transport=httpx.MockTransport(refuse),
        sleep=lambda s: None,
        max_retries=1,
    )
    with pytest.raises(ProviderError, match="ConnectError"):
        model.embed(["abc"])


def test_auth_errors_name_the_key_variable_and_never_show_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MY_EMBED_KEY", "sk-secret-value")
    server = FakeServer(failures=[401])
    model = make(server, api_key_env="MY_EMBED_KEY")
    with pytest.raises(ProviderError) as caught:
        model.embed(["abc"])
    assert server.headers[0]["authorization"] == "Bearer sk-secret-value"
    assert "MY_EMBED_KEY" in str(caught.value)
    assert "sk-secret-value" not in str(caught.value)


def test_no_key_means_no_authorization_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server = FakeServer()
    make(server).embed(["abc"])
    assert "authorization" not in server.headers[0]


def test_a_response_that_is_not_embeddings_is_a_provider_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"object": "list", "data": [{"index": 0}]})

    model = OpenAIEmbedding(
        "m", base_url="http://x/v1", config={}, transport=httpx.MockTransport(handler)
    )
    with pytest.raises(ProviderError, match="not an embeddings response"):
        model.embed(["abc"])


def test_settings_come_from_gristmill_yml_and_the_environment(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRISTMILL_EMBEDDING_BASE_URL", raising=False)
    monkeypatch.delenv("GRISTMILL_EMBEDDING_MODEL", raising=False)
    (project_dir / "gristmill.yml").write_text(
        "embedding:\n  openai:\n    base_url: http://local:8000/v1/\n    model: bge-small\n"
        "    batch_size: 16\n    dimensions: 64\n    api_key_env: LOCAL_KEY\n",
        encoding="utf-8",
    )
    try:
        model = get_embedding("openai")
        assert isinstance(model, OpenAIEmbedding)
        assert (model.base_url, model.model, model.batch_size) == (
            "http://local:8000/v1",
            "bge-small",
            16,
        )
        assert (model.dimensions, model.api_key_env, model.dim) == (64, "LOCAL_KEY", 64)
        assert model.model_id == "openai:http://local:8000/v1#bge-small@64"
        # The variant names the model; the environment overrides the file.
        monkeypatch.setenv("GRISTMILL_EMBEDDING_BASE_URL", "http://other/v1")
        variant = get_embedding("openai/text-embedding-3-large")
        assert isinstance(variant, OpenAIEmbedding)
        assert (variant.model, variant.base_url) == ("text-embedding-3-large", "http://other/v1")
    finally:
        # Built models are cached per process; do not leak this project's settings.
        clear_embedding_cache("openai")
