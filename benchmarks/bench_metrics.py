"""Metric throughput (pairs/s) on DialogSum, and the cost of the statistics.

Each "pair" is one prediction (summary1) scored against two references (summary2, summary3) of a
DialogSum test dialogue. One-time loading (WordNet, the MiniLM model) is timed apart from scoring.

    .venv/bin/python benchmarks/bench_metrics.py [--pairs 500] [--metrics rouge bleu ...]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from gristmill.evals import (
    CorpusMetric,
    get_metric,
    list_metrics,
    load_wordnet,
    mean_ci,
    paired_comparison,
)

DIALOGSUM = (
    Path(__file__).resolve().parents[1].parent / "shared/data/dialogsum/dialogsum.test.jsonl"
)


def load_pairs(limit: int) -> tuple[list[str], list[list[str]]]:
    predictions: list[str] = []
    references: list[list[str]] = []
    with DIALOGSUM.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            predictions.append(row["summary1"])
            references.append([row["summary2"], row["summary3"]])
            if len(predictions) == limit:
                break
    return predictions, references


def warm_up(name: str) -> float:
    """Seconds of one-time loading before the first scored pair (outside the throughput)."""
    started = time.perf_counter()
    if name == "meteor":
        load_wordnet()
    get_metric(name).score(["warm up"], [["warm up text"]])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--metrics", nargs="*", default=None)
    args = parser.parse_args()
    predictions, references = load_pairs(args.pairs)
    names = args.metrics or list_metrics()
    print(f"{len(predictions)} DialogSum pairs, 2 references each\n")
    header = f"{'metric':<18}{'load s':>9}{'score s':>10}{'pairs/s':>11}"
    print(f"{header}  mean (95% CI) of the headline sub-metric")
    rows_by_metric: dict[str, list[float | None]] = {}
    for name in names:
        load = warm_up(name)
        metric = get_metric(name)
        started = time.perf_counter()
        scores = metric.score(predictions, references)
        elapsed = time.perf_counter() - started
        # The headline value: F1 where a metric has precision/recall/F1, else its first one.
        first = next((s for s in metric.sub_metrics if s.endswith("_f1")), metric.sub_metrics[0])
        rows_by_metric[first] = scores[first]
        estimate = mean_ci(scores[first])
        print(
            f"{name:<18}{load:>9.2f}{elapsed:>10.2f}{len(predictions) / elapsed:>11.0f}"
            f"  {first}={estimate.mean:.4f} ({estimate.ci_low:.4f}-{estimate.ci_high:.4f})"
        )
        if isinstance(metric, CorpusMetric):
            started = time.perf_counter()
            corpus = metric.corpus_score(predictions, references)
            elapsed = time.perf_counter() - started
            label = f"  corpus {name}"
            rate = len(predictions) / elapsed
            print(f"{label:<18}{'':>9}{elapsed:>10.2f}{rate:>11.0f}  {corpus}")
    values = next(iter(rows_by_metric.values()))
    started = time.perf_counter()
    for _ in range(10):
        mean_ci(values)
    per_call_ms = (time.perf_counter() - started) / 10 * 1000
    print(f"\nmean_ci, {len(values)} rows, 1000 resamples: {per_call_ms:.1f} ms")
    if len(rows_by_metric) >= 2:
        a, b = list(rows_by_metric.values())[:2]
        started = time.perf_counter()
        paired_comparison(a, [None if v is None else v * 0.9 for v in b])
        elapsed_ms = (time.perf_counter() - started) * 1000
        print(f"paired_comparison, {len(values)} rows: {elapsed_ms:.1f} ms")


if __name__ == "__main__":
    main()
