"""Latency of ``POST /select_rows`` through the real server (uvicorn thread, HTTP on loopback).

Loads the 100k-row synthetic dataset (``synthetic.py``) into a scratch project, starts the server
with ``gm.start_server(port=0)``, and times sequential requests with one keep-alive client:

- first page: 100 rows, all columns, no filter;
- filtered page: 100 rows where ``score < 0.1`` and ``category = 'coding'``, sorted by score;
- searched page: the 100 best BM25 matches of a keyword search.

    .venv/bin/python benchmarks/bench_server.py [--rows 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx

import gristmill as gm
from synthetic import ensure_dataset

QUERIES: dict[str, dict[str, Any]] = {
    "first page": {"limit": 100},
    "filtered page": {
        "limit": 100,
        "filters": [
            {"path": "score", "op": "less", "value": 0.1},
            {"path": "category", "op": "equals", "value": "coding"},
        ],
        "sort_by": ["score"],
        "sort_order": "ASC",
    },
    # BM25 over the instructions; the FTS index is built by the untimed warm-up request.
    "searched page": {
        "limit": 100,
        "searches": [{"type": "keyword", "path": "instruction", "query": "python function"}],
    },
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    source = ensure_dataset(args.rows)
    with tempfile.TemporaryDirectory(prefix="gristmill-bench-server-") as folder:
        gm.set_project_dir(folder)
        gm.create_dataset(
            gm.DatasetConfig(
                namespace="bench", name="rows", source=gm.JSONSource(filepaths=[str(source)])
            ),
            show_progress=False,
        )
        with (
            gm.start_server(port=0) as server,
            httpx.Client(trust_env=False, timeout=600) as client,
        ):
            url = f"{server.url}/api/v1/datasets/bench/rows/select_rows"
            for name, body in QUERIES.items():
                for _ in range(5):  # warm caches (Parquet metadata, DuckDB plans)
                    client.post(url, json=body).raise_for_status()
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    response = client.post(url, json=body)
                    times.append((time.perf_counter() - start) * 1000)
                    response.raise_for_status()
                total = response.json()["total_num_rows"]
                print(
                    f"{name:14s} rows={args.rows} matching={total} n={args.requests}"
                    f"  p50={statistics.median(times):.1f} ms  p95={percentile(times, 0.95):.1f} ms"
                )


if __name__ == "__main__":
    main()
