"""The openai embedding sends a key only to the server it was configured for, follows no
redirect, and a named embedding from gristmill.yml brings its own server and key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gristmill.embed import OpenAIEmbedding, clear_embedding_cache, get_embedding
from gristmill.errors import ProviderError
from tests.llm.recording_server import recording_server

OPENAI_KEY = "sk-openai-SECRET-0123456789"
MINE_KEY = "sk-mine-SECRET-0123456789"
_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "GRISTMILL_EMBEDDING_BASE_URL",
    "GRISTMILL_EMBEDDING_API_KEY_ENV",
    "GRISTMILL_EMBEDDING_MODEL",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    yield
    # Built models are cached per process; do not leak this test's settings.
    clear_embedding_cache()


def vectors(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"data": [{"index": 0, "embedding": [1.0, 0.0]}]})


def sent_with(**settings: object) -> list[tuple[str, str | None]]:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return vectors(request)

    model = OpenAIEmbedding("m", transport=httpx.MockTransport(handler), **settings)  # type: ignore[arg-type]
    model.embed(["hello"])
    return [(r.url.host, r.headers.get("authorization")) for r in requests]


def test_the_openai_key_goes_only_to_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    assert sent_with(config={}) == [("api.openai.com", f"Bearer {OPENAI_KEY}")]
    assert sent_with(base_url="http://attacker.test/v1", config={}) == [("attacker.test", None)]
    # The OpenAI SDK's own pair: a base URL in $OPENAI_BASE_URL is where $OPENAI_API_KEY is for.
    monkeypatch.setenv("OPENAI_BASE_URL", "http://proxy.test/v1")
    assert sent_with(config={}) == [("proxy.test", f"Bearer {OPENAI_KEY}")]


def test_a_configured_key_stays_with_its_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINE_KEY", MINE_KEY)
    block = {
        "embedding": {"openai": {"base_url": "http://mine.test/v1", "api_key_env": "MINE_KEY"}}
    }
    assert sent_with(config=block) == [("mine.test", f"Bearer {MINE_KEY}")]
    assert sent_with(config=block, base_url="http://attacker.test/v1") == [("attacker.test", None)]
    monkeypatch.setenv("GRISTMILL_EMBEDDING_BASE_URL", "http://other.test/v1")
    assert sent_with(config=block) == [("other.test", None)]
    monkeypatch.setenv("GRISTMILL_EMBEDDING_API_KEY_ENV", "MINE_KEY")
    assert sent_with(config=block) == [("other.test", f"Bearer {MINE_KEY}")]


def test_a_redirect_is_not_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINE_KEY", MINE_KEY)
    requests: list[httpx.Request] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(307, headers={"location": "http://attacker.test/v1/embeddings"})

    model = OpenAIEmbedding(
        "m",
        base_url="http://mine.test/v1",
        api_key_env="MINE_KEY",
        config={},
        transport=httpx.MockTransport(redirect),
    )
    with pytest.raises(ProviderError, match="redirect"):
        model.embed(["hello"])
    assert [r.url.host for r in requests] == ["mine.test"]


def test_a_named_embedding_brings_its_own_server_and_key(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINE_KEY", MINE_KEY)
    monkeypatch.setenv("OTHER_KEY", "sk-other-SECRET")
    with recording_server() as mine:
        config = project_dir / "gristmill.yml"
        config.write_text(
            # The embedding: openai: block's server and key must not leak into the entry.
            "embedding:\n  openai: {base_url: http://other.test/v1, api_key_env: OTHER_KEY}\n"
            "models:\n"
            f"  bge: {{kind: embedding, provider: openai, model: bge-small, base_url: "
            f"{mine.base_url}, api_key_env: MINE_KEY}}\n",
            encoding="utf-8",
        )
        model = get_embedding("bge")
        assert model.embed(["hello", "there"]).shape == (2, 3)
        assert mine.authorizations() == [f"Bearer {MINE_KEY}"]
        assert mine.requests[0].body["model"] == "bge-small"
        # An edited entry takes effect on the next lookup (models are cached by settings).
        config.write_text(
            f"models:\n  bge: {{kind: embedding, provider: openai, model: bge-base, base_url: "
            f"{mine.base_url}}}\n",
            encoding="utf-8",
        )
        get_embedding("bge").embed(["again"])
        assert mine.authorizations()[-1] is None
        assert mine.requests[-1].body["model"] == "bge-base"


def test_openai_without_a_key_names_the_offline_stand_in() -> None:
    # Lilac code computes 'openai' embeddings; without a key or a network say what works (issue 12).
    def unauthorized(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "no key"})

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no network", request=request)

    for handler in (unauthorized, offline):
        model = OpenAIEmbedding(
            "m",
            transport=httpx.MockTransport(handler),
            config={},
            max_retries=0,
            sleep=lambda s: None,
        )
        with pytest.raises(ProviderError) as caught:
            model.embed(["hello"])
        hint = caught.value.hint or ""
        assert "'minilm' (all-MiniLM-L6-v2" in hint and "OPENAI_API_KEY is not set" in hint
