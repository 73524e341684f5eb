from __future__ import annotations

from typing import Any

import pytest

from gristmill.errors import InvalidInputError
from gristmill.llm import parse_model_address


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("fake", {"provider": "fake"}),
        ("local", {"provider": "local"}),
        ("openai/gpt-4o-mini", {"provider": "openai", "model": "gpt-4o-mini"}),
        (
            "openai/meta-llama/Llama-3.1-8B-Instruct",
            {"provider": "openai", "model": "meta-llama/Llama-3.1-8B-Instruct"},
        ),
        (
            "openai:http://localhost:8000/v1/qwen3-8b",
            {"provider": "openai", "base_url": "http://localhost:8000/v1", "model": "qwen3-8b"},
        ),
        (
            "openai:http://localhost:11434/v1/llama3.2:3b",
            {"provider": "openai", "base_url": "http://localhost:11434/v1", "model": "llama3.2:3b"},
        ),
        (
            "openai:https://host.example/api/v1/Qwen/Qwen3-8B",
            {
                "provider": "openai",
                "base_url": "https://host.example/api/v1",
                "model": "Qwen/Qwen3-8B",
            },
        ),
        (
            "openai:http://localhost:8000/v1",
            {"provider": "openai", "base_url": "http://localhost:8000/v1"},
        ),
        (
            "openai:http://localhost:8080/my-model",
            {"provider": "openai", "base_url": "http://localhost:8080", "model": "my-model"},
        ),
        ("local:/models/qwen.gguf", {"provider": "local", "model_path": "/models/qwen.gguf"}),
        ("fake:echo", {"provider": "fake", "model": "echo"}),
        ("  openai/gpt-4o-mini  ", {"provider": "openai", "model": "gpt-4o-mini"}),
    ],
)
def test_valid_addresses(address: str, expected: dict[str, Any]) -> None:
    assert parse_model_address(address) == expected


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "openai/",
        "openai:",
        "openai:ftp://x/v1/m",
        "openai:not a url",
        "/gpt-4o",
        "9x/model",
        "open ai/gpt",
        "openai//double",
        ":model",
        "openai:localhost:8000/v1/m",
    ],
)
def test_malformed_addresses_explain_with_examples(address: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_model_address(address)
    assert "openai/gpt-4o-mini" in str(caught.value)
    assert "openai:http://localhost:8000/v1/qwen3-8b" in str(caught.value)


def test_a_non_string_address_is_rejected() -> None:
    with pytest.raises(InvalidInputError):
        parse_model_address(42)  # type: ignore[arg-type]
