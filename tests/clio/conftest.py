"""Fixtures of the Clio tests."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

# -- base clusters and hierarchy (engineer G) -------------------------------------------------

TOPICS: dict[str, tuple[str, ...]] = {
    "cooking": ("recipe", "soup", "bake", "oven", "flour", "garlic", "simmer", "dough"),
    "python": ("python", "list", "function", "error", "import", "loop", "debug", "class"),
    "travel": ("flight", "hotel", "passport", "luggage", "airport", "itinerary", "visa", "beach"),
    "health": ("doctor", "symptom", "fever", "sleep", "exercise", "diet", "vitamin", "headache"),
    "finance": ("budget", "loan", "invest", "stock", "savings", "tax", "mortgage", "credit"),
    "music": ("guitar", "chord", "melody", "song", "piano", "rhythm", "lyrics", "band"),
    "gardening": ("tomato", "soil", "seed", "prune", "compost", "garden", "water", "bloom"),
    "legal": ("contract", "lawyer", "lease", "court", "tenant", "clause", "lawsuit", "rights"),
}


def topic_values(count: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``count`` short facet values, each about one of ``TOPICS``, and each value's topic."""
    rng = random.Random(seed)
    names = sorted(TOPICS)
    values, topics = [], []
    for index in range(count):
        topic = names[index % len(names)]
        words = rng.sample(TOPICS[topic], 4)
        values.append(f"help with {' '.join(words)}")
        topics.append(topic)
    return values, topics


@pytest.fixture
def topic_data() -> tuple[list[str], list[str], Any]:
    """400 values about 8 topics, their topics and their FakeEmbedding vectors."""
    from gristmill.embed import FakeEmbedding

    values, topics = topic_values(400)
    return values, topics, FakeEmbedding().embed(values)


# -- conversations and facets (engineer F) ------------------------------------------------------


def ultrafeedback_chats() -> list[list[dict[str, str]]]:
    """The 40 real chats of ``tests/fixtures/ultrafeedback_chats.jsonl`` (the chosen side):
    lists of ``{role, content}`` turns, user first."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "fixtures" / "ultrafeedback_chats.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["chosen"] for line in lines if line.strip()]


@pytest.fixture
def chats() -> list[list[dict[str, str]]]:
    return ultrafeedback_chats()


@pytest.fixture(autouse=True)
def no_configured_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    """No LLM from the environment: each test names the one it uses."""
    for name in ("GRISTMILL_LLM", "GRISTMILL_LLM_BASE_URL", "GRISTMILL_LLM_API_KEY_ENV"):
        monkeypatch.delenv(name, raising=False)


class ConstantProvider:
    """An LLM provider that gives the same reply to every request (adversarial tests)."""

    name = "constant"

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.requests = 0
        self.calls: list[Any] = []

    def identity(self) -> dict[str, str]:
        return {"provider": self.name, "model": self.reply}

    def generate(self, call: Any) -> Any:
        from gristmill.llm import ProviderReply

        self.requests += 1
        self.calls.append(call)
        return ProviderReply(text=self.reply, finish_reason="stop")

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def truncate(self, text: str, max_tokens: int) -> str:
        return " ".join(text.split()[:max_tokens])

    def close(self) -> None:
        return None


def constant_llm(reply: str) -> Any:
    """An uncached LLM client over :class:`ConstantProvider`."""
    from gristmill.llm import LLM, LLMSettings

    return LLM(LLMSettings(provider="constant"), ConstantProvider(reply), cache=False)


# A bag-of-words embedding under its own name, for the tests that run the whole pipeline.
WORDS_EMBEDDING = "clio_test_words"


@pytest.fixture
def words_embedding() -> Iterator[str]:
    from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

    register_embedding(WORDS_EMBEDDING, FakeEmbedding())
    yield WORDS_EMBEDDING
    unregister_embedding(WORDS_EMBEDDING)
