"""The ``hf`` provider's own code — model choice, prompts, token accounting, errors — run against
stand-in ``torch`` and ``transformers`` modules (the real ones are an extra not installed here),
and its registration: a built-in provider, known to ``get_llm`` like ``openai`` or ``local``.

The stand-ins follow the transformers API the provider uses: ``Auto*.from_pretrained`` with
``local_files_only``, a tokenizer returning ``input_ids``, ``generate`` returning the prompt ids
followed by the new ones for causal models and only the new ones for seq2seq models.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gristmill.errors import InvalidInputError, ProviderError
from gristmill.llm import LLMSettings, ProviderCall
from gristmill.llm._hf import HuggingFaceProvider

REPLY_WORDS = ["the", "summary", "is", "short", "and", "clear", "enough", "now"]
loaded: list[tuple[str, str, bool]] = []


class _Config:
    def __init__(self, encoder_decoder: bool) -> None:
        self.is_encoder_decoder = encoder_decoder


class _Tokenizer:
    """Whitespace tokens; ids index a growing vocabulary."""

    def __init__(self, chat_template: str | None) -> None:
        self.chat_template = chat_template
        self.vocab: list[str] = [*REPLY_WORDS]

    def _ids(self, text: str) -> list[int]:
        ids = []
        for word in text.split():
            if word not in self.vocab:
                self.vocab.append(word)
            ids.append(self.vocab.index(word))
        return ids

    def __call__(self, text: str, return_tensors: str | None = None, **_: Any) -> dict[str, Any]:
        ids = self._ids(text)
        return {"input_ids": np.array([ids]) if return_tensors == "pt" else ids}

    def decode(self, ids: Any, skip_special_tokens: bool = True) -> str:
        return " ".join(self.vocab[int(i)] for i in ids)

    def apply_chat_template(self, messages: list[dict[str, str]], **_: Any) -> str:
        return " ".join(f"<{m['role']}> {m['content']}" for m in messages) + " <assistant>"


class _Model:
    def __init__(self, seq2seq: bool) -> None:
        self.seq2seq = seq2seq
        self.calls: list[dict[str, Any]] = []

    def eval(self) -> None:
        return None

    def generate(self, input_ids: Any, max_new_tokens: int, **options: Any) -> Any:
        self.calls.append({"max_new_tokens": max_new_tokens, **options})
        new = np.arange(min(max_new_tokens, len(REPLY_WORDS)))
        return np.array([new if self.seq2seq else np.concatenate([input_ids[0], new])])


def _loader(seq2seq: bool) -> Any:
    def from_pretrained(source: str, local_files_only: bool = False) -> _Model:
        if source.startswith("/missing"):
            raise OSError(f"{source} is not a folder with config.json")
        loaded.append((source, "seq2seq" if seq2seq else "causal", local_files_only))
        return _Model(seq2seq)

    return types.SimpleNamespace(from_pretrained=from_pretrained)


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    torch = types.ModuleType("torch")
    torch.no_grad = contextlib.nullcontext  # type: ignore[attr-defined]
    torch.manual_seed = lambda seed: None  # type: ignore[attr-defined]
    transformers = types.ModuleType("transformers")
    transformers.AutoConfig = types.SimpleNamespace(  # type: ignore[attr-defined]
        from_pretrained=lambda source, local_files_only=False: _Config("bart" in source)
    )
    transformers.AutoTokenizer = types.SimpleNamespace(  # type: ignore[attr-defined]
        from_pretrained=lambda source, local_files_only=False: _Tokenizer(
            None if "bart" in source else "chat"
        )
    )
    transformers.AutoModelForSeq2SeqLM = _loader(seq2seq=True)  # type: ignore[attr-defined]
    transformers.AutoModelForCausalLM = _loader(seq2seq=False)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "transformers", transformers)
    loaded.clear()
    yield


def _call(max_tokens: int = 20, **options: Any) -> ProviderCall:
    messages = [
        {"role": "system", "content": "Summarise."},
        {"role": "user", "content": "Amy: hi Bob: hello"},
    ]
    return ProviderCall(messages=messages, max_tokens=max_tokens, **{"temperature": 0.0, **options})


def test_a_seq2seq_model_reads_the_plain_text_and_answers_with_new_tokens(stand_ins: None) -> None:
    provider = HuggingFaceProvider(LLMSettings(provider="hf", model="models/bart-small"))
    assert loaded == [("models/bart-small", "seq2seq", True)]  # never from the network
    reply = provider.generate(_call())
    assert reply.text == " ".join(REPLY_WORDS)
    assert reply.input_tokens == 5  # "Summarise. Amy: hi Bob: hello"
    assert (reply.output_tokens, reply.finish_reason) == (len(REPLY_WORDS), "stop")
    assert provider.model.calls == [
        {
            "max_new_tokens": 20,
            "do_sample": False,
            "temperature": None,
            "top_p": None,
            "top_k": None,
            "min_p": None,
        }
    ]
    assert provider.identity() == {"provider": "hf", "model": "models/bart-small"}


def test_a_causal_model_uses_its_chat_template_and_drops_the_echoed_prompt(
    stand_ins: None,
) -> None:
    provider = HuggingFaceProvider(LLMSettings(provider="hf", model="models/tiny-chat"))
    assert loaded[0][1] == "causal"
    reply = provider.generate(_call(max_tokens=3, temperature=0.7, top_p=0.9, seed=1))
    assert reply.text == "the summary is"  # only the generated part
    assert reply.finish_reason == "length"  # it used the whole budget
    prompt = "<system> Summarise. <user> Amy: hi Bob: hello <assistant>"
    assert reply.input_tokens == len(prompt.split())
    assert provider.model.calls[0]["do_sample"] is True
    assert provider.truncate("one two three four", 2) == "one two"
    assert provider.count_tokens("one two three") == 3


def test_errors_name_the_fix(stand_ins: None) -> None:
    with pytest.raises(InvalidInputError, match="cannot load the transformers model"):
        HuggingFaceProvider(LLMSettings(provider="hf", model="/missing/model"))
    with pytest.raises(InvalidInputError, match="needs a path or a cached model name"):
        HuggingFaceProvider(LLMSettings(provider="hf"))
    provider = HuggingFaceProvider(LLMSettings(provider="hf", model="models/bart-small"))
    with pytest.raises(ProviderError, match="cannot enforce a JSON schema"):
        provider.generate(_call(json_schema={"type": "object"}))


def test_the_llm_layer_alone_knows_the_hf_provider(tmp_path: Path) -> None:
    # A fresh interpreter: an earlier import of gristmill.evals in this one would hide the bug
    # (the provider used to be registered only as a side effect of importing evals).
    code = (
        "import json, sys\n"
        "from gristmill.llm import get_llm, providers\n"
        "try:\n"
        "    get_llm('hf/no-such-org/no-such-model')\n"
        "except Exception as exc:\n"
        '    text = f\'{exc} {getattr(exc, "hint", "")}\'\n'
        "    error = {'type': type(exc).__name__, 'text': text}\n"
        "print(json.dumps({'error': error, 'known': 'hf' in providers,"
        " 'evals': 'gristmill.evals' in sys.modules}))\n"
    )
    env = {**os.environ, "GRISTMILL_PROJECT_DIR": str(tmp_path)}
    env.pop("GRISTMILL_LLM", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    outcome = json.loads(result.stdout)
    assert outcome["known"] and not outcome["evals"]
    error = outcome["error"]
    assert "unknown LLM provider" not in error["text"]
    # Without the extra the provider asks for it; with it, it names the model it cannot find
    # (nothing is downloaded: it loads with local_files_only).
    if error["type"] == "MissingDependencyError":
        assert "pip install 'gristmill[hf-models]'" in error["text"]
    else:
        assert error["type"] == "InvalidInputError"
        assert "cannot load the transformers model 'no-such-org/no-such-model'" in error["text"]
