"""The deterministic fake provider, for tests: no model, no network, same answer every time.

A hash of the messages picks the answer. Free text is a short sentence drawn from a word list,
or one of ``options['replies']`` when given (``get_llm('fake', options={'replies': [...]})``).
With a response schema the answer is JSON built to satisfy it: every property present, enums,
bounds, lengths and item counts respected, ``$ref`` followed (string patterns are not).
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from gristmill.llm._jsonschema import resolve_ref
from gristmill.llm._provider import ProviderCall, ProviderReply, ProviderResources
from gristmill.llm._settings import LLMSettings
from gristmill.llm._tokens import approximate_token_count, approximate_truncate

_WORDS = (
    *("amber", "basin", "cedar", "delta", "ember", "fjord", "granite", "harbor", "island"),
    *("juniper", "kelp", "lagoon", "meadow", "nectar", "orchard", "prairie", "quartz"),
    *("river", "summit", "tundra", "upland", "valley", "willow", "yarrow", "zephyr"),
)


class FakeProvider:
    """Answers from a hash of the request; never fails, never sleeps."""

    name = "fake"

    def __init__(self, settings: LLMSettings) -> None:
        self.model = settings.model or "fake"
        replies = settings.options.get("replies")
        self.replies: list[str] | None = [str(r) for r in replies] if replies else None

    def identity(self) -> dict[str, str]:
        replies = json.dumps(self.replies) if self.replies else ""
        return {"provider": self.name, "model": self.model, "replies": replies}

    def generate(self, call: ProviderCall) -> ProviderReply:
        canonical = json.dumps([call.messages, call.seed, call.json_schema], sort_keys=True)
        digest = hashlib.sha256(canonical.encode("utf-8")).digest()
        rng = random.Random(digest)
        if call.json_schema is not None:
            value = _value_for(call.json_schema, call.json_schema, rng, depth=0)
            text = json.dumps(value)
        elif self.replies:
            text = self.replies[int.from_bytes(digest[:8], "big") % len(self.replies)]
        else:
            count = rng.randint(3, 8)
            text = " ".join(rng.choice(_WORDS) for _ in range(count)).capitalize() + "."
        text = approximate_truncate(text, call.max_tokens) if call.json_schema is None else text
        return ProviderReply(
            text=text,
            input_tokens=sum(approximate_token_count(m["content"]) for m in call.messages),
            output_tokens=approximate_token_count(text),
            finish_reason="stop",
        )

    def count_tokens(self, text: str) -> int:
        return approximate_token_count(text)

    def truncate(self, text: str, max_tokens: int) -> str:
        return approximate_truncate(text, max_tokens)

    def close(self) -> None:
        return None


def create_fake_provider(settings: LLMSettings, resources: ProviderResources) -> FakeProvider:
    return FakeProvider(settings)


def _value_for(schema: Any, root: dict[str, Any], rng: random.Random, depth: int) -> Any:
    if not isinstance(schema, dict) or depth > 12:
        return None
    schema = resolve_ref(schema, root)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return _value_for(schema[keyword][0], root, rng, depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(resolve_ref(part, root))
        return _value_for(merged, root, rng, depth + 1)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((name for name in kind if name != "null"), "null")
    if kind == "object":
        properties: dict[str, Any] = schema.get("properties", {})
        return {name: _value_for(sub, root, rng, depth + 1) for name, sub in properties.items()}
    if kind == "array":
        low = schema.get("minItems", 1)
        high = max(low, min(schema.get("maxItems", low + 2), low + 2))
        item = schema.get("items", {})
        return [_value_for(item, root, rng, depth + 1) for _ in range(rng.randint(low, high))]
    if kind in ("integer", "number"):
        return _number_for(schema, rng, integer=kind == "integer")
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return _string_for(schema, rng)


def _number_for(schema: dict[str, Any], rng: random.Random, *, integer: bool) -> float | int:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
    high = schema.get("maximum", schema.get("exclusiveMaximum", low + 100))
    if integer:
        low_i = int(low) + (1 if "exclusiveMinimum" in schema else 0)
        high_i = int(high) - (1 if "exclusiveMaximum" in schema else 0)
        return rng.randint(low_i, max(low_i, high_i))
    value = rng.uniform(low, high)
    return value if low < value < high or not _exclusive(schema) else (low + high) / 2


def _exclusive(schema: dict[str, Any]) -> bool:
    return "exclusiveMinimum" in schema or "exclusiveMaximum" in schema


def _string_for(schema: dict[str, Any], rng: random.Random) -> str:
    low = schema.get("minLength", 1)
    high = schema.get("maxLength", max(low, 40))
    target = rng.randint(low, max(low, min(high, 30)))
    text = rng.choice(_WORDS)
    while len(text) < target:
        text += " " + rng.choice(_WORDS)
    return text[:high]
