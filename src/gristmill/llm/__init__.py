"""The LLM layer: one client over local models (llama.cpp, transformers), OpenAI-compatible
servers and a test fake.

    from gristmill import llm as gm_llm

    model = gm_llm.get_llm('openai/gpt-4o-mini', temperature=0, max_tokens=200)
    named = gm_llm.get_llm('gpt4o')  # a name from the models: block of gristmill.yml
    answer = model.complete('Name three rivers.')
    titles = model.complete_batch(prompts, response_format=Title, concurrency=8)

Every call goes through a persistent cache in the project folder (reruns never pay twice) and is
recorded in a usage log (``usage_summary()``). Providers are pluggable through ``providers``.
"""

from __future__ import annotations

from gristmill.llm import _local
from gristmill.llm._address import parse_model_address
from gristmill.llm._client import LLM, BatchItem
from gristmill.llm._completion import Completion, CompletionRequest, Usage
from gristmill.llm._factory import configured_llm_address, get_llm, llm_settings
from gristmill.llm._provider import (
    Provider,
    ProviderCall,
    ProviderFactory,
    ProviderReply,
    ProviderResources,
    RetryableProviderError,
    no_llm_configured,
    providers,
)
from gristmill.llm._settings import LLMSettings
from gristmill.llm._store import ModelUsage, UsageSummary, usage_summary
from gristmill.llm._tokens import approximate_token_count, approximate_truncate


def local_llm_available() -> bool:
    """True when the embedded local LLM (``gristmill[local-llm]``) is installed."""
    return _local.local_llm_available()


__all__ = [
    "LLM",
    "BatchItem",
    "Completion",
    "CompletionRequest",
    "LLMSettings",
    "ModelUsage",
    "Provider",
    "ProviderCall",
    "ProviderFactory",
    "ProviderReply",
    "ProviderResources",
    "RetryableProviderError",
    "Usage",
    "UsageSummary",
    "approximate_token_count",
    "approximate_truncate",
    "configured_llm_address",
    "get_llm",
    "llm_settings",
    "local_llm_available",
    "no_llm_configured",
    "parse_model_address",
    "providers",
    "usage_summary",
]
