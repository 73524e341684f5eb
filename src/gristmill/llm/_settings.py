"""How an LLM is configured: one settings model, layered from gristmill.yml, env and call args.

Layers, later ones win: the ``llm:`` block of ``gristmill.yml``, then the environment
(``GRISTMILL_LLM``, ``GRISTMILL_LLM_BASE_URL``, ``GRISTMILL_LLM_API_KEY_ENV``), then the model
address given to ``get_llm``, then its keyword arguments. When the address names another
provider than the configured one, the configured provider's own fields (base URL, key variable,
model path) are dropped, so ``get_llm('openai/gpt-4o-mini')`` never goes to a configured local
server by accident. A name from the ``models:`` block of ``gristmill.yml`` (``get_llm('gpt4o')``)
stands for its whole entry: its server fields replace the configured ones.

Settings hold the *name* of the environment variable with the API key, never the key: the key
is read at request time and is never written to disk, logs or reprs. That variable belongs to
the base URL it was configured with: a later layer that points at another server without
naming its own variable drops it, and with no variable only OpenAI's own endpoint gets
``$OPENAI_API_KEY`` (``gristmill.named_models.key_variable``). So
``get_llm('openai:http://elsewhere/v1/m')`` sends no key that was meant for another server.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gristmill.errors import InvalidInputError
from gristmill.llm._address import parse_model_address
from gristmill.named_models import OPENAI_KEY_ENV, named_model, same_server
from gristmill.project import load_config

ENV_ADDRESS = "GRISTMILL_LLM"
ENV_BASE_URL = "GRISTMILL_LLM_BASE_URL"
ENV_API_KEY_ENV = "GRISTMILL_LLM_API_KEY_ENV"
DEFAULT_API_KEY_ENV = OPENAI_KEY_ENV

# Fields that only make sense for the provider they were configured with.
_PROVIDER_BOUND = ("model", "base_url", "api_key_env", "model_path", "options")
# What a named model sets when its entry leaves them out: a name brings its whole server.
_NAMED_DEFAULTS: dict[str, Any] = {
    "model": "",
    "base_url": None,
    "api_key_env": None,
    "model_path": None,
    "options": {},
}


class LLMSettings(BaseModel):
    """Everything that decides how an LLM is called. Unknown keys are an error (typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: str
    model: str = ""
    base_url: str | None = None
    api_key_env: str | None = Field(
        default=None,
        description="the variable holding the key for base_url; by default OPENAI_API_KEY, "
        "sent only to OpenAI's own endpoint",
    )
    model_path: str | None = None
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=512, ge=1)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    seed: int | None = None
    stop: list[str] | None = None
    system_prompt: str | None = None
    timeout_s: float = Field(default=60.0, gt=0.0)
    max_retries: int = Field(default=4, ge=0)
    retry_base_delay_s: float = Field(default=1.0, ge=0.0)
    retry_max_delay_s: float = Field(default=60.0, ge=0.0)
    structured_retries: int = Field(default=2, ge=0)
    structured_output: Literal["auto", "prompt"] = "auto"
    price_input_per_million: float | None = Field(default=None, ge=0.0)
    price_output_per_million: float | None = Field(default=None, ge=0.0)
    n_ctx: int = Field(default=2048, ge=64)
    options: dict[str, Any] = Field(default_factory=dict)

    def cost(self, input_tokens: int, output_tokens: int) -> float | None:
        """Price of the tokens, or None when no price is configured."""
        if self.price_input_per_million is None and self.price_output_per_million is None:
            return None
        return (
            input_tokens * (self.price_input_per_million or 0.0)
            + output_tokens * (self.price_output_per_million or 0.0)
        ) / 1_000_000


def settings_fields() -> list[str]:
    return sorted(LLMSettings.model_fields)


def configured_address(project_dir: Path | None = None) -> str | dict[str, Any] | None:
    """The LLM the environment or gristmill.yml names, or None when neither names one."""
    from_env = os.environ.get(ENV_ADDRESS, "").strip()
    if from_env:
        return from_env
    block = _config_block(project_dir)
    if block.get("model") or block.get("provider"):
        return block
    return None


def resolve_settings(
    address: str | dict[str, Any] | LLMSettings | None,
    overrides: dict[str, Any],
    *,
    project_dir: Path | None = None,
) -> LLMSettings:
    """Layer gristmill.yml, env, the address and ``overrides`` into checked settings."""
    given = {key: value for key, value in overrides.items() if value is not None}
    if isinstance(address, LLMSettings):
        return _build(_merge(address.model_dump(), given))
    block = _config_block(project_dir)
    prices = block.get("prices")
    layered = _block_fields(block, project_dir)
    env_address = os.environ.get(ENV_ADDRESS, "").strip()
    if env_address:
        layered = _merge(layered, _block_fields(env_address, project_dir))
    from_env = {
        field: os.environ[name]
        for field, name in (("base_url", ENV_BASE_URL), ("api_key_env", ENV_API_KEY_ENV))
        if os.environ.get(name)
    }
    layered = _merge(layered, from_env)
    if address is not None:
        if isinstance(address, dict):
            prices = address.get("prices", prices)
        named = _block_fields(address, project_dir)
        layered = _merge(layered, named)
        if "base_url" not in named:
            # The environment's server holds for any provider the address switches to (an
            # address with its own server, or a named model, keeps its own).
            layered = {**from_env, **layered}
    layered = _merge(layered, given)
    if "provider" not in layered:
        # _provider imports this module for LLMSettings: importing it at the top is a cycle.
        from gristmill.llm._provider import no_llm_configured

        raise no_llm_configured()
    _fill_price(layered, prices)
    return _build(layered)


def _merge(base: dict[str, Any], layer: dict[str, Any]) -> dict[str, Any]:
    if "provider" in layer and layer["provider"] != base.get("provider"):
        base = {key: value for key, value in base.items() if key not in _PROVIDER_BOUND}
    elif (
        "base_url" in layer
        and "api_key_env" not in layer
        and not same_server(layer["base_url"], base.get("base_url"))
    ):
        # The key variable was configured for the old server: it must not follow the new one.
        base = {key: value for key, value in base.items() if key != "api_key_env"}
    return {**base, **layer}


def _block_fields(block: str | dict[str, Any], project_dir: Path | None) -> dict[str, Any]:
    """A config block: either an address string or a mapping whose ``model`` may be an address.

    A name from the ``models:`` block, in either place, stands for that entry.
    """
    if isinstance(block, str):
        return _address_fields(block, project_dir)
    fields = {key: value for key, value in block.items() if key != "prices"}
    model = fields.get("model")
    if isinstance(model, str) and "provider" not in fields and model:
        fields.pop("model")
        fields = {**_address_fields(model, project_dir), **fields}
    return fields


def _address_fields(address: str, project_dir: Path | None) -> dict[str, Any]:
    named = named_model(address, "llm", project_dir=project_dir)
    if named is None:
        return parse_model_address(address)
    return {**_NAMED_DEFAULTS, **named.settings}


def _config_block(project_dir: Path | None) -> dict[str, Any]:
    block = load_config(project_dir).get("llm")
    if block is None:
        return {}
    if isinstance(block, str):
        return {"model": block}
    if not isinstance(block, dict):
        raise InvalidInputError(
            "the 'llm' entry of gristmill.yml must be a model address or a mapping",
            hint="e.g. llm: {model: openai/gpt-4o-mini, temperature: 0}",
        )
    return dict(block)


def _fill_price(fields: dict[str, Any], prices: object) -> None:
    """Take the model's price from the yml ``prices`` map when no price was set directly.

    ``prices`` maps a model name to ``{input: .., output: ..}`` per million tokens.
    """
    if not isinstance(prices, dict) or fields.get("price_input_per_million") is not None:
        return
    entry = prices.get(fields.get("model", ""))
    if not isinstance(entry, dict):
        return
    fields["price_input_per_million"] = entry.get("input")
    fields["price_output_per_million"] = entry.get("output")


def _build(fields: dict[str, Any]) -> LLMSettings:
    try:
        return LLMSettings(**fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'settings'}: {error['msg']}"
            for error in exc.errors()
        )
        raise InvalidInputError(
            f"invalid LLM settings: {problems}",
            hint=f"valid settings: {', '.join(settings_fields())}",
        ) from None
