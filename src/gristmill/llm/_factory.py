"""``get_llm``: from a model address (or the configuration) to a ready LLM client."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.llm import _local
from gristmill.llm._address import EXAMPLES
from gristmill.llm._client import LLM
from gristmill.llm._provider import ProviderResources, no_llm_configured, providers
from gristmill.llm._settings import LLMSettings, configured_address, resolve_settings


def get_llm(
    model: str | dict[str, Any] | LLMSettings | None = None,
    *,
    cache: bool = True,
    cache_path: str | Path | None = None,
    project_dir: str | Path | None = None,
    http_transport: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    **settings: Any,
) -> LLM:
    """An LLM client for ``model``: an address, a config mapping, or settings.

    Addresses: ``'openai/gpt-4o-mini'``, ``'openai:http://localhost:8000/v1/qwen3-8b'``,
    ``'local'``, ``'local:/path/model.gguf'``, ``'hf/facebook/bart-large-cnn'`` (a local
    transformers model, extra ``hf-models``), ``'fake'``. With no ``model``, the one configured
    in ``$GRISTMILL_LLM`` or the ``llm:`` block of gristmill.yml is used, else the embedded
    ``local`` model when installed; otherwise an error says how to get one. Keyword arguments
    override any setting (``temperature=0``, ``max_tokens=256``, ``system_prompt=...``,
    ``base_url=...``, ``api_key_env=...``, prices...). ``cache=False`` skips the response cache
    (usage is still recorded). ``http_transport`` (an ``httpx`` transport) and ``sleep`` are
    the seams tests replace.
    """
    folder = Path(project_dir) if project_dir is not None else None
    if model is None and configured_address(folder) is None:
        if not _local.local_llm_available():
            raise no_llm_configured()
        model = "local"
    resolved = resolve_settings(model, settings, project_dir=folder)
    try:
        factory = providers.get(resolved.provider)
    except NotFoundError as exc:
        if resolved.model or isinstance(model, dict | LLMSettings):
            raise
        raise InvalidInputError(
            f"'{resolved.provider}' is neither a model address nor a known LLM provider",
            hint=f"did you mean 'openai/{resolved.provider}'? valid addresses: {EXAMPLES}; "
            f"providers: {', '.join(providers.names())}",
        ) from exc
    provider = factory(resolved, ProviderResources(http_transport=http_transport))
    path = Path(cache_path) if cache_path is not None else None
    if path is None and folder is not None:
        path = folder / "cache" / "llm_cache.sqlite"
    return LLM(resolved, provider, cache=cache, cache_path=path, sleep=sleep)


def configured_llm_address(project_dir: str | Path | None = None) -> str | dict[str, Any] | None:
    """The LLM the user configured ($GRISTMILL_LLM or gristmill.yml), or None.

    Features that work without an LLM (keyword cluster titles) use this to decide; the embedded
    ``local`` model is not counted as configured, because its titles are weaker than keywords.
    """
    return configured_address(Path(project_dir) if project_dir is not None else None)


def llm_settings(
    model: str | dict[str, Any] | LLMSettings | None = None,
    *,
    project_dir: str | Path | None = None,
    **settings: Any,
) -> LLMSettings:
    """The settings ``get_llm`` would use for the same arguments, with no client built (no
    connection made, no model loaded); an invalid address or setting raises the same error."""
    folder = Path(project_dir) if project_dir is not None else None
    if model is None and configured_address(folder) is None:
        model = "local"
    return resolve_settings(model, settings, project_dir=folder)
