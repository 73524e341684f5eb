"""A user's provider plugs in like the built-ins and gets cache, retries and structure for free;
importing the layer pulls in no heavy package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gristmill.errors import NotFoundError, ProviderError
from gristmill.llm import (
    LLMSettings,
    ProviderCall,
    ProviderReply,
    ProviderResources,
    RetryableProviderError,
    approximate_token_count,
    approximate_truncate,
    get_llm,
    providers,
)


class EchoProvider:
    name = "echo"

    def __init__(self, settings: LLMSettings) -> None:
        self.model = settings.model or "echo-1"
        self.calls = 0

    def identity(self) -> dict[str, str]:
        return {"provider": self.name, "model": self.model}

    def generate(self, call: ProviderCall) -> ProviderReply:
        self.calls += 1
        if self.calls == 1:
            raise RetryableProviderError(ProviderError("echo is warming up"), retry_after_s=0.5)
        if call.json_schema is not None:
            return ProviderReply(text='{"echo": "' + call.messages[-1]["content"] + '"}')
        return ProviderReply(text=call.messages[-1]["content"][::-1])

    def count_tokens(self, text: str) -> int:
        return approximate_token_count(text)

    def truncate(self, text: str, max_tokens: int) -> str:
        return approximate_truncate(text, max_tokens)

    def close(self) -> None:
        return None


@pytest.fixture
def echo_registered() -> object:
    def factory(settings: LLMSettings, resources: ProviderResources) -> EchoProvider:
        return EchoProvider(settings)

    providers.register("echo", factory)
    yield factory
    providers.unregister("echo")


def test_a_user_provider_gets_retries_cache_and_structure(
    project: Path, echo_registered: object
) -> None:
    sleeps: list[float] = []
    llm = get_llm("echo/v2", sleep=sleeps.append)
    answer = llm.complete("stressed")
    assert answer.text == "desserts" and answer.model == "v2"
    assert sleeps and sleeps[0] >= 0.5
    assert answer.usage.output_tokens > 0  # counted by the client when the provider did not
    assert llm.complete("stressed").cached
    schema = {"type": "object", "properties": {"echo": {"type": "string"}}, "required": ["echo"]}
    assert llm.complete("hi", response_format=schema).parsed == {"echo": "hi"}
    assert "echo" in providers.names()


def test_an_unknown_provider_lists_the_known_ones(project: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        get_llm("nosuch/model")
    assert "fake" in str(caught.value) and "openai" in str(caught.value)


def test_importing_the_layer_loads_no_heavy_package() -> None:
    code = (
        "import sys, gristmill.llm; "
        "print(sorted(m for m in ('httpx', 'llama_cpp', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
