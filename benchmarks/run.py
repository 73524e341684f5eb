"""Benchmarks of the dataset core at 100k and 1M synthetic rows (``make bench``).

Every op runs in a fresh Python process, so its peak RSS is its own; the timer wraps the op only
(imports and opening the dataset happen before it). ``import`` is the exception: it is the wall
time of a whole ``python -c "import gristmill"``. Results go to benchmarks/results/core.json and
core.md (merged with earlier runs, so ``--only`` refreshes just some rows).

    .venv/bin/python benchmarks/run.py [--sizes 100000,1000000] [--only count,to_pandas]
    .venv/bin/python benchmarks/run.py --suite enrich        # embeddings, search, concepts, signals

``--suite`` picks the suites (default ``core,enrich``, both); the enrichment suite lives in
enrich.py and always runs at 100k rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402  (a sibling module: benchmarks/ is not a package)
import synthetic  # noqa: E402

WORK = synthetic.WORK_DIR
RESULT_PREFIX = "BENCH_RESULT "
CHILD_TIMEOUT_SECONDS = 3600
IMPORT_OP = "import"
# Imported before the timer starts: the op, not Python's module loading, is what we time.
# pandas is among them because DuckDB imports it on a process's first query anyway (the
# ``count_cold`` op shows what that first query costs).
WARM_MODULES = ("duckdb", "numpy", "pandas", "pyarrow", "pyarrow.compute", "pyarrow.parquet")
WARM_GRISTMILL = (
    "gristmill.data.datasets",
    "gristmill.data.curation",
    "gristmill.data.export",
    "gristmill.data.mapping",
    "gristmill.data.derived",
    "gristmill.dataset",
    "gristmill.data.stats",
    "gristmill.jobs._job",  # the job log (SQLAlchemy), opened by create and map
    "gristmill.jobs._store",
    "gristmill.jobs.executors",
)


def _rss_mib(who: int) -> float:
    # ru_maxrss is in KiB on Linux.
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def _current_rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


# --- inside the child process ------------------------------------------------------------------


def child_main(mode: str, op_name: str, size: int) -> None:
    """Run one op (``run``), its set-up (``prepare``) or ``reset`` and print one result line."""
    import importlib

    import core
    import gristmill as gm

    op = core.OPS_BY_NAME.get(op_name)
    if op is None or not op.cold:
        for module in WARM_MODULES + WARM_GRISTMILL:
            importlib.import_module(module)
    ctx = core.BenchContext(size, synthetic.dataset_path(size), WORK, synthetic.parquet_path(size))
    gm.set_project_dir(ctx.project)
    if mode == "reset" or op is None:
        core.reset(ctx)
        return
    if mode == "prepare":
        if op.name == "create_parquet":
            # Here, not in the parent: a child's ru_maxrss starts at its parent's peak (Linux
            # keeps it across exec), so DuckDB's copy would show in every later op's figure.
            synthetic.ensure_parquet(size)
        if op.prepare is not None:
            op.prepare(ctx)
        return
    rss_before = _current_rss_mib()
    started = time.perf_counter()
    info = op.run(ctx)
    seconds = time.perf_counter() - started
    result = {
        "seconds": round(seconds, 4),
        "peak_rss_mib": _rss_mib(resource.RUSAGE_SELF),
        "children_peak_rss_mib": _rss_mib(resource.RUSAGE_CHILDREN),
        "rss_before_mib": rss_before,
        "info": info,
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)


# --- in the parent -------------------------------------------------------------------------------


def _spawn(
    mode: str, op: str, size: int, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, op]
    command += ["--sizes", str(size)]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        env={**os.environ, **(env or {})},
        check=False,
    )


def _failure(step: str, proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
    return {"error": f"{step} exited with {proc.returncode}: " + " | ".join(tail)}


def _parse_result(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            parsed: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return parsed
    return _failure("run", proc)


def run_op(op_name: str, size: int) -> dict[str, Any]:
    import core

    op = core.OPS_BY_NAME[op_name]
    if op.max_rows is not None and size > op.max_rows:
        return {"skipped": op.skip_reason}
    prepared = _spawn("prepare", op_name, size)
    if prepared.returncode != 0:
        return _failure("prepare", prepared)
    crash: dict[str, Any] = {}
    if op.crash_first:
        kill_at = size // 2
        started = time.perf_counter()
        killed = _spawn("run", op_name, size, {core.KILL_AT_ENV: str(kill_at)})
        if killed.returncode != -signal.SIGKILL:
            return _failure("the run meant to be killed", killed)
        crash = {"killed_at_row": kill_at, "killed_run_s": round(time.perf_counter() - started, 2)}
    result = _parse_result(_spawn("run", op_name, size))
    result.setdefault("info", {}).update(crash)
    return result


def run_import() -> dict[str, Any]:
    """Wall time of ``python -c "import gristmill"`` (interpreter start included), and its RSS."""
    code = (
        "import json, resource, time; t = time.perf_counter(); import gristmill; "
        "s = time.perf_counter() - t; "
        "print(json.dumps([s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))"
    )
    bare_started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    bare = time.perf_counter() - bare_started
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    import_seconds, peak = json.loads(proc.stdout)
    return {
        "seconds": round(wall, 4),
        "peak_rss_mib": round(peak, 1),
        "info": {"import_only_s": round(import_seconds, 4), "bare_python_s": round(bare, 4)},
    }


def _dataset_exists(size: int) -> bool:
    import core
    from gristmill.data.store import MANIFEST_FILENAME, dataset_dir

    folder = dataset_dir(core.NAMESPACE, f"rows_{size}", WORK / "project")
    return (folder / MANIFEST_FILENAME).exists()


def bench_size(
    size: int, only: list[str] | None, save: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Run the ops at one size; ``save`` gets the results so far after each op (a 10M-row run
    takes an hour, and one that is stopped half-way keeps what it measured)."""
    import core

    started = time.perf_counter()
    jsonl = synthetic.ensure_dataset(size)
    print(f"[{size}] data: {jsonl.name} ({time.perf_counter() - started:.1f}s to get ready)")
    names = [op.name for op in core.OPS if only is None or op.name in only]
    results: dict[str, Any] = {}
    load_before = os.getloadavg()
    if "create" not in names:
        if not _dataset_exists(size):
            # The other ops need the dataset: create it, untimed, when create is not benchmarked.
            loaded = _spawn("run", "create", size)
            if loaded.returncode != 0:
                raise SystemExit(f"could not create the {size}-row dataset: {loaded.stderr}")
        _spawn("reset", "-", size)
    for name in names:
        results[name] = run_op(name, size)
        print(f"[{size}] {report.describe(name, results[name])}", flush=True)
        if name in ("create", "create_parquet"):
            _spawn("reset", "-", size)
        save({**results, "_run": _run_info(names, load_before)})
    _spawn("reset", "-", size)
    results["_run"] = _run_info(names, load_before)
    return results


def _run_info(names: list[str], load_before: tuple[float, float, float]) -> dict[str, Any]:
    return {"ops": names, "load_before": load_before, "load_after": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Gristmill benchmarks: the dataset core and the enrichment suite."
    )
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated row counts")
    parser.add_argument("--only", default=None, help="comma-separated op names (default: all)")
    parser.add_argument("--suite", default="core,enrich", help="comma-separated: core, enrich")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "OP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.child:
        child_main(args.child[0], args.child[1], sizes[0])
        return

    import core
    import enrich

    suites = {s.strip() for s in args.suite.split(",") if s.strip()}
    if not suites or suites - {"core", "enrich"}:
        parser.error(f"unknown suite in {args.suite!r}; known: core, enrich")
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    core_names = {IMPORT_OP, *core.OPS_BY_NAME}
    known = core_names | enrich.names() if "enrich" in suites else core_names
    unknown = sorted(set(only or []) - known)
    if unknown:
        parser.error(f"unknown ops {unknown}; known: {', '.join(sorted(known))}")
    if "core" in suites and (only is None or set(only) & core_names):
        run_core(sizes, only)
    if "enrich" in suites and (only is None or set(only) & enrich.names()):
        enrich.run_suite(only)


def run_core(sizes: list[int], only: list[str] | None) -> None:
    results = report.load_results()
    results["machine"] = report.machine_info()
    if only is None or IMPORT_OP in only:
        results["import"] = run_import()
        print(report.describe(IMPORT_OP, results["import"]), flush=True)
    for size in sizes:
        previous = results.setdefault("sizes", {}).get(str(size), {})

        def save(
            measured: dict[str, Any], previous: dict[str, Any] = previous, key: str = str(size)
        ) -> None:
            # Read again first: a run of another size may have written since (a 10M-row run
            # beside a 1M one), and only this size's figures are this run's to replace.
            on_disk = report.load_results()
            results["sizes"] = {**results["sizes"], **on_disk.get("sizes", {})}
            # Each run's load average is kept: one size's figures may come from several runs.
            runs = [r for r in previous.get("_runs", []) if set(r.get("ops", [])) - set(measured)]
            if "_run" in measured:
                runs.append(measured["_run"])
            results["sizes"][key] = {**previous, **measured, "_runs": runs}
            report.write_results(results)

        save(bench_size(size, only, save))
    print()
    print(report.markdown_table(results))
    print(f"\nwritten: {report.JSON_PATH} and {report.MARKDOWN_PATH}")


if __name__ == "__main__":
    main()
