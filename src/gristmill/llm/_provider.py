"""The provider seam: what every LLM backend implements, and the one registry of them.

A provider turns one chat call into one reply. Everything around that (caching, retries,
structured-output validation, batching, usage) lives in the client, so a user's provider gets
all of it by implementing :class:`Provider` and registering a factory::

    from gristmill.llm import providers
    providers.register('mine', lambda settings, resources: MyProvider(settings))

Built-ins are registered the same way, lazily, so ``import gristmill`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from gristmill.errors import GristmillError, MissingDependencyError, ProviderError
from gristmill.llm._settings import LLMSettings
from gristmill.registry import Registry


class ProviderCall(BaseModel):
    """One request to a provider: final messages and generation parameters."""

    model_config = ConfigDict(frozen=True)

    messages: list[dict[str, str]]
    temperature: float
    max_tokens: int
    top_p: float | None = None
    seed: int | None = None
    stop: list[str] | None = None
    json_schema: dict[str, Any] | None = None
    schema_name: str = "response"
    top_k: int | None = None
    min_p: float | None = None
    template_args: dict[str, Any] | None = None

    def cache_fields(self) -> dict[str, Any]:
        """The call as the response cache keys it. Fields added after the cache's first
        version are left out while unset, so the answers cached before them stay found."""
        dumped = self.model_dump(mode="json")
        for name in ("top_k", "min_p", "template_args"):
            if dumped[name] is None:
                del dumped[name]
        return dumped


class ProviderReply(BaseModel):
    """What a provider answered; token counts are None when the backend did not say."""

    text: str
    input_tokens: int | None = None
    output_tokens: int | None = None
    finish_reason: str | None = None


class RetryableProviderError(Exception):
    """A failure worth retrying (rate limit, 5xx, timeout); the client backs off and retries.

    Providers raise it; it never reaches the caller: after the last retry the client raises
    ``error``, a ProviderError that says what failed and what to check.
    """

    def __init__(self, error: ProviderError, *, retry_after_s: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after_s = retry_after_s


class ProviderResources(BaseModel):
    """Things a provider may use that are not settings: seams that tests replace."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    http_transport: Any = None


class Provider(Protocol):
    """An LLM backend. Implementations must be safe to call from several threads."""

    name: str

    def identity(self) -> dict[str, str]:
        """What makes two providers' answers interchangeable (cache key): model, base URL..."""
        ...

    def generate(self, call: ProviderCall) -> ProviderReply:
        """Answer one call. Raise RetryableProviderError to be retried, ProviderError not."""
        ...

    def count_tokens(self, text: str) -> int: ...

    def truncate(self, text: str, max_tokens: int) -> str: ...

    def close(self) -> None: ...


ProviderFactory = Callable[[LLMSettings, ProviderResources], Provider]

providers: Registry[ProviderFactory] = Registry(
    "LLM provider",
    how_to_add="add one with gristmill.llm.providers.register(name, factory)",
)
providers.register_lazy("fake", "gristmill.llm._fake:create_fake_provider")
providers.register_lazy("openai", "gristmill.llm._openai:create_openai_provider")
providers.register_lazy("local", "gristmill.llm._local:create_local_provider")
providers.register_lazy("hf", "gristmill.llm._hf:create_hf_provider")


def no_llm_configured() -> GristmillError:
    """The error for work that needs an LLM when none is configured or installed."""
    return MissingDependencyError(
        "this needs an LLM, and none is configured",
        hint="either install the embedded one with pip install 'gristmill[local-llm]', or "
        "configure an OpenAI-compatible server: set GRISTMILL_LLM=openai:http://host:port/v1/"
        "<model> (key in $OPENAI_API_KEY) or add an 'llm:' block to gristmill.yml",
    )
