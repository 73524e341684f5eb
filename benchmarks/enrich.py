"""Benchmarks of the enrichment layer (issue 3) on the 100k synthetic rows (``make bench``).

Embeddings (``wordllama`` on all rows, ``minilm`` on a 5,000-row slice), keyword and semantic
search latency (cold and warm, with and without a filter), concept training and scoring, every
built-in signal, and two quality figures (near-duplicate precision/recall on planted copies; the
concepts' held-out F1 from docs/concepts.md). Each op runs in a fresh process, as in the core
suite (``run.py``), and gets its own peak RSS. The dataset lives in its own project folder
(``benchmarks/.work/enrich-project``) so this suite and the core one never share files.

    .venv/bin/python benchmarks/enrich.py [--only embed_wordllama,keyword_warm]
    .venv/bin/python benchmarks/run.py --suite enrich
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import enrich_ops as eo  # noqa: E402  (siblings: benchmarks/ is not a package)
import enrich_report  # noqa: E402
import run as harness  # noqa: E402

RESULTS = HERE / "results"
JSON_PATH, MARKDOWN_PATH = RESULTS / "enrich.json", RESULTS / "enrich.md"

# --- child and parent -------------------------------------------------------------------------


def child_main(mode: str, op_name: str) -> None:
    import importlib

    import gristmill as gm

    gm.set_project_dir(eo.PROJECT)
    if mode == "setup":
        eo.setup()
        return
    op = {o.name: o for o in eo.ops()}[op_name]
    if mode == "prepare":
        if op.prepare is not None:
            op.prepare()
        return
    info: dict[str, Any] = {}
    if not op.cold:
        for module in harness.WARM_MODULES:
            importlib.import_module(module)
        eo.dataset()
    for embedding in op.preload:
        from gristmill.embed import get_embedding

        started = time.perf_counter()
        get_embedding(embedding).embed(["warm up the model"])
        info[f"{embedding}_load_s"] = round(time.perf_counter() - started, 2)
    rss_before = harness._current_rss_mib()
    started = time.perf_counter()
    info.update(op.run())
    seconds = info.pop("_seconds", time.perf_counter() - started)
    result = {
        "seconds": round(seconds, 4),
        "peak_rss_mib": harness._rss_mib(harness.resource.RUSAGE_SELF),
        "rss_before_mib": rss_before,
        "info": info,
    }
    print(harness.RESULT_PREFIX + json.dumps(result), flush=True)


def _spawn(mode: str, op: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, op]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=harness.CHILD_TIMEOUT_SECONDS, check=False
    )


def run_suite(only: list[str] | None = None) -> dict[str, Any]:
    """Run the ops (all, or those named in ``only``), merge into enrich.json, write enrich.md."""
    proc = _spawn("setup", "-")
    if proc.returncode != 0:
        raise SystemExit(f"could not create the enrichment dataset: {proc.stderr}")
    results = enrich_report.load(JSON_PATH)
    results["machine"] = harness.report.machine_info()
    load_before = os.getloadavg()
    for op in eo.ops():
        if only is not None and op.name not in only:
            continue
        prepared = _spawn("prepare", op.name)
        result = (
            harness._failure("prepare", prepared)
            if prepared.returncode != 0
            else harness._parse_result(_spawn("run", op.name))
        )
        result["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
        results.setdefault("ops", {})[op.name] = result
        print(f"[enrich] {harness.report.describe(op.name, result)}", flush=True)
    results["run"] = {"load_before": load_before, "load_after": os.getloadavg()}
    results["concept_quality"] = enrich_report.concept_quality(eo.CONCEPTS_DOC)
    enrich_report.write(results, eo.ops(), JSON_PATH, MARKDOWN_PATH)
    print(f"\nwritten: {JSON_PATH} and {MARKDOWN_PATH}")
    return results


def names() -> set[str]:
    return {op.name for op in eo.ops()}


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark Gristmill's enrichment layer.")
    parser.add_argument("--only", default=None, help="comma-separated op names (default: all)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "OP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(*args.child)
        return
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    unknown = sorted(set(only or []) - names())
    if unknown:
        parser.error(f"unknown ops {unknown}; known: {', '.join(sorted(names()))}")
    run_suite(only)


if __name__ == "__main__":
    main()
