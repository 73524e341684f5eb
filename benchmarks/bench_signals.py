"""Time every built-in signal on 100k alpaca-shaped rows, and near-duplicate precision/recall.

Usage: ``python benchmarks/bench_signals.py [--rows 100000] [--data PATH]``

Rows are alpaca outputs (``../shared/data/alpaca_subset``) drawn at random and edited (word
substitutions, deletions, insertions, case and punctuation changes), so the set is full of near
duplicates, as real instruction data is. A few rows carry planted PII, and some are None or
blank. Semantic duplicates run on synthetic unit vectors (384 dims) with planted near copies,
since embeddings are not this area's job. Figures are wall-clock and CPU seconds (CPU counts
every thread, so BLAS-threaded work can show more CPU than wall time).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data/alpaca_subset/alpaca_data_5k.jsonl"
)
FILLERS = ["the", "a", "very", "new", "data", "really", "also", "just", "simple", "important"]
PII_SNIPPETS = [
    " Contact jane.doe@example.com for details.",
    " Call +1 (555) 123-4567 today.",
    " Server 192.168.10.20 is down.",
    " Card 4111 1111 1111 1111 was charged.",
    " aws key AKIAIOSFODNN7EXAMPLE leaked",
]


def load_outputs(path: Path) -> list[str]:
    with path.open() as file:
        return [json.loads(line)["output"] for line in file if line.strip()]


def edit(text: str, rng: random.Random, rate: float) -> str:
    """A near copy: about ``rate`` of the words substituted, deleted or inserted."""
    words = text.split()
    for _ in range(max(1, round(len(words) * rate))):
        if not words:
            break
        i = rng.randrange(len(words))
        operation = rng.random()
        if operation < 0.4:
            words[i] = rng.choice(FILLERS)
        elif operation < 0.7:
            del words[i]
        else:
            words.insert(i, rng.choice(FILLERS))
    result = " ".join(words) or "x"
    if rng.random() < 0.3:
        result = result.replace(",", "")
    if rng.random() < 0.1:
        result = result.upper()
    return result


def make_rows(outputs: list[str], count: int, seed: int = 0) -> list[str | None]:
    rng = random.Random(seed)
    rows: list[str | None] = []
    for i in range(count):
        if i % 500 == 0:
            rows.append(None if i % 1000 == 0 else "   ")
            continue
        text = rng.choice(outputs)
        if rng.random() < 0.8:
            text = edit(text, rng, rng.choice([0.02, 0.05, 0.15]))
        if rng.random() < 0.02:
            text += rng.choice(PII_SNIPPETS)
        rows.append(text)
    return rows


def planted_near_duplicates(
    outputs: list[str], originals: int = 2000, seed: int = 1
) -> tuple[list[str], set[tuple[int, int]]]:
    """Real texts plus a near copy (about 4% of words edited) of every fourth one."""
    rng = random.Random(seed)
    texts = [text for text in outputs if len(text) >= 80][:originals]
    truth: set[tuple[int, int]] = set()
    for i in range(0, len(texts), 4):
        texts.append(edit(texts[i], rng, 0.04))
        truth.add((i, len(texts) - 1))
    return texts, truth


def clustered_pairs(cluster_ids: list[int | None]) -> set[tuple[int, int]]:
    groups: defaultdict[int, list[int]] = defaultdict(list)
    for i, cluster in enumerate(cluster_ids):
        if cluster is not None:
            groups[cluster].append(i)
    return {
        (members[a], members[b])
        for members in groups.values()
        for a in range(len(members))
        for b in range(a + 1, len(members))
    }


def timed(label: str, function: Callable[[], Any]) -> Any:
    """Wall and CPU seconds: on a shared machine, CPU time shows the cost without contention."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<44} {wall:8.2f} s wall {used:8.2f} s cpu", flush=True)
    return result


def main() -> None:
    import numpy as np

    from gristmill import signals

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()

    outputs = load_outputs(args.data)
    rows = make_rows(outputs, args.rows)
    chars = sum(len(text) for text in rows if text)
    print(f"{len(rows):,} rows, mean {chars / len(rows):.0f} chars ({sys.platform})")

    for signal in (
        signals.TextStatisticsSignal(),
        signals.LangDetectionSignal(),
        signals.PIISignal(),
        signals.ExactDuplicateSignal(),
        signals.NearDuplicateSignal(threshold=0.8),
    ):
        timed(f"{signal.name} ({len(rows):,} rows)", lambda s=signal: s.compute(rows))

    rng = np.random.default_rng(0)
    base = rng.normal(size=(args.rows // 2, 384)).astype(np.float32)
    noise = rng.normal(size=base.shape).astype(np.float32) * 0.01
    vectors = np.concatenate([base, base + noise])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    semantic = signals.SemanticDuplicateSignal(threshold=0.95)
    found = timed(
        f"semantic_duplicates ({len(vectors):,} x 384)",
        lambda: semantic.compute_from_vectors(vectors),
    )
    half = args.rows // 2
    recovered = sum(found[i]["cluster_id"] == found[i + half]["cluster_id"] for i in range(half))
    print(f"  semantic planted pairs recovered: {recovered / half:.4f}")

    texts, truth = planted_near_duplicates(outputs)
    near = signals.NearDuplicateSignal(threshold=0.8)
    predicted = clustered_pairs([row["cluster_id"] for row in near.compute(texts)])
    hits = len(predicted & truth)
    print(
        f"near-duplicate P/R on {len(texts):,} texts with {len(truth)} planted copies: "
        f"precision {hits / max(len(predicted), 1):.3f}, recall {hits / len(truth):.3f} "
        f"(bands, rows = {near.lsh_bands()})"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
