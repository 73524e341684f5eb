"""Structured output: turn a ``response_format`` into a JSON schema, and check answers with it.

A ``response_format`` is a pydantic model class (answers come back as instances) or a JSON
schema dict (answers come back as plain JSON values). Backends that can constrain decoding get
the schema (OpenAI ``response_format``, llama.cpp grammar); every answer is validated here
anyway, and a failure is re-asked with the error (see the client).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from gristmill.errors import InvalidInputError
from gristmill.llm._jsonschema import schema_errors


class InvalidAnswerError(ValueError):
    """An answer that is not JSON or breaks the schema; the message says how, for a re-ask."""


@dataclass(frozen=True)
class StructuredOutput:
    """A checked response format: its JSON schema, a name for it, and how to parse answers."""

    schema: dict[str, Any]
    name: str
    model: type[BaseModel] | None

    def parse(self, text: str) -> Any:
        """The answer as a validated object; InvalidAnswerError says what is wrong with it."""
        try:
            # strict=False lets raw newlines and tabs inside strings through, as small models write.
            value = json.loads(extract_json(text), strict=False)
        except json.JSONDecodeError as exc:
            raise InvalidAnswerError(
                f"the reply is not valid JSON ({exc.msg} at char {exc.pos})"
            ) from None
        if self.model is not None:
            try:
                return self.model.model_validate(value)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in error['loc']) or '$'}: {error['msg']}"
                    for error in exc.errors()
                )
                raise InvalidAnswerError(
                    f"the JSON does not match the schema: {problems}"
                ) from None
        errors = schema_errors(value, self.schema)
        if errors:
            raise InvalidAnswerError(
                "the JSON does not match the schema: " + "; ".join(errors[:10])
            )
        return value

    def instruction(self) -> str:
        return schema_instruction(self.schema)

    def reask(self, error: str) -> str:
        return f"That reply was not accepted: {error}. {self.instruction()}"


def schema_instruction(schema: dict[str, Any]) -> str:
    """Tells a model without constrained decoding what to answer."""
    return (
        "Reply with only a JSON value, no prose and no code fences, matching this JSON "
        f"schema:\n{json.dumps(schema, separators=(',', ':'))}"
    )


def with_schema_instruction(
    messages: list[dict[str, str]], schema: dict[str, Any]
) -> list[dict[str, str]]:
    """The messages with the schema instruction in the system message, for a backend that
    cannot enforce a schema. It joins the first system message rather than coming after the
    conversation: many chat templates refuse a system message anywhere but first."""
    instruction = schema_instruction(schema)
    if messages and messages[0]["role"] == "system":
        first = {"role": "system", "content": f"{messages[0]['content']}\n\n{instruction}"}
        return [first, *messages[1:]]
    return [{"role": "system", "content": instruction}, *messages]


def structured_output(response_format: object) -> StructuredOutput | None:
    """Check a ``response_format`` argument; None means free text."""
    if response_format is None:
        return None
    if isinstance(response_format, type) and issubclass(response_format, BaseModel):
        return StructuredOutput(
            schema=response_format.model_json_schema(),
            name=_schema_name(response_format.__name__),
            model=response_format,
        )
    if isinstance(response_format, dict):
        if not response_format or not all(isinstance(key, str) for key in response_format):
            raise _bad_format(response_format)
        try:
            json.dumps(response_format)
        except (TypeError, ValueError):
            raise _bad_format(response_format) from None
        title = response_format.get("title")
        name = _schema_name(title) if isinstance(title, str) else "response"
        return StructuredOutput(schema=response_format, name=name, model=None)
    raise _bad_format(response_format)


def extract_json(text: str) -> str:
    """The JSON part of a reply: models without constrained decoding add fences or prose."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0].strip()
    if stripped[:1] in ("{", "["):
        return stripped
    starts = [index for index in (stripped.find("{"), stripped.find("[")) if index != -1]
    if not starts:
        return stripped
    start = min(starts)
    end = max(stripped.rfind("}"), stripped.rfind("]"))
    return stripped[start : end + 1] if end > start else stripped[start:]


def _schema_name(name: str) -> str:
    # OpenAI restricts schema names to [a-zA-Z0-9_-]{1,64}.
    cleaned = "".join(char if char.isalnum() or char in "_-" else "_" for char in name)
    return cleaned[:64] or "response"


def _bad_format(value: object) -> InvalidInputError:
    return InvalidInputError(
        f"response_format must be a pydantic model class or a JSON schema dict, got {value!r}",
        hint="e.g. response_format=MyModel or {'type': 'object', 'properties': {...}}",
    )
