"""Conversations as the facet step reads them: normalised, deduplicated and truncated.

A conversation is a list of ``{'role': 'user' | 'assistant' | 'system' | ..., 'content': str}``
turns. Datasets hold chats in several shapes, all accepted:

- turns with ``role``/``content`` (OpenAI, UltraFeedback), or a row holding them under
  ``messages`` (OpenAI fine-tuning files);
- ShareGPT's ``{from: human | gpt, value}`` turns, or a row holding them under
  ``conversations``;
- Lilac-style chats read back from a dataset: a list of structs where keys a turn lacks are
  None (``{role: None, from: 'human', content: None, value: 'hi'}``), and content given as a
  list of ``{type: 'text', text}`` parts;
- a transcript string in Anthropic's HH-RLHF shape (``\\n\\nHuman: ...\\n\\nAssistant: ...``);
- any other string: one user turn.

Anything else (a row of a table, a number) is not a conversation: ``to_conversation`` gives
None, and facets read such data as text (``data_text``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gristmill.clio._config import OpenClioConfig
from gristmill.llm import approximate_token_count, approximate_truncate

Turn = dict[str, str]
Conversation = list[Turn]

_ROLES = {
    "user": "user",
    "human": "user",
    "prompter": "user",
    "assistant": "assistant",
    "gpt": "assistant",
    "bot": "assistant",
    "model": "assistant",
    "chatgpt": "assistant",
    "system": "system",
}
_ROLE_KEYS = ("role", "from", "speaker", "author")
_CONTENT_KEYS = ("content", "value", "text", "message")
_CHAT_KEYS = ("messages", "conversations", "conversation", "chat", "dialogue", "turns")
# "\n\nHuman: " / "\n\nAssistant: " turn markers of HH-RLHF transcripts.
_TRANSCRIPT_TURN = re.compile(r"(?:^|\n\n)(Human|Assistant):[ \t]?")
# Each turn costs its content plus a few tokens of chat-template framing.
TURN_OVERHEAD_TOKENS = 4


def to_conversation(value: Any) -> Conversation | None:
    """``value`` as a list of ``{role, content}`` turns, or None when it is not a chat."""
    if value is None:
        return None
    if isinstance(value, str):
        return _from_transcript(value) if value.strip() else None
    if isinstance(value, Mapping):
        for key in _CHAT_KEYS:
            if value.get(key) is not None:
                return to_conversation(value[key])
        turn = _turn(value, 0)
        return [turn] if turn is not None else None
    items = _as_list(value)
    if items is None or not items:
        return None
    if all(isinstance(item, str) for item in items):
        # Bare strings alternate user / assistant, starting with the user.
        roles = ("user", "assistant")
        return [{"role": roles[i % 2], "content": text} for i, text in enumerate(items)]
    turns = [_turn(item, i) for i, item in enumerate(items)]
    if any(turn is None for turn in turns):
        return None
    return [turn for turn in turns if turn is not None]


def _as_list(value: Any) -> list[Any] | None:
    if isinstance(value, list | tuple):
        return list(value)
    to_list = getattr(value, "tolist", None)  # a NumPy array or Arrow list out of a dataset
    if callable(to_list) and not isinstance(value, str | bytes):
        listed = to_list()
        return listed if isinstance(listed, list) else None
    return None


def _turn(item: Any, position: int) -> Turn | None:
    if not isinstance(item, Mapping):
        return None
    role = next((item[k] for k in _ROLE_KEYS if isinstance(item.get(k), str)), None)
    content = next((item[k] for k in _CONTENT_KEYS if item.get(k) is not None), None)
    text = _content_text(content)
    if text is None or (role is None and not any(k in item for k in _CONTENT_KEYS)):
        return None
    if role is None:
        role = "user" if position % 2 == 0 else "assistant"
    return {"role": _ROLES.get(role.strip().lower(), role.strip().lower()), "content": text}


def _content_text(content: Any) -> str | None:
    if isinstance(content, str):
        return content
    parts = _as_list(content)
    if parts is None:
        return None
    # OpenAI content parts: [{'type': 'text', 'text': ...}, {'type': 'image_url', ...}]
    texts = [
        part["text"] if isinstance(part, Mapping) else part
        for part in parts
        if isinstance(part, str)
        or (isinstance(part, Mapping) and isinstance(part.get("text"), str))
    ]
    return "\n".join(texts)


def _from_transcript(text: str) -> Conversation:
    markers = list(_TRANSCRIPT_TURN.finditer(text))
    if not markers or text[: markers[0].start()].strip():
        return [{"role": "user", "content": text}]
    turns: Conversation = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        role = "user" if marker.group(1) == "Human" else "assistant"
        turns.append({"role": role, "content": text[marker.end() : end].strip()})
    return turns


def conversation_text(conversation: Sequence[Turn]) -> str:
    """A conversation as plain text, one ``Role: content`` block per turn."""
    return "\n\n".join(f"{turn['role'].capitalize()}: {turn['content']}" for turn in conversation)


def data_text(value: Any) -> str:
    """Any data point as text: a conversation rendered, a string as is, else JSON."""
    conversation = to_conversation(value)
    if conversation is not None:
        return conversation_text(conversation)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def user_texts(conversation: Sequence[Turn]) -> list[str]:
    """The contents of the user's turns, in order."""
    return [turn["content"] for turn in conversation if turn["role"] == "user"]


def truncate_conversation(conversation: Sequence[Turn], max_tokens: int) -> Conversation:
    """The conversation cut to ``max_tokens`` at a turn boundary, ending with an assistant turn.

    Whole turns are kept from the start while they fit; trailing user turns are dropped so the
    conversation ends on the assistant's answer (OpenClio's rule). When not even one exchange
    fits, the first turn is kept, cut to the budget, and the next turn gets what is left: the
    facets then still see what the user asked.
    """
    kept: Conversation = []
    used = 0
    for turn in conversation:
        cost = approximate_token_count(turn["content"]) + TURN_OVERHEAD_TOKENS
        if used + cost > max_tokens:
            break
        kept.append(dict(turn))
        used += cost
    if len(kept) == len(conversation):
        return kept
    while kept and kept[-1]["role"] != "assistant":
        kept.pop()
    if kept:
        return kept
    budget = max(max_tokens - TURN_OVERHEAD_TOKENS, 1)
    first = dict(conversation[0])
    first["content"] = approximate_truncate(first["content"], budget)
    cut = [first]
    left = budget - approximate_token_count(first["content"]) - TURN_OVERHEAD_TOKENS
    if len(conversation) > 1 and left > 0:
        second = dict(conversation[1])
        second["content"] = approximate_truncate(second["content"], left)
        cut.append(second)
    return cut


def dedup_key(data: Any, key_func: Callable[[Any], Any] | None) -> str:
    """What two data points must share to count as duplicates: ``key_func(data)`` if given,
    else the conversation's text (OpenClio's rule), as a string so any key is hashable."""
    key = key_func(data) if key_func is not None else data_text(data)
    if isinstance(key, str):
        return key
    try:
        return json.dumps(key, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(key)


@dataclass
class PreparedConversations:
    """Data points ready for the facet step.

    ``data``: the distinct data points (``getConversationFunc`` applied), first occurrence
    first; ``conversations``: each one normalised and truncated, None when it is not a chat;
    ``source``: for every input data point, the position of its distinct one in ``data``
    (results computed once per distinct point are spread back to every row with it).
    """

    data: list[Any]
    conversations: list[Conversation | None]
    source: list[int]

    @property
    def duplicates(self) -> int:
        return len(self.source) - len(self.data)


def prepare_conversations(data: Sequence[Any], config: OpenClioConfig) -> PreparedConversations:
    """Apply ``getConversationFunc``, deduplicate (``dedupData``, ``dedupKeyFunc``) and truncate
    to ``maxConversationTokens``."""
    distinct: list[Any] = []
    source: list[int] = []
    seen: dict[str, int] = {}
    for point in data:
        value = config.getConversationFunc(point)
        if config.dedupData:
            key = dedup_key(
                point if config.dedupKeyFunc is not None else value, config.dedupKeyFunc
            )
            position = seen.get(key)
            if position is not None:
                source.append(position)
                continue
            seen[key] = len(distinct)
        source.append(len(distinct))
        distinct.append(value)
    conversations: list[Conversation | None] = []
    for value in distinct:
        conversation = to_conversation(value)
        if conversation is not None:
            conversation = truncate_conversation(conversation, config.maxConversationTokens)
        conversations.append(conversation)
    return PreparedConversations(distinct, conversations, source)
