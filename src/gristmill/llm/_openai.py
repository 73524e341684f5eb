"""The ``openai`` provider: any server speaking the OpenAI chat-completions API.

OpenAI, Mistral, vLLM, Ollama, llama.cpp server and LM Studio all answer
``POST {base_url}/chat/completions``. The API key is read from the environment variable named
by ``api_key_env`` at each request and sent only in the Authorization header: it is never kept
on the object, put in a cache key, or written in an error. Local servers usually need no key;
without one no Authorization header is sent. Without ``api_key_env`` only OpenAI's own endpoint
gets ``$OPENAI_API_KEY``: a key is sent only to the server it was configured for, and redirects
are not followed, so no answer can send it on to another host.

Sampling beyond the standard fields (``top_k``, ``min_p``) and chat-template arguments
(``chat_template_kwargs``, vLLM's name) go to every server but OpenAI's own, which refuses them.

Structured output is asked for in the form the server takes, learnt on the first structured
call to it (``_dialects``: ``json_schema``, then llama.cpp's ``json_object`` with a ``schema``,
then the schema in the prompt); the client validates the answer either way. A refusal that
names ``response_format`` is a step down, never a retry: llama-cpp-python's server answers it
with HTTP 500, which would otherwise read as an overloaded server.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from gristmill.errors import (
    InvalidInputError,
    ProviderError,
    ProviderUnreachableError,
    missing_dependency,
)
from gristmill.llm._dialects import SchemaForm, refuses_form, response_format, schema_forms
from gristmill.llm._provider import (
    ProviderCall,
    ProviderReply,
    ProviderResources,
    RetryableProviderError,
)
from gristmill.llm._retry import is_transient, parse_retry_after, transient_hint
from gristmill.llm._schema import with_schema_instruction
from gristmill.llm._settings import LLMSettings
from gristmill.llm._tokens import approximate_token_count, approximate_truncate
from gristmill.named_models import OPENAI_BASE_URL, key_variable

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE_URL = OPENAI_BASE_URL
_CONFIG_HINT = "set llm.base_url in gristmill.yml or GRISTMILL_LLM_BASE_URL"


class OpenAIProvider:
    """Chat completions over HTTP with httpx; one connection pool shared by all threads."""

    name = "openai"

    def __init__(self, settings: LLMSettings, resources: ProviderResources) -> None:
        try:
            import httpx
        except ImportError:
            raise missing_dependency("httpx", "openai", "The 'openai' LLM provider") from None
        if not settings.model:
            raise InvalidInputError(
                "the openai provider needs a model name",
                hint="e.g. 'openai/gpt-4o-mini' or 'openai:http://localhost:8000/v1/qwen3-8b'",
            )
        self.model = settings.model
        self.base_url = (settings.base_url or DEFAULT_BASE_URL).rstrip("/")
        self.api_key_env = key_variable(self.base_url, settings.api_key_env)
        self.timeout_s = settings.timeout_s
        if self.base_url == DEFAULT_BASE_URL and not os.environ.get(self.api_key_env or ""):
            raise InvalidInputError(
                f"no API key for {DEFAULT_BASE_URL}: ${self.api_key_env} is not set",
                hint=f"export {self.api_key_env}=... (or set llm.api_key_env to the variable "
                "that holds your key), or point base_url at your own server",
            )
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(settings.timeout_s, connect=min(settings.timeout_s, 10.0)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
            transport=resources.http_transport,
            # A redirect would carry the request (and the prompts) somewhere not configured.
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"OpenAIProvider(model={self.model!r}, base_url={_redact(self.base_url)!r})"

    def identity(self) -> dict[str, str]:
        return {"provider": self.name, "model": self.model, "base_url": _redact(self.base_url)}

    def generate(self, call: ProviderCall) -> ProviderReply:
        if call.json_schema is None:
            response = self._post(self._body(call, SchemaForm.PROMPT))
        else:
            with schema_forms.choose(_redact(self.base_url), self.model) as choice:
                response = self._post(self._body(call, choice.form))
                while choice.form is not SchemaForm.PROMPT and refuses_form(
                    response.status_code, response.text
                ):
                    response = self._post(self._body(call, choice.refused()))
                if response.status_code < 300:
                    choice.answered()
        self._raise_for_status(response)
        return self._reply(response)

    def count_tokens(self, text: str) -> int:
        return approximate_token_count(text)

    def truncate(self, text: str, max_tokens: int) -> str:
        return approximate_truncate(text, max_tokens)

    def close(self) -> None:
        self._client.close()

    # -- internals -----------------------------------------------------------------------

    def _body(self, call: ProviderCall, form: SchemaForm) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": call.messages,
            "temperature": call.temperature,
            "max_tokens": call.max_tokens,
        }
        for field in ("top_p", "seed", "stop"):
            value = getattr(call, field)
            if value is not None:
                body[field] = value
        if self.base_url != DEFAULT_BASE_URL:
            # vLLM, llama.cpp's server, LM Studio and Ollama take these beside the standard
            # fields; OpenAI's own API refuses a request carrying them, so it never gets them.
            for field in ("top_k", "min_p"):
                value = getattr(call, field)
                if value is not None:
                    body[field] = value
            if call.template_args:
                body["chat_template_kwargs"] = call.template_args
        if call.json_schema is None:
            return body
        requested = response_format(form, call.json_schema, call.schema_name)
        if requested is not None:
            body["response_format"] = requested
        else:
            body["messages"] = with_schema_instruction(call.messages, call.json_schema)
        return body

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        import httpx

        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env) if self.api_key_env else None
        if key:
            headers["Authorization"] = f"Bearer {key}"
        where = f"{_redact(self.base_url)}/chat/completions"
        try:
            return self._client.post("/chat/completions", json=body, headers=headers)
        except httpx.ConnectTimeout as exc:
            raise RetryableProviderError(_unreachable(where, exc)) from exc
        except httpx.TimeoutException as exc:
            raise RetryableProviderError(
                ProviderUnreachableError(
                    f"the LLM server at {where} did not answer within {self.timeout_s:g} s",
                    hint="it may be overloaded: raise timeout_s or lower the batch concurrency",
                )
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise RetryableProviderError(
                ProviderUnreachableError(
                    f"the connection to the LLM server at {where} broke: {exc}",
                    hint="check the server's logs; the call is retried automatically",
                )
            ) from exc
        except httpx.TransportError as exc:
            raise _unreachable(where, exc) from exc

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        where = f"{_redact(self.base_url)}/chat/completions"
        if 300 <= status < 400:
            raise ProviderError(
                f"the LLM server at {where} answered HTTP {status}, a redirect to "
                f"{_redact(response.headers.get('location', '?'))!r}, which is not followed",
                hint="set base_url to the address the server redirects to",
            )
        if status < 400:
            return
        detail = _error_detail(response)
        if is_transient(status, response.text):
            raise RetryableProviderError(
                ProviderError(
                    f"the LLM server at {where} answered HTTP {status}: {detail}",
                    hint=transient_hint(status),
                ),
                retry_after_s=parse_retry_after(response.headers.get("Retry-After")),
            )
        if status in (401, 403) and self.api_key_env is None:
            hint = (
                "no key was sent: a key goes only to the server it is configured for, so set "
                "api_key_env next to this base_url (in gristmill.yml's llm: or models: block, "
                "or GRISTMILL_LLM_API_KEY_ENV with GRISTMILL_LLM_BASE_URL)"
            )
        elif status in (401, 403):
            hint = (
                f"put a valid key in ${self.api_key_env} (or set llm.api_key_env to the "
                "variable that holds it)"
            )
        elif status == 404:
            hint = f"check the model name '{self.model}' and that base_url ends in /v1"
        else:
            hint = "check the request settings (model, max_tokens, response_format)"
        raise ProviderError(
            f"the LLM server at {where} refused the request with HTTP {status}: {detail}",
            hint=hint,
        )

    def _reply(self, response: httpx.Response) -> ProviderReply:
        try:
            data = response.json()
            choice = data["choices"][0]
            message = choice["message"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ProviderError(
                f"the LLM server at {_redact(self.base_url)} sent an answer that is not a chat "
                f"completion: {response.text[:200]!r}",
                hint="check that base_url points at an OpenAI-compatible /v1 endpoint",
            ) from exc
        usage = data.get("usage") or {}
        return ProviderReply(
            text=message.get("content") or "",
            input_tokens=usage.get("prompt_tokens"),
            output_tokens=usage.get("completion_tokens"),
            finish_reason=choice.get("finish_reason"),
        )


def create_openai_provider(settings: LLMSettings, resources: ProviderResources) -> OpenAIProvider:
    return OpenAIProvider(settings, resources)


def _unreachable(where: str, exc: Exception) -> ProviderUnreachableError:
    return ProviderUnreachableError(
        f"could not reach the LLM server at {where} ({type(exc).__name__}: {exc})",
        hint="check that the server is running and listening at that address, that the URL is "
        f"right ({_CONFIG_HINT}), and any proxy or firewall; nothing was lost: finished "
        "answers are cached, so a rerun resumes",
    )


def _error_detail(response: httpx.Response) -> str:
    try:
        error = response.json().get("error")
        message = error.get("message") if isinstance(error, dict) else error
        if message:
            return str(message)[:300]
    except (ValueError, AttributeError):
        pass
    return response.text[:300] or response.reason_phrase


def _redact(url: str) -> str:
    """The URL without any user:password part, for keys, logs and errors."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
