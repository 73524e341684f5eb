"""The ``hf`` LLM provider: a local Hugging Face transformers model (seq2seq or causal).

``hf/<name or path>`` (or ``hf:/absolute/path``) loads the model with ``transformers`` from a
local folder or the local Hugging Face cache, never from the network (``local_files_only``), so
an encoder-decoder summariser like BART can be compared with chat LLMs as in the Lumigator
walkthrough. ``transformers`` and ``torch`` are an extra (``gristmill[hf-models]``), imported
only when such a model is created. Registered as a provider, so the LLM layer's cache, usage log
and batching apply to it like to any other model.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from gristmill.errors import InvalidInputError, ProviderError, missing_dependency
from gristmill.llm._provider import ProviderCall, ProviderReply, ProviderResources
from gristmill.llm._settings import LLMSettings

EXTRA = "hf-models"


def _import_transformers() -> Any:
    # import_module keeps these optional packages out of type checking where they are absent.
    try:
        importlib.import_module("torch")  # transformers needs it to run a model
        transformers = importlib.import_module("transformers")
    except ModuleNotFoundError as exc:
        raise missing_dependency(
            exc.name or "transformers", EXTRA, "an 'hf/<path>' model (local transformers)"
        ) from exc
    return transformers


class HuggingFaceProvider:
    """Runs one transformers model in-process; a lock serialises generation (one model)."""

    name = "hf"

    def __init__(self, settings: LLMSettings) -> None:
        source = settings.model_path or settings.model
        if not source:
            raise InvalidInputError(
                "an 'hf' model needs a path or a cached model name",
                hint="use e.g. 'hf/facebook/bart-large-cnn' or 'hf:/models/my-seq2seq'",
            )
        transformers = _import_transformers()
        self.source = source
        self._lock = threading.Lock()
        try:
            config = transformers.AutoConfig.from_pretrained(source, local_files_only=True)
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(
                source, local_files_only=True
            )
            self.seq2seq = bool(getattr(config, "is_encoder_decoder", False))
            loader = (
                transformers.AutoModelForSeq2SeqLM
                if self.seq2seq
                else transformers.AutoModelForCausalLM
            )
            self.model = loader.from_pretrained(source, local_files_only=True)
        except OSError as exc:
            raise InvalidInputError(
                f"cannot load the transformers model '{source}': {exc}",
                hint="give a local folder with config.json and weights, or a model already in "
                "the Hugging Face cache (nothing is downloaded)",
            ) from exc
        self.model.eval()

    def identity(self) -> dict[str, str]:
        return {"provider": self.name, "model": self.source}

    def _prompt_text(
        self, messages: list[dict[str, str]], template_args: dict[str, Any] | None = None
    ) -> str:
        # Seq2seq models (BART, T5) take the plain text; chat models their own template.
        if not self.seq2seq and getattr(self.tokenizer, "chat_template", None):
            text: str = self.tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=True, **(template_args or {})
            )
            return text
        return "\n\n".join(m["content"] for m in messages if m["role"] != "assistant")

    def generate(self, call: ProviderCall) -> ProviderReply:
        torch = importlib.import_module("torch")

        if call.json_schema is not None:
            raise ProviderError(
                "an 'hf' model cannot enforce a JSON schema",
                hint="use structured_output='prompt' in its settings, or another model as judge",
            )
        text = self._prompt_text(call.messages, call.template_args)
        with self._lock, torch.no_grad():
            if call.seed is not None:
                torch.manual_seed(call.seed)
            encoded = self.tokenizer(text, return_tensors="pt", truncation=True)
            sampling = call.temperature > 0
            output = self.model.generate(
                **encoded,
                max_new_tokens=call.max_tokens,
                do_sample=sampling,
                temperature=call.temperature if sampling else None,
                top_p=call.top_p if sampling else None,
                top_k=call.top_k if sampling else None,
                min_p=call.min_p if sampling else None,
            )
        prompt_tokens = int(encoded["input_ids"].shape[1])
        generated = output[0] if self.seq2seq else output[0][prompt_tokens:]
        reply = str(self.tokenizer.decode(generated, skip_special_tokens=True)).strip()
        finish = "length" if len(generated) >= call.max_tokens else "stop"
        return ProviderReply(
            text=reply,
            input_tokens=prompt_tokens,
            output_tokens=len(generated),
            finish_reason=finish,
        )

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text)["input_ids"])

    def truncate(self, text: str, max_tokens: int) -> str:
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"][:max_tokens]
        return str(self.tokenizer.decode(ids, skip_special_tokens=True))

    def close(self) -> None:
        return None


def create_hf_provider(settings: LLMSettings, resources: ProviderResources) -> HuggingFaceProvider:
    return HuggingFaceProvider(settings)
