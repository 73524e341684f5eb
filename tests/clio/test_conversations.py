"""Conversations: every chat shape our datasets hold, deduplication, truncation at turns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import gristmill as gm
from gristmill.clio import (
    OpenClioConfig,
    conversation_text,
    prepare_conversations,
    to_conversation,
    truncate_conversation,
)
from gristmill.llm import approximate_token_count

CHAT = [{"role": "user", "content": "Hi there"}, {"role": "assistant", "content": "Hello!"}]


@pytest.mark.parametrize(
    "value",
    [
        CHAT,
        {"messages": CHAT},
        [{"from": "human", "value": "Hi there"}, {"from": "gpt", "value": "Hello!"}],
        {
            "id": "x1",
            "conversations": [
                {"from": "human", "value": "Hi there"},
                {"from": "gpt", "value": "Hello!"},
            ],
        },
        # A list of structs read back from Parquet: keys a turn lacks are None.
        [
            {"role": None, "content": None, "from": "human", "value": "Hi there"},
            {"role": "assistant", "content": "Hello!", "from": None, "value": None},
        ],
        [
            {"role": "user", "content": [{"type": "text", "text": "Hi there"}]},
            {"role": "assistant", "content": "Hello!"},
        ],
        "\n\nHuman: Hi there\n\nAssistant: Hello!",
        ["Hi there", "Hello!"],
        ({"role": "User", "content": "Hi there"}, {"role": "Assistant", "content": "Hello!"}),
    ],
)
def test_every_chat_shape_becomes_role_content_turns(value: Any) -> None:
    assert to_conversation(value) == CHAT


def test_a_numpy_array_of_turns_is_a_chat() -> None:
    import numpy as np

    assert to_conversation(np.array(CHAT, dtype=object)) == CHAT


def test_plain_text_is_one_user_turn_and_other_data_is_no_chat() -> None:
    assert to_conversation("Translate 'cat' to French.") == [
        {"role": "user", "content": "Translate 'cat' to French."}
    ]
    for value in (None, "", 42, {"instruction": "x", "output": "y"}, [1, 2], []):
        assert to_conversation(value) is None, value


def test_chats_read_back_from_a_dataset(chats: list[list[dict[str, str]]], tmp_path: Path) -> None:
    """ShareGPT turns and role/content turns in one column, as a dataset stores and returns
    them (one struct type for both, missing keys None)."""
    path = tmp_path / "chats.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for index, chat in enumerate(chats[:6]):
            if index % 2:
                turns: list[dict[str, str]] = chat
            else:
                names = {"user": "human", "assistant": "gpt"}
                turns = [{"from": names[t["role"]], "value": t["content"]} for t in chat]
            out.write(json.dumps({"chat": turns}) + "\n")
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="chats", source=gm.JSONSource(filepaths=[str(path)])
        )
    )
    stored = [row["chat"] for row in ds.select_rows(["chat"]).to_list()]
    assert any(turn.get("value") is None for turn in stored[1])  # the merged struct type
    assert [to_conversation(value) for value in stored] == chats[:6]


def test_hh_rlhf_transcripts_keep_every_turn() -> None:
    text = "\n\nHuman: one\n\nAssistant: two\n\nHuman: three\n\nAssistant: four"
    conversation = to_conversation(text)
    assert conversation is not None
    assert [t["role"] for t in conversation] == ["user", "assistant", "user", "assistant"]
    assert [t["content"] for t in conversation] == ["one", "two", "three", "four"]
    assert conversation_text(conversation).startswith("User: one\n\nAssistant: two")


def _turns(*words: int) -> list[dict[str, str]]:
    """Alternating user/assistant turns of ``words`` short words each (one token a word)."""
    roles = ("user", "assistant")
    return [{"role": roles[i % 2], "content": " ".join(["word"] * n)} for i, n in enumerate(words)]


def test_truncation_keeps_whole_turns_and_ends_with_the_assistant() -> None:
    conversation = _turns(100, 100, 100, 5000)
    cut = truncate_conversation(conversation, 500)
    assert cut == conversation[:2]  # the third turn fits, but would leave the user asking
    assert sum(approximate_token_count(t["content"]) for t in cut) <= 500
    assert truncate_conversation(conversation, 10_000) == conversation
    assert truncate_conversation(_turns(100, 100, 100, 100), 420) == _turns(100, 100, 100, 100)


def test_truncation_of_a_first_turn_longer_than_the_budget_keeps_its_start() -> None:
    cut = truncate_conversation(_turns(3000, 200), 1000)
    assert [t["role"] for t in cut] == ["user"]
    assert 900 <= approximate_token_count(cut[0]["content"]) <= 1000
    cut = truncate_conversation(_turns(300, 3000), 1000)
    assert [t["role"] for t in cut] == ["user", "assistant"]
    assert approximate_token_count(cut[0]["content"]) == 300
    total = sum(approximate_token_count(t["content"]) for t in cut)
    assert 900 <= total <= 1000


def test_prepare_deduplicates_and_truncates(chats: list[list[dict[str, str]]]) -> None:
    data = [chats[0], chats[1], chats[0], chats[2], chats[1]]
    prepared = prepare_conversations(data, OpenClioConfig(maxConversationTokens=60))
    assert prepared.source == [0, 1, 0, 2, 1]
    assert prepared.duplicates == 2
    assert prepared.data == [chats[0], chats[1], chats[2]]
    for conversation in prepared.conversations:
        assert conversation is not None
        tokens = sum(approximate_token_count(t["content"]) for t in conversation)
        assert tokens <= 60
    kept = prepare_conversations(data, OpenClioConfig(dedupData=False))
    assert kept.source == [0, 1, 2, 3, 4] and kept.duplicates == 0


def test_dedup_key_func_and_get_conversation_func_read_the_data_point() -> None:
    rows = [
        {"id": 1, "chat": CHAT},
        {"id": 2, "chat": CHAT},
        {"id": 1, "chat": [{"role": "user", "content": "other"}]},
    ]
    by_id = OpenClioConfig(
        dedupKeyFunc=lambda row: row["id"], getConversationFunc=lambda r: r["chat"]
    )
    prepared = prepare_conversations(rows, by_id)
    assert prepared.source == [0, 1, 0]
    assert prepared.conversations == [CHAT, CHAT]
    by_text = prepare_conversations(rows, OpenClioConfig(getConversationFunc=lambda r: r["chat"]))
    assert by_text.source == [0, 0, 1]
