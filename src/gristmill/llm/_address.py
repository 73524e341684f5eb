"""Model addresses: the short strings that name an LLM.

Grammar (``provider`` is any registered provider name)::

    fake | local                              a provider with its default model
    provider/model                            openai/gpt-4o-mini, openai/meta-llama/Llama-3-8B
    openai:<base_url>/<model>                 openai:http://localhost:8000/v1/qwen3-8b
    local:<path to a .gguf file>              local:/models/qwen2.5-0.5b-instruct-q4_k_m.gguf
    provider:model                            fake:echo, myprovider:big-model

For ``openai:<url>`` the base URL ends at the last ``/v1`` segment and the rest is the model
name (which may hold slashes and colons, as Hugging Face and Ollama names do); a URL without
``/v1`` takes its last path segment as the model.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from gristmill.errors import InvalidInputError

EXAMPLES = (
    "'openai/gpt-4o-mini', 'openai:http://localhost:8000/v1/qwen3-8b', 'local', "
    "'local:/path/to/model.gguf', 'fake', or a mapping like "
    "{'provider': 'openai', 'model': 'gpt-4o-mini', 'base_url': 'https://api.openai.com/v1'}"
)


def parse_model_address(address: str) -> dict[str, Any]:
    """Settings fields named by ``address``; a malformed address raises InvalidInputError."""
    if not isinstance(address, str):
        raise _invalid(address, "an address is a string")
    text = address.strip()
    if not text or any(char.isspace() for char in text):
        raise _invalid(address, "it is empty or holds spaces")
    slash, colon = text.find("/"), text.find(":")
    if colon == -1 and slash == -1:
        if not _is_name(text):
            raise _invalid(address, "a provider name uses letters, digits, '-' and '_'")
        return {"provider": text}
    if colon != -1 and (slash == -1 or colon < slash):
        provider, rest = text[:colon], text[colon + 1 :]
        _check_provider(address, provider)
        if not rest:
            raise _invalid(address, f"nothing follows '{provider}:'")
        if provider == "openai":
            return {"provider": provider, **_split_url(address, rest)}
        if provider == "local":
            return {"provider": provider, "model_path": rest}
        return {"provider": provider, "model": rest}
    provider, model = text[:slash], text[slash + 1 :]
    _check_provider(address, provider)
    if not model or model.startswith("/"):
        raise _invalid(address, f"no model name follows '{provider}/'")
    return {"provider": provider, "model": model}


def _split_url(address: str, url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _invalid(address, "after 'openai:' comes an http(s) URL ending in the model name")
    path = parts.path.rstrip("/")
    marker = path.rfind("/v1")
    if marker != -1 and (len(path) == marker + 3 or path[marker + 3] == "/"):
        base_path, model = path[: marker + 3], path[marker + 4 :]
    else:
        base_path, _, model = path.rpartition("/")
    base_url = f"{parts.scheme}://{parts.netloc}{base_path}"
    fields: dict[str, Any] = {"base_url": base_url}
    if model:
        fields["model"] = model
    return fields


def _check_provider(address: str, provider: str) -> None:
    if not _is_name(provider):
        raise _invalid(address, "it must start with a provider name")


def _is_name(text: str) -> bool:
    return bool(text) and text[0].isalpha() and all(c.isalnum() or c in "-_" for c in text)


def _invalid(address: object, why: str) -> InvalidInputError:
    return InvalidInputError(
        f"invalid model address {address!r}: {why}", hint=f"valid addresses: {EXAMPLES}"
    )
