"""What goes into an LLM call and what comes out: messages, requests, completions, usage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gristmill.errors import InvalidInputError

Role = Literal["system", "user", "assistant"]
ResponseFormat = type[BaseModel] | dict[str, Any] | None
Prompt = str | list[dict[str, str]]


class Usage(BaseModel):
    """Tokens a completion took. Counted by the server when it says, else by the tokenizer."""

    model_config = ConfigDict(frozen=True)

    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
        )


class Completion(BaseModel):
    """One answer from an LLM.

    ``parsed`` holds the validated object when a ``response_format`` was asked for (an instance
    of the pydantic model, or the JSON value for a JSON-schema dict). ``usage`` adds up every
    call the answer took, re-asks included. ``cost`` is what this call cost now in the
    configured currency: 0.0 when every call was served from the cache, None when no price is
    configured. ``cached`` is True when no request reached the provider.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    text: str
    parsed: Any = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    cost: float | None = None
    cached: bool = False
    provider: str = ""
    model: str = ""
    finish_reason: str | None = None
    attempts: int = 1


@dataclass(frozen=True)
class CompletionRequest:
    """One item of a batch: a prompt or messages, plus what may differ per item.

    A plain dataclass: its contents are checked when it is sent, with errors that say which
    message is wrong.
    """

    prompt: Prompt
    response_format: Any = None
    system_prompt: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    # Sampling beyond temperature, for callers that set it per request (OpenClio's
    # llmExtraInferenceArgs): None keeps the LLM's own setting.
    top_p: float | None = None
    top_k: int | None = None
    min_p: float | None = None
    # Arguments of the model's chat template (``{"enable_thinking": False}``), for providers
    # that apply one (an OpenAI-compatible vLLM server, a Hugging Face model).
    template_args: dict[str, Any] | None = None


def normalize_messages(prompt: Prompt, system_prompt: str | None) -> list[dict[str, str]]:
    """A prompt string or a list of chat messages, checked, with the system prompt in front.

    The system prompt is only added when the messages carry none, so a caller's own system
    message always wins over a configured default.
    """
    if isinstance(prompt, str):
        if not prompt.strip():
            raise InvalidInputError(
                "the prompt is empty", hint="pass a non-empty string or a list of messages"
            )
        messages = [{"role": "user", "content": prompt}]
    elif isinstance(prompt, list):
        if not prompt:
            raise InvalidInputError(
                "the message list is empty",
                hint="pass messages like [{'role': 'user', 'content': 'Hello'}]",
            )
        messages = [_check_message(index, message) for index, message in enumerate(prompt)]
    else:
        raise InvalidInputError(
            f"a prompt must be a string or a list of messages, got {type(prompt).__name__}",
            hint="pass 'Hello' or [{'role': 'user', 'content': 'Hello'}]",
        )
    if system_prompt and messages[0]["role"] != "system":
        messages.insert(0, {"role": "system", "content": system_prompt})
    return messages


def _check_message(index: int, message: object) -> dict[str, str]:
    if not isinstance(message, dict):
        raise InvalidInputError(
            f"message {index} is a {type(message).__name__}, not a dict",
            hint="each message is {'role': 'system'|'user'|'assistant', 'content': '...'}",
        )
    role = message.get("role")
    content = message.get("content")
    if role not in ("system", "user", "assistant"):
        raise InvalidInputError(
            f"message {index} has role {role!r}",
            hint="use 'system', 'user' or 'assistant'",
        )
    if not isinstance(content, str):
        raise InvalidInputError(
            f"message {index} has no text content",
            hint="each message needs 'content' as a string",
        )
    return {"role": role, "content": content}
