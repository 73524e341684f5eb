"""Named models: the ``models:`` block of ``gristmill.yml``, and which key goes to which server.

::

    models:
      gpt4o: {provider: openai, model: gpt-4o-mini, api_key_env: OPENAI_API_KEY}
      qwen: {provider: openai, model: qwen3-8b, base_url: http://127.0.0.1:8000/v1}
      bge:
        kind: embedding
        provider: openai
        model: bge-small-en-v1.5
        base_url: http://127.0.0.1:8000/v1
        api_key_env: EMBED_SERVER_KEY

A name stands for its whole entry wherever a model is named (``get_llm('gpt4o')``,
``Experiment(models=['gpt4o', 'qwen'])``, ``compute_embedding('bge', ...)``), and it is how a
REST client names any model that reaches a server or a file: a request may only choose among
these names and the embedded models, never bring its own URL, path or key variable.

``kind`` is ``llm`` (the default) or ``embedding``; ``provider`` is an LLM provider (``openai``,
``local``, ``hf``...) or an embedding family (``openai``, ``sentence-transformers``...); the
other keys are that kind's settings. An entry is self-contained: nothing of the ``llm:`` block or
the environment's server settings is mixed into it.

Keys: settings name the *environment variable* holding a key, never the key, and that variable
belongs to the server it was configured with (:func:`key_variable`). A variable configured for one
base URL is never sent to another; ``OPENAI_API_KEY`` goes only to OpenAI's own endpoint.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gristmill.errors import InvalidInputError
from gristmill.project import load_config

OPENAI_BASE_URL = "https://api.openai.com/v1"
OPENAI_KEY_ENV = "OPENAI_API_KEY"

ModelKind = Literal["llm", "embedding"]
KINDS: tuple[ModelKind, ...] = ("llm", "embedding")

# No '/' or ':', so a name never reads as a model address or a path.
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_EXAMPLE = (
    "models: {gpt4o: {provider: openai, model: gpt-4o-mini}, "
    "bge: {kind: embedding, provider: openai, model: bge-small, base_url: http://host:8000/v1}}"
)


@dataclass(frozen=True)
class NamedModel:
    """One entry of the ``models:`` block: its name, kind, provider and settings (with
    ``provider``, without ``kind``)."""

    name: str
    kind: ModelKind
    provider: str
    settings: dict[str, Any]

    def fingerprint(self) -> str:
        """The entry as canonical text: equal for equal entries, different after an edit."""
        return json.dumps([self.name, self.kind, self.settings], sort_keys=True, default=str)


def named_models(
    kind: ModelKind | None = None, *, project_dir: Path | None = None
) -> dict[str, NamedModel]:
    """The project's named models (of ``kind``, or all), in the order the file lists them."""
    block = load_config(project_dir).get("models")
    if block is None:
        return {}
    if not isinstance(block, dict):
        raise _invalid("the 'models' entry of gristmill.yml must be a mapping of names")
    found = {}
    for name, entry in block.items():
        model = _parse(name, entry)
        if kind is None or model.kind == kind:
            found[model.name] = model
    return found


def named_model(
    name: str, kind: ModelKind, *, project_dir: Path | None = None
) -> NamedModel | None:
    """The entry called ``name`` of this kind, or None (addresses and paths are never names)."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        return None
    # Only this entry is parsed: a mistake in another entry must not break every model lookup
    # (named_models(), which lists them all, still reports it).
    block = load_config(project_dir).get("models")
    if not isinstance(block, dict) or name not in block:
        return None
    model = _parse(name, block[name])
    return model if model.kind == kind else None


def key_variable(base_url: str | None, api_key_env: str | None) -> str | None:
    """The environment variable whose key may be sent to ``base_url`` (None: send no key).

    ``api_key_env`` is the variable configured *together with* ``base_url`` (callers drop it
    when a later setting points elsewhere); without one, only OpenAI's own endpoint (also
    ``base_url=None``) gets ``$OPENAI_API_KEY``. So a URL from anywhere else never receives a
    key meant for another server.
    """
    if api_key_env:
        return api_key_env
    return OPENAI_KEY_ENV if same_server(base_url, OPENAI_BASE_URL) else None


def same_server(a: str | None, b: str | None) -> bool:
    """True when two base URLs are the same (``None`` is OpenAI's own endpoint)."""
    return _normal(a) == _normal(b)


def _normal(url: str | None) -> str:
    return (url or OPENAI_BASE_URL).strip().rstrip("/")


def _parse(name: object, entry: object) -> NamedModel:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise _invalid(
            f"invalid model name {name!r} in gristmill.yml's 'models'",
            "a name starts with a letter and uses letters, digits, '_', '-' and '.' "
            "(no '/' or ':', which belong to model addresses)",
        )
    if not isinstance(entry, dict):
        raise _invalid(f"gristmill.yml's models.{name} must be a mapping of settings")
    settings = dict(entry)
    kind = settings.pop("kind", "llm")
    if kind not in KINDS:
        raise _invalid(f"models.{name}.kind is {kind!r}; it must be 'llm' or 'embedding'")
    provider = settings.get("provider")
    if not isinstance(provider, str) or not provider:
        raise _invalid(
            f"models.{name} needs a provider (e.g. openai, local, sentence-transformers)"
        )
    return NamedModel(name=name, kind=kind, provider=provider, settings=settings)


def _invalid(message: str, hint: str | None = None) -> InvalidInputError:
    return InvalidInputError(message, hint=hint or f"e.g. {_EXAMPLE}")
