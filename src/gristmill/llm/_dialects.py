"""How each OpenAI-compatible server takes a JSON schema, learnt once per server and model.

Servers agree on ``POST /chat/completions`` but not on how a schema is asked for:

- ``json_schema``: ``response_format: {type: json_schema, json_schema: {name, schema, strict}}``
  (OpenAI, vLLM, LM Studio, Ollama's ``/v1`` endpoint, which turns it into its own ``format``);
- ``json_object``: ``response_format: {type: json_object, schema: ...}`` (llama-cpp-python's
  ``llama_cpp.server``, which answers the first form with HTTP 500 "Input should be 'text' or
  'json_object'", and older llama.cpp servers);
- ``prompt``: no ``response_format``; the schema goes in the system message and the client
  validates the reply and re-asks with the error (any server at all).

The first structured call to a server tries them in that order, stepping down only when the
server refuses the request in words that name ``response_format``/``json_schema``, and the form
that got an answer is kept for the rest of the process. The key is the base URL and the model,
since OpenAI itself takes ``json_schema`` for some models and not others. While a server's form
is unknown its structured calls go one at a time, so a batch of 64 learns from one refusal
rather than 64. A form never goes back up: a server restarted with a newer version keeps the
form learnt from the old one until the process ends.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

logger = logging.getLogger("gristmill.llm")

# Words that only a refusal of the structured-output request itself contains. The last is
# llama-cpp-python's validation message, quoted whole in case a proxy trims the field names.
_RESPONSE_FORMAT_WORDS = ("response_format", "json_schema", "'text' or 'json_object'")
# Rate limits and overload say "not now", whatever their text: never a refusal of the form.
_BUSY_STATUSES = frozenset({429, 503, 529})


class SchemaForm(enum.Enum):
    """How a JSON schema is put in a chat request, best first."""

    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    PROMPT = "prompt"

    def next(self) -> SchemaForm:
        """The next form to try after a refusal (the prompt form is never refused)."""
        forms = list(SchemaForm)
        return forms[min(forms.index(self) + 1, len(forms) - 1)]


def names_response_format(text: str) -> bool:
    """True when an error body says the request's structured-output field was refused."""
    lowered = text.lower()
    return any(word in lowered for word in _RESPONSE_FORMAT_WORDS)


def refuses_form(status: int, text: str) -> bool:
    """True for an answer that refuses the way the schema was asked for (step down a form)."""
    return status >= 400 and status not in _BUSY_STATUSES and names_response_format(text)


def response_format(form: SchemaForm, schema: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The ``response_format`` field for ``form``; None for the prompt form."""
    if form is SchemaForm.JSON_SCHEMA:
        return {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": is_strict(schema)},
        }
    if form is SchemaForm.JSON_OBJECT:
        return {"type": "json_object", "schema": schema}
    return None


def is_strict(schema: Any) -> bool:
    """True when ``schema`` meets OpenAI's strict mode: every object closed and every property
    required. Asking for strict with any other schema is refused (HTTP 400), so it is only asked
    for when it holds; other servers ignore the flag."""
    if not isinstance(schema, dict):
        return True
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        return False
    if "properties" in schema or schema.get("type") == "object":
        if schema.get("additionalProperties") is not False:
            return False
        if set(schema.get("required", [])) != set(properties):
            return False
    parts: list[Any] = [*properties.values(), schema.get("items")]
    for keyword in ("anyOf", "oneOf", "allOf", "prefixItems"):
        parts += schema.get(keyword, [])
    for keyword in ("$defs", "definitions"):
        parts += schema.get(keyword, {}).values()
    return all(is_strict(part) for part in parts)


class _Server:
    """One server's form. ``learning`` is held by the one call finding it out."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.form = SchemaForm.JSON_SCHEMA
        self.known = False
        self.learning = threading.Lock()
        self._state = threading.Lock()

    def current(self) -> tuple[SchemaForm, bool]:
        with self._state:
            return self.form, self.known

    def step_down(self, refused: SchemaForm) -> None:
        forms = list(SchemaForm)
        with self._state:
            # Another call may have stepped further down already: never step back up.
            if forms.index(self.form) > forms.index(refused):
                return
            self.form, self.known = refused.next(), False
        logger.info(
            "the LLM server at %s refused structured output as %s; trying %s",
            self.where,
            refused.value,
            refused.next().value,
        )

    def keep(self, form: SchemaForm) -> None:
        with self._state:
            if self.known or self.form is not form:
                return
            self.known = True
        logger.info("the LLM server at %s takes structured output as %s", self.where, form.value)


class FormChoice:
    """One call's form: the server's, stepped down on each refusal, kept once answered."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self.form, _ = server.current()

    def refused(self) -> SchemaForm:
        """The server refused ``form``: step this call, and the server, down to the next one."""
        self._server.step_down(self.form)
        self.form = self.form.next()
        return self.form

    def answered(self) -> None:
        """The server answered a request in ``form``: keep that form for this server."""
        self._server.keep(self.form)


class SchemaForms:
    """What each server was found to take; one per process (``schema_forms``), thread-safe."""

    def __init__(self) -> None:
        self._servers: dict[tuple[str, str], _Server] = {}
        self._lock = threading.Lock()

    def known(self, base_url: str, model: str) -> SchemaForm | None:
        """The form learnt for this server and model, None while not yet learnt."""
        form, known = self._server(base_url, model).current()
        return form if known else None

    @contextmanager
    def choose(self, base_url: str, model: str) -> Iterator[FormChoice]:
        """The form to try first; while it is not yet known, one call at a time learns it."""
        server = self._server(base_url, model)
        learning = not server.current()[1]
        if learning:
            server.learning.acquire()
            if server.current()[1]:  # learnt while this call waited: no need to queue
                server.learning.release()
                learning = False
        try:
            yield FormChoice(server)
        finally:
            if learning:
                server.learning.release()

    def forget(self) -> None:
        """Learn every server again (tests; a long-running process after a server upgrade)."""
        with self._lock:
            self._servers.clear()

    def _server(self, base_url: str, model: str) -> _Server:
        with self._lock:
            server = self._servers.get((base_url, model))
            if server is None:
                server = self._servers[(base_url, model)] = _Server(base_url)
            return server


schema_forms = SchemaForms()
