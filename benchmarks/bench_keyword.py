"""Keyword search at 100k and 1M rows (issue 16): the index built after a load, the first search
by scan and with the index, a warm search, and a search returning every matching row.

Every op runs in a fresh process that imported only ``gristmill`` and opened the dataset before
the clock starts (so DuckDB, pyarrow, the FTS extension and, where it happens, pandas load inside
the timed call, as in a script's first search); peak MiB is that process's ``ru_maxrss``. An
untimed ``prepare`` step in a process of its own first puts the index in place or removes it.
The load average is recorded before and after each op.

    .venv/bin/python benchmarks/bench_keyword.py                  # 100k and 1M
    .venv/bin/python benchmarks/bench_keyword.py --sizes 100000 --only first_scan,all_rows

Datasets ``bench/kw_<n>`` live in ``benchmarks/.work/keyword-project``; results go to
``benchmarks/results/keyword.md`` and ``keyword.json`` (merged, so ``--only`` refreshes rows).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import synthetic

HERE = Path(__file__).resolve().parent
PROJECT = synthetic.WORK_DIR / "keyword-project"
RESULTS = HERE / "results"
TEXT = "instruction"
QUERY = "explain the function value"
LIMIT = 100
WARM_REPEATS = 20
Info = dict[str, Any]


def _name(size: int) -> str:
    return f"kw_{size}"


def _dataset(size: int) -> Any:
    import gristmill as gm

    return gm.get_dataset("bench", _name(size))


def _search() -> Any:
    import gristmill as gm

    return gm.KeywordSearch(path=TEXT, query=QUERY)


# --- untimed set-up ------------------------------------------------------------------------------


def _ensure_loaded(size: int) -> None:
    import gristmill as gm

    if any(d.namespace == "bench" and d.name == _name(size) for d in gm.list_datasets()):
        return
    source = gm.JSONSource(filepaths=[str(synthetic.ensure_dataset(size))])
    gm.create_dataset(
        gm.DatasetConfig(namespace="bench", name=_name(size), source=source),
        show_progress=False,
        keyword_index=False,
    )


def _drop_index(size: int) -> None:
    _ensure_loaded(size)
    shutil.rmtree(_dataset(size).store.root / "fts", ignore_errors=True)


def _ensure_index(size: int) -> None:
    _ensure_loaded(size)
    _dataset(size).compute_keyword_index(TEXT, show_progress=False)


# --- timed ops -----------------------------------------------------------------------------------


def _first_page(size: int) -> Info:
    rows = _dataset(size).select_rows(["__rowid__"], searches=[_search()], limit=LIMIT).to_list()
    return {"rows": len(rows), "pandas_imported": "pandas" in sys.modules}


def _all_rows(size: int) -> Info:
    count = 0
    highlighted = 0
    for row in _dataset(size).select_rows(["*"], searches=[_search()]):
        count += 1
        highlighted += bool(row[f"{TEXT}.keyword_search"]["spans"])
    return {"rows": count, "rows_highlighted": highlighted}


def _warm(size: int) -> Info:
    _first_page(size)
    times = []
    for _ in range(WARM_REPEATS):
        started = time.perf_counter()
        _first_page(size)
        times.append(time.perf_counter() - started)
    return {"_seconds": statistics.median(times), "max_s": round(max(times), 4)}


def _build(size: int, column: str = TEXT) -> Info:
    info = _dataset(size).compute_keyword_index(column, overwrite=True, show_progress=False)
    fts = _dataset(size).store.fts_path(column)
    return {"rows": info.num_rows, "index_mib": round(fts.stat().st_size / 2**20, 1)}


def _build_response(size: int) -> Info:
    """The longer column (~500 characters a row against ~80): 6x the words to index."""
    return _build(size, "response")


def _load_then_index(size: int) -> Info:
    """A load with the background build on: when the load returns, then when the prose
    columns' indexes are ready (the process waits for them)."""
    import gristmill as gm
    from gristmill.search import wait_for_background_indexes

    started = time.perf_counter()
    source = gm.JSONSource(filepaths=[str(synthetic.ensure_dataset(size))])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="bench", name=f"{_name(size)}_load", source=source),
        overwrite=True,
        show_progress=False,
        keyword_index=True,
    )
    returned = time.perf_counter() - started
    wait_for_background_indexes(ds)
    jobs = [j for j in gm.list_jobs() if j.kind == "keyword_index" and j.dataset == ds.full_name]
    built = sorted(p.stem for p in (ds.store.root / "fts").glob("*.duckdb"))
    gm.delete_dataset(ds.namespace, ds.name)
    return {
        "load_returned_s": round(returned, 3),
        "indexed": built,
        "jobs": [j.status for j in jobs][-len(built) :] if built else [],
    }


OPS: dict[str, tuple[str, Callable[[int], Info], Callable[[int], None] | None]] = {
    "first_scan": ("first search, no index (scan), limit 100", _first_page, _drop_index),
    "all_rows_scan": ("every matching row, no index (scan), iterated", _all_rows, _drop_index),
    "index_build": ("compute_keyword_index('instruction')", _build, _ensure_loaded),
    "index_build_response": ("compute_keyword_index('response')", _build_response, _ensure_loaded),
    "first_index": ("first search with the index, limit 100", _first_page, _ensure_index),
    "warm_index": ("later search with the index (median of 20)", _warm, _ensure_index),
    "all_rows_index": ("every matching row with the index, iterated", _all_rows, _ensure_index),
    "load_then_index": ("create_dataset, then its background index jobs", _load_then_index, None),
}
# The same ops in a process that imported DuckDB, pyarrow, NumPy and pandas before the clock
# (``benchmarks/run.py``'s way, and the side-by-side harness's): the search's own cost.
PREIMPORTED = ("first_scan", "first_index", "all_rows_index", "all_rows_scan")
for _op in PREIMPORTED:
    _description, _run, _prepare = OPS[_op]
    OPS[f"{_op}_preimported"] = (f"{_description}; libraries imported first", _run, _prepare)


# --- the harness ---------------------------------------------------------------------------------


def _child(op: str, size: int, prepare: bool) -> None:
    os.environ["GRISTMILL_PROJECT_DIR"] = str(PROJECT)
    import gristmill as gm

    gm.set_project_dir(PROJECT)
    _, run, prep = OPS[op]
    if prepare:
        if prep is not None:
            prep(size)
        return
    if op.endswith("_preimported"):
        import duckdb  # noqa: F401
        import numpy  # noqa: F401
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    if op != "load_then_index":
        _dataset(size)  # opened before the clock, as a script would have
    started = time.perf_counter()
    info = run(size)
    seconds = info.pop("_seconds", time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": round(peak), **info}))


def _spawn(op: str, size: int, prepare: bool) -> str:
    args = [sys.executable, __file__, "--child", op, "--size", str(size)]
    if prepare:
        args.append("--prepare")
    env = {**os.environ, "GRISTMILL_KEYWORD_INDEX": "off"}
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{op} at {size} failed:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--only", default=",".join(OPS))
    parser.add_argument("--child")
    parser.add_argument("--size", type=int)
    parser.add_argument("--prepare", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.size, args.prepare)
        return
    results_path = RESULTS / "keyword.json"
    results: dict[str, Any] = (
        json.loads(results_path.read_text()) if results_path.exists() else {"ops": {}}
    )
    for size in (int(s) for s in args.sizes.split(",")):
        for op in args.only.split(","):
            _spawn(op, size, prepare=True)
            before = Path("/proc/loadavg").read_text().split()[:3]
            measured = json.loads(_spawn(op, size, prepare=False))
            after = Path("/proc/loadavg").read_text().split()[:3]
            measured["load_before"], measured["load_after"] = before, after
            results["ops"].setdefault(op, {})[str(size)] = measured
            print(f"{op:16} {size:>8} {json.dumps(measured)}", flush=True)
    results["commit"] = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    _write_table(results)


def _write_table(results: dict[str, Any]) -> None:
    sizes = sorted({int(s) for per in results["ops"].values() for s in per})
    lines = [
        "# Keyword search (issue 16)",
        "",
        f"`benchmarks/bench_keyword.py`, query `{QUERY}` on `{TEXT}`, commit"
        f" {results.get('commit', '?')} plus the working tree. Each op in a fresh process that"
        " imported only gristmill; load average (1 min) before/after each op.",
        "",
        "| op | " + " | ".join(f"{s:,} s | peak MiB | load" for s in sizes) + " | notes |",
        "| --- | " + " | ".join("--- | --- | ---" for _ in sizes) + " | --- |",
    ]
    for op, (description, _, _) in OPS.items():
        per = results["ops"].get(op, {})
        cells = []
        notes = ""
        for size in sizes:
            m = per.get(str(size))
            if m is None:
                cells.append(" | | ")
                continue
            cells.append(
                f"{m['seconds']:.3f} | {m['peak_mib']} | {m['load_before'][0]}→{m['load_after'][0]}"
            )
            extra = {
                k: v
                for k, v in m.items()
                if k not in ("seconds", "peak_mib", "load_before", "load_after")
            }
            notes = f"{size:,}: {json.dumps(extra)}" if extra else notes
        lines.append(f"| {op}: {description} | " + " | ".join(cells) + f" | {notes} |")
    (RESULTS / "keyword.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
