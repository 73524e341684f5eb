"""The embedding registry: names to factories of :class:`EmbeddingModel`.

An entry is anything callable that returns an EmbeddingModel: the class itself, or a function.
``get_embedding('name')`` calls it with no argument; ``get_embedding('family/variant')`` looks
up ``family`` and calls it with ``'variant'`` (``sentence-transformers/all-mpnet-base-v2``,
``openai/text-embedding-3-small``), so one registration serves a family of models. Models are
built once per process and name, because loading weights is the slow part.

A name from the ``models:`` block of ``gristmill.yml`` with ``kind: embedding`` stands for its
entry (``gristmill.named_models``) and wins over a registered name: ``provider`` is the family,
``model`` its variant, and the other keys go to the factory as keyword arguments (for ``openai``:
``base_url``, ``api_key_env``, ``batch_size``, ``dimensions``). Such a model is cached under its
settings, so editing the entry takes effect on the next lookup.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

from gristmill.embed._model import EmbeddingModel, FunctionEmbedding
from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.named_models import OPENAI_BASE_URL, NamedModel, named_model
from gristmill.registry import Registry

DEFAULT_EMBEDDING = "minilm"

EmbeddingFactory = Callable[..., EmbeddingModel]

embedding_registry: Registry[EmbeddingFactory] = Registry(
    "embedding",
    how_to_add=(
        "'sentence-transformers/<name-or-path>' loads a local model"
        " (pip install 'gristmill[sentence-transformers]'), 'openai' calls an OpenAI-compatible"
        " server, and gm.register_embedding(name, fn) adds your own"
    ),
)

# Built-ins register exactly as a plugin would, lazily so their imports cost nothing until used.
embedding_registry.register_lazy("minilm", "gristmill.embed._minilm:MiniLMEmbedding")
embedding_registry.register_lazy("wordllama", "gristmill.embed._wordllama:WordLlamaEmbedding")
embedding_registry.register_lazy(
    "sentence-transformers",
    "gristmill.embed._sentence_transformers:SentenceTransformerEmbedding",
)
embedding_registry.register_lazy("openai", "gristmill.embed._openai:OpenAIEmbedding")

# Embedding names other tools use (Lilac's) and the public model each one means: Gristmill does
# not bundle them, so an unknown name says what stands in offline and how to load the real one.
FOREIGN_EMBEDDINGS: dict[str, str] = {
    "gte-small": "thenlper/gte-small",
    "gte-base": "thenlper/gte-base",
    "jina-v2-small": "jinaai/jina-embeddings-v2-small-en",
    "jina-v2-base": "jinaai/jina-embeddings-v2-base-en",
    "nomic-embed": "nomic-ai/nomic-embed-text-v1.5",
    "sbert": "sentence-transformers/all-MiniLM-L6-v2",
}
OFFLINE_STAND_IN = (
    f"offline, '{DEFAULT_EMBEDDING}' (all-MiniLM-L6-v2, 384 dimensions, bundled) stands in:"
    f" compute_embedding('{DEFAULT_EMBEDDING}', path)"
)

_cache_lock = threading.Lock()
_models: dict[str, EmbeddingModel] = {}


def register_embedding(
    name: str,
    fn_or_class: type[EmbeddingModel] | EmbeddingModel | Callable[..., Any],
    *,
    dim: int | None = None,
    model_id: str | None = None,
    replace: bool = False,
) -> None:
    """Make ``get_embedding(name)`` (and ``compute_embedding(name, ...)``) use your model.

    ``fn_or_class`` is one of: an :class:`EmbeddingModel` subclass (built on first use with no
    arguments, or with the variant of ``'name/variant'``), an EmbeddingModel instance, or a
    plain function ``list[str] -> array [n, dim]`` (vectors are L2-normalised for you; pass
    ``dim`` to spare a probe call and ``model_id`` to name the exact model for lineage).
    """
    if not isinstance(name, str) or not name or "/" in name:
        raise InvalidInputError(
            f"invalid embedding name {name!r}",
            hint="use a non-empty name without '/' ('/' separates a family from its variant)",
        )
    factory: EmbeddingFactory
    if isinstance(fn_or_class, type) and issubclass(fn_or_class, EmbeddingModel):
        factory = fn_or_class
    elif isinstance(fn_or_class, EmbeddingModel):
        instance = fn_or_class
        factory = _constant(instance)
    elif callable(fn_or_class):
        wrapped = FunctionEmbedding(name, fn_or_class, dim=dim, model_id=model_id)
        factory = _constant(wrapped)
    else:
        raise InvalidInputError(
            f"cannot register {type(fn_or_class).__name__} as embedding '{name}'",
            hint="pass a function list[str] -> array, an EmbeddingModel subclass or instance",
        )
    embedding_registry.register(name, factory, replace=replace)
    _forget(name)


def unregister_embedding(name: str) -> None:
    """Remove ``name`` (and its cached model) from this process."""
    embedding_registry.unregister(name)
    _forget(name)


def get_embedding(name: str = DEFAULT_EMBEDDING) -> EmbeddingModel:
    """The embedding model registered as ``name`` (or ``'family/variant'``), built once."""
    if not isinstance(name, str) or not name.strip("/"):
        raise InvalidInputError(
            f"invalid embedding name {name!r}", hint=f"use e.g. '{DEFAULT_EMBEDDING}'"
        )
    named = named_model(name, "embedding")
    key = name if named is None else f"{name}#{named.fingerprint()}"
    with _cache_lock:
        cached = _models.get(key)
    if cached is not None:
        return cached
    model = _build(name) if named is None else _build_named(named)
    with _cache_lock:
        # Two threads may have built it at once; keep the first so callers share one model.
        return _models.setdefault(key, model)


def clear_embedding_cache(name: str | None = None) -> None:
    """Forget built models (all, or ``name`` and its variants) so the next lookup rebuilds them,
    e.g. after ``gristmill.yml`` changed."""
    if name is None:
        with _cache_lock:
            _models.clear()
    else:
        _forget(name)


def embedding_names() -> list[str]:
    """Registered names (families such as 'sentence-transformers' take a '/variant')."""
    return embedding_registry.names()


def _build(name: str) -> EmbeddingModel:
    if name in embedding_registry:
        model = embedding_registry.get(name)()
    else:
        family, slash, variant = name.partition("/")
        if name in FOREIGN_EMBEDDINGS:
            raise _foreign(name, FOREIGN_EMBEDDINGS[name])
        if not slash or family not in embedding_registry:
            embedding_registry.get(name)  # raises NotFoundError listing the names
            raise AssertionError("unreachable")  # pragma: no cover
        factory = embedding_registry.get(family)
        if not _takes_argument(factory):
            raise NotFoundError(
                f"embedding '{family}' has no variants, so '{name}' does not exist",
                hint=f"use '{family}' alone",
            )
        model = factory(variant)
    if not isinstance(model, EmbeddingModel):
        raise InvalidInputError(
            f"the factory registered as embedding '{name}' returned"
            f" {type(model).__name__}, not an EmbeddingModel",
            hint="register a function list[str] -> array, or an EmbeddingModel subclass",
        )
    return model


def _foreign(name: str, hub_id: str) -> NotFoundError:
    if name == "sbert":
        return NotFoundError(
            "'sbert' is Lilac's name for all-MiniLM-L6-v2, which Gristmill calls"
            f" '{DEFAULT_EMBEDDING}'",
            hint=f"use compute_embedding('{DEFAULT_EMBEDDING}', path): the same model (int8"
            " ONNX), bundled and offline",
        )
    return NotFoundError(
        f"Gristmill does not bundle '{name}' ({hub_id}); available: {', '.join(embedding_names())}",
        hint=f"{OFFLINE_STAND_IN}. For the real model: pip install"
        f" 'gristmill[sentence-transformers]', download it once, then use"
        f" 'sentence-transformers/{hub_id}' (from the Hugging Face cache) or"
        f" 'sentence-transformers//path/to/{name}' (a local folder)",
    )


def _build_named(named: NamedModel) -> EmbeddingModel:
    options = {k: v for k, v in named.settings.items() if k not in ("provider", "model")}
    variant = named.settings.get("model")
    factory = embedding_registry.get(named.provider)
    if named.provider == "openai":
        # The entry is the whole configuration: no yml block or environment fills its gaps.
        options = {"base_url": OPENAI_BASE_URL, "config": {}, **options}
    try:
        model = factory(variant, **options) if variant else factory(**options)
    except TypeError as exc:
        raise InvalidInputError(
            f"gristmill.yml's models.{named.name} has settings the '{named.provider}' "
            f"embedding does not take: {exc}",
            hint="for openai: model, base_url, api_key_env, batch_size, dimensions",
        ) from exc
    if not isinstance(model, EmbeddingModel):
        raise InvalidInputError(
            f"the '{named.provider}' embedding of models.{named.name} is not an EmbeddingModel",
            hint="use a registered embedding family as the provider",
        )
    return model


def _constant(model: EmbeddingModel) -> EmbeddingFactory:
    def factory() -> EmbeddingModel:
        return model

    return factory


def _takes_argument(factory: EmbeddingFactory) -> bool:
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):  # some builtins have no signature; let the call decide
        return True
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in parameters
    )


def _forget(name: str) -> None:
    with _cache_lock:
        for cached in [n for n in _models if n == name or n.startswith((name + "/", name + "#"))]:
            del _models[cached]
