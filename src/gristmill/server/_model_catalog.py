"""Which models a REST client may name: the project's named models and the embedded ones.

A request chooses a model by name only. The names are those of the ``models:`` block of the
project's ``gristmill.yml`` (``gristmill.named_models``) plus what runs inside the server on the
operator's terms: the embedded LLM (``local``), the built-in embeddings and any embedding the
operator registered in the server's process (and ``openai`` when gristmill.yml's
``embedding: openai:`` block configures it). Anything else is refused before any work starts: a
model address (``openai:http://...``, ``local:/x.gguf``, ``hf/...``, ``openai/gpt-4o``), a bare
provider, an ``openai/...`` or ``sentence-transformers/...`` variant. So a request can never make
the server send its keys or its rows to a new place, nor load a file of the request's choosing.

Every route that takes a model or embedding name passes it through :func:`allowed_llm` or
:func:`allowed_embedding`; ``GET /api/v1/models`` lists the same names for the UI's forms.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from gristmill.embed import DEFAULT_EMBEDDING, embedding_names
from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.llm import configured_llm_address, llm_settings, local_llm_available
from gristmill.named_models import NamedModel, key_variable, named_models
from gristmill.project import load_config

if TYPE_CHECKING:
    from gristmill.dataset import Dataset

EMBEDDED_LLM = "local"
# Registered embedding families whose variant picks a server or a path: only a named entry (or
# gristmill.yml's own ``embedding: openai:`` block, for plain ``openai``) may reach them.
_OPEN_EMBEDDINGS = ("openai", "sentence-transformers")
_HOW_TO_ADD = (
    "GET /api/v1/models lists the models this server offers; to offer another, its operator "
    "names it in the 'models:' block of the project's gristmill.yml, e.g. models: {qwen: "
    "{provider: openai, model: qwen3-8b, base_url: http://127.0.0.1:8000/v1}}"
)


class ModelInfo(BaseModel):
    """A model a request may name (never its key, key variable, URL or file path)."""

    name: str = Field(description="what a request names it by", examples=["gpt4o"])
    kind: Literal["llm", "embedding"]
    provider: str = Field(examples=["openai"])
    model: str | None = Field(description="the model the name stands for, when it says")
    remote: bool = Field(description="calls a model server over the network")
    key_set: bool | None = Field(
        description="for a remote model: whether the server's environment holds the key "
        "configured for its endpoint (null: no key is configured for it)"
    )


class ModelList(BaseModel):
    """The LLMs and embeddings requests may name (from gristmill.yml's models: and built-ins)."""

    llms: list[ModelInfo]
    embeddings: list[ModelInfo]
    default_llm: str | None = Field(
        description="what runs when a request names no LLM: the configured one ('provider/"
        "model' or its name), else 'local' when installed, else null"
    )
    default_embedding: str


def allowed_llm(name: str | None) -> str | None:
    """``name`` when a request may use it (None: the configured default), else 400."""
    if name is None:
        return None
    allowed = allowed_llm_names()
    if name in allowed:
        return name
    why = (
        ": a request names a model only by a name the server offers, never by an address, URL "
        "or path"
        if _is_address(name)
        else ""
    )
    raise InvalidInputError(
        f"this server offers no LLM called {name!r}{why}",
        hint=f"LLMs here: {', '.join(allowed) or 'none'}. {_HOW_TO_ADD}",
    )


def allowed_embedding(name: str) -> str:
    """``name`` when a request may use it; an address or path is 400, an unknown name 404."""
    allowed = allowed_embedding_names()
    if name in allowed:
        return name
    listed = f"embeddings here: {', '.join(allowed)}. {_HOW_TO_ADD}"
    if _is_address(name) or name in _OPEN_EMBEDDINGS:
        raise InvalidInputError(
            f"a request cannot choose the embedding {name!r}: it names a server, a path or a "
            "family of models, and a request names a model only by a name the server offers",
            hint=listed,
        )
    raise NotFoundError(f"no embedding named '{name}'", hint=listed)


def check_searches(searches: Sequence[object], dataset: Dataset) -> None:
    """Refuse semantic and concept searches whose embedding a request may not name.

    An embedding the dataset already holds is allowed whatever its name: whoever computed it
    (the operator, from the CLI or Python) chose that model, and searching it sends nothing new.
    """
    computed: set[str] | None = None
    for search in searches:
        embedding = getattr(search, "embedding", None)
        if not isinstance(embedding, str) or embedding in allowed_embedding_names():
            continue
        if computed is None:
            computed = {
                str(column.lineage.params.get("embedding"))
                for column in dataset.manifest().derived_columns
                if column.lineage.kind == "embedding"
            }
        if embedding not in computed:
            allowed_embedding(embedding)


def model_list() -> ModelList:
    llms = [_named_info(model) for model in named_models("llm").values()]
    if EMBEDDED_LLM in allowed_llm_names() and all(m.name != EMBEDDED_LLM for m in llms):
        llms.append(_builtin_info(EMBEDDED_LLM, "llm", remote=False))
    named = named_models("embedding")
    embeddings = [_named_info(model) for model in named.values()]
    for name in allowed_embedding_names():
        if name not in named:
            embeddings.append(_builtin_info(name, "embedding", remote=name == "openai"))
    return ModelList(
        llms=llms,
        embeddings=embeddings,
        default_llm=_default_llm(),
        default_embedding=DEFAULT_EMBEDDING,
    )


def allowed_llm_names() -> list[str]:
    """The LLM names a request may use: the named ones, then the embedded one if installed."""
    names = list(named_models("llm"))
    if EMBEDDED_LLM not in names and local_llm_available():
        names.append(EMBEDDED_LLM)
    return names


def allowed_embedding_names() -> list[str]:
    """The embedding names a request may use, named models first."""
    names = list(named_models("embedding"))
    registered = [n for n in embedding_names() if n not in _OPEN_EMBEDDINGS]
    if _openai_block_configured():
        registered.append("openai")
    return names + [n for n in registered if n not in names]


def _openai_block_configured() -> bool:
    section = load_config().get("embedding")
    return isinstance(section, dict) and bool(section.get("openai"))


def _is_address(name: str) -> bool:
    return any(mark in name for mark in "/:\\") or name.startswith(".")


def _named_info(model: NamedModel) -> ModelInfo:
    settings = model.settings
    shown = settings.get("model")
    if not shown and settings.get("model_path"):
        shown = Path(str(settings["model_path"])).name  # the file, not where it lives
    remote = model.provider == "openai"
    key_env = key_variable(settings.get("base_url"), settings.get("api_key_env"))
    return ModelInfo(
        name=model.name,
        kind=model.kind,
        provider=model.provider,
        model=str(shown) if shown else None,
        remote=remote,
        key_set=bool(os.environ.get(key_env)) if remote and key_env else None,
    )


def _builtin_info(name: str, kind: Literal["llm", "embedding"], *, remote: bool) -> ModelInfo:
    return ModelInfo(name=name, kind=kind, provider=name, model=None, remote=remote, key_set=None)


def _default_llm() -> str | None:
    configured = configured_llm_address()
    if configured is None:
        return EMBEDDED_LLM if local_llm_available() else None
    name = configured if isinstance(configured, str) else configured.get("model")
    if isinstance(name, str) and name in named_models("llm"):
        return name
    settings = llm_settings()
    return f"{settings.provider}/{settings.model}" if settings.model else settings.provider
