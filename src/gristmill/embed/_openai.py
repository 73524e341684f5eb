"""``openai``: any server speaking OpenAI's ``POST /v1/embeddings`` (OpenAI, vLLM, Ollama,
llama.cpp server, LM Studio, Mistral, text-embeddings-inference).

Settings, first found wins: the constructor's arguments (``openai/<model>`` sets the model);
the environment (``GRISTMILL_EMBEDDING_BASE_URL`` with ``GRISTMILL_EMBEDDING_API_KEY_ENV``,
``GRISTMILL_EMBEDDING_MODEL``); the ``embedding: openai:`` block of ``gristmill.yml``::

    embedding:
      openai:
        base_url: http://localhost:8000/v1
        model: bge-small-en-v1.5
        api_key_env: MY_SERVER_KEY   # the variable holding this server's key
        batch_size: 128
        dimensions: 384              # optional; sent only to models that can shorten vectors

and finally ``OPENAI_BASE_URL`` (with ``OPENAI_API_KEY``, the OpenAI SDK's pair) or OpenAI
itself. A named entry of the ``models:`` block (``kind: embedding, provider: openai``) passes
its own settings as arguments. The key is read from the environment only, so it is never
written to the project folder, and it never appears in an error message.

A key variable belongs to the base URL it was configured with (the same layer, or a higher one
naming only the variable): ``get_embedding('openai')`` with a base URL from the environment never
sends the key variable of the yml's server, and ``$OPENAI_API_KEY`` goes only to OpenAI or to
``$OPENAI_BASE_URL``. Redirects are not followed, so no answer can send the key on.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from gristmill.embed._model import EmbeddingModel
from gristmill.embed._registry import OFFLINE_STAND_IN
from gristmill.errors import InvalidInputError, ProviderError, missing_dependency
from gristmill.named_models import OPENAI_BASE_URL, OPENAI_KEY_ENV, key_variable
from gristmill.project import load_config

if TYPE_CHECKING:
    import httpx
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]

DEFAULT_BASE_URL = OPENAI_BASE_URL
DEFAULT_MODEL = "text-embedding-3-small"
DEFAULT_KEY_ENV = OPENAI_KEY_ENV
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_BACKOFF_S = 30.0
CONNECT_TIMEOUT_S = 5.0
CONNECT_ATTEMPTS = 2


class OpenAIEmbedding(EmbeddingModel):
    """Embeddings from an OpenAI-compatible ``/embeddings`` endpoint, batched and retried."""

    name = "openai"

    def __init__(
        self,
        model: str | None = None,
        *,
        base_url: str | None = None,
        api_key_env: str | None = None,
        batch_size: int | None = None,
        dimensions: int | None = None,
        max_retries: int = 5,
        retry_backoff_s: float = 1.0,
        timeout_s: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        config: Mapping[str, Any] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        try:
            import httpx
        except ImportError as exc:
            raise missing_dependency("httpx", "embed", "the 'openai' embedding") from exc
        settings = _settings(config)
        self.model = (
            model
            or os.environ.get("GRISTMILL_EMBEDDING_MODEL")
            or settings.get("model")
            or DEFAULT_MODEL
        )
        self.base_url, self.api_key_env = _endpoint(base_url, api_key_env, settings)
        self.batch_size = int(batch_size or settings.get("batch_size") or 128)
        configured_dims = dimensions or settings.get("dimensions")
        self.dimensions = int(configured_dims) if configured_dims else None
        if self.batch_size < 1 or max_retries < 0:
            raise InvalidInputError(
                "batch_size must be at least 1 and max_retries at least 0",
                hint="fix the 'embedding: openai:' block or the arguments",
            )
        self.max_retries = max_retries
        self.retry_backoff_s = retry_backoff_s
        self._sleep = sleep
        self.name = f"openai/{self.model}"
        suffix = f"@{self.dimensions}" if self.dimensions else ""
        self.model_id = f"openai:{self.base_url}#{self.model}{suffix}"
        self._dim = self.dimensions
        self._client = httpx.Client(
            base_url=self.base_url + "/",
            # Connecting is quick or never happens: waiting the whole read timeout for a host that
            # does not answer would hold a request (a concept's training) for minutes.
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, CONNECT_TIMEOUT_S)),
            transport=transport,
            # A redirect would carry the texts somewhere not configured.
            follow_redirects=False,
        )

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.embed(["dimension probe"]).shape[1])
        return self._dim

    def _embed(self, texts: list[str]) -> FloatMatrix:
        import numpy as np

        # The API rejects empty strings; they get zero vectors, as in the other models.
        non_empty = [i for i, text in enumerate(texts) if text.strip()]
        rows: list[list[float]] = []
        for start in range(0, len(non_empty), self.batch_size):
            batch = [texts[i] for i in non_empty[start : start + self.batch_size]]
            rows.extend(self._request(batch))
        width = len(rows[0]) if rows else self.dim
        if self._dim is None:
            self._dim = width
        output = np.zeros((len(texts), width), dtype=np.float32)
        if rows:
            try:
                output[non_empty] = np.asarray(rows, dtype=np.float32)
            except ValueError as exc:
                raise ProviderError(
                    f"{self.base_url} returned vectors of different lengths: {exc}",
                    hint="check that the model name is an embedding model",
                ) from exc
        return output

    def _request(self, batch: list[str]) -> list[list[float]]:
        import httpx

        body: dict[str, Any] = {"model": self.model, "input": batch, "encoding_format": "float"}
        if self.dimensions:
            body["dimensions"] = self.dimensions
        headers = {}
        key = os.environ.get(self.api_key_env) if self.api_key_env else None
        if key:
            headers["Authorization"] = f"Bearer {key}"
        attempt = 0
        while True:
            failure: str
            retry_after: float | None = None
            try:
                response = self._client.post("embeddings", json=body, headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Nothing listens there (or the name does not resolve): a busy server would have
                # accepted the connection, so long retries only delay the answer.
                if attempt + 1 >= min(CONNECT_ATTEMPTS, self.max_retries + 1):
                    raise self._unreachable(exc) from None
                failure = f"{type(exc).__name__}: {exc}"
            except httpx.TransportError as exc:  # read timeouts, resets
                failure = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    return self._parse(response, len(batch))
                if response.status_code not in RETRY_STATUSES:
                    raise self._http_error(response)
                failure = f"HTTP {response.status_code}"
                retry_after = _retry_after(response)
            if attempt >= self.max_retries:
                raise ProviderError(
                    f"embedding request to {self.base_url} failed after"
                    f" {attempt + 1} attempts: {failure}",
                    hint="check that the server is up and not overloaded, then rerun",
                )
            delay = retry_after if retry_after is not None else self.retry_backoff_s * 2**attempt
            self._sleep(min(delay, MAX_BACKOFF_S))
            attempt += 1

    def _parse(self, response: httpx.Response, expected: int) -> list[list[float]]:
        try:
            data = response.json()["data"]
            ordered = sorted(data, key=lambda item: int(item.get("index", 0)))
            vectors = [list(item["embedding"]) for item in ordered]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ProviderError(
                f"{self.base_url} answered with something that is not an embeddings response",
                hint="check base_url: it should end where '/embeddings' can be appended"
                " (usually '.../v1')",
            ) from exc
        if len(vectors) != expected:
            raise ProviderError(
                f"{self.base_url} returned {len(vectors)} vectors for {expected} texts",
                hint="check that the server supports a list of inputs per request",
            )
        return vectors

    def _unreachable(self, error: Exception) -> ProviderError:
        import httpx

        url = httpx.URL(self.base_url)
        where = f"{url.host}:{url.port}" if url.port else url.host
        return ProviderError(
            f"cannot reach the embedding server at {where}: {type(error).__name__}: {error}",
            hint="start that server, or fix the base URL of the 'openai' embedding"
            + self._offline_note(),
        )

    def _offline_note(self) -> str:
        """For OpenAI's own server: which bundled model stands in when it cannot be used."""
        if self.base_url != DEFAULT_BASE_URL:
            return ""
        missing = self.api_key_env and not os.environ.get(self.api_key_env)
        unset = f" (no key: {self.api_key_env} is not set)" if missing else ""
        return f"; {OFFLINE_STAND_IN}{unset}"

    def _http_error(self, response: httpx.Response) -> ProviderError:
        detail = response.text[:300]
        if 300 <= response.status_code < 400:
            return ProviderError(
                f"embedding request to {self.base_url} was redirected (HTTP"
                f" {response.status_code}); redirects are not followed",
                hint="set base_url to the address the server redirects to",
            )
        if response.status_code in (401, 403) and self.api_key_env is None:
            hint = (
                "no key was sent: a key goes only to the server it is configured for, so set"
                " api_key_env next to this base_url"
            )
        elif response.status_code in (401, 403):
            hint = f"set the API key in the environment variable {self.api_key_env}"
        elif response.status_code == 404:
            hint = f"check the base URL ({self.base_url}) and the model name ({self.model})"
        else:
            hint = "check the model name and the server's log"
        return ProviderError(
            f"embedding request to {self.base_url} failed: HTTP {response.status_code} {detail}",
            hint=hint + (self._offline_note() if response.status_code in (401, 403) else ""),
        )

    def close(self) -> None:
        self._client.close()


def _settings(config: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if config is None:
        config = load_config()
    section = config.get("embedding") or {}
    block = (section.get("openai") if isinstance(section, Mapping) else section) or {}
    if not isinstance(block, Mapping):
        raise InvalidInputError(
            "the 'embedding: openai:' block of gristmill.yml must be a mapping",
            hint="give it keys such as base_url, model, api_key_env",
        )
    return block


def _endpoint(
    base_url: str | None, api_key_env: str | None, settings: Mapping[str, Any]
) -> tuple[str, str | None]:
    """The server and the variable holding its key, taken from the first layer naming a server.

    A key variable from that layer, or from a higher one that names no server, goes with it; one
    from a lower layer was configured for another server and is left behind.
    """
    layers = (
        (base_url, api_key_env),
        (
            os.environ.get("GRISTMILL_EMBEDDING_BASE_URL"),
            os.environ.get("GRISTMILL_EMBEDDING_API_KEY_ENV"),
        ),
        (settings.get("base_url"), settings.get("api_key_env")),
        (os.environ.get("OPENAI_BASE_URL"), DEFAULT_KEY_ENV),
    )
    chosen_key: str | None = None
    for url, key in layers:
        chosen_key = chosen_key or (str(key) if key else None)
        if url:
            return str(url).rstrip("/"), key_variable(str(url), chosen_key)
    return DEFAULT_BASE_URL, key_variable(DEFAULT_BASE_URL, chosen_key)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:  # an HTTP date; the exponential backoff is good enough
        return None
