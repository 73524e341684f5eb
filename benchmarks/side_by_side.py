"""Gristmill and Lilac side by side: the same steps on the same rows (``make bench-lilac``).

Every step runs for each tool in a fresh process of that tool's own Python (Gristmill: this
venv, ``side_by_side_gristmill.py``; Lilac: a separate venv, ``side_by_side_lilac.py``, which
imports only Lilac, the standard library and NumPy), after an untimed ``prepare`` process that
puts the dataset in the state the step needs. Imports and opening the dataset happen before the
timer. The tool that goes first alternates from step to step, so a change in the machine's load
hits both alike. Results go to benchmarks/results/side_by_side.json and .md, written after every
step (merged with earlier runs, so ``--only`` refreshes some rows).

    .venv/bin/python benchmarks/side_by_side.py                        # 100k rows, every step
    .venv/bin/python benchmarks/side_by_side.py --sizes 100000,1000000
    .venv/bin/python benchmarks/side_by_side.py --only count,stats
    .venv/bin/python benchmarks/side_by_side.py --lilac-python none    # Gristmill alone

``--lilac-python`` defaults to benchmarks/.work/lilac-venv/bin/python when it exists
(``make lilac-env`` creates it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402  (a sibling module: benchmarks/ is not a package)
import side_by_side_steps as spec  # noqa: E402
import synthetic  # noqa: E402

WORK = synthetic.WORK_DIR
DEFAULT_LILAC_PYTHON = WORK / "lilac-venv" / "bin" / "python"
RESULTS_JSON = HERE / "results" / "side_by_side.json"
RESULTS_MD = HERE / "results" / "side_by_side.md"
GOAL_RATIO = 1 / 3
CHILD_TIMEOUT_SECONDS = 3600
TOOLS = ("gristmill", "lilac")
# What each runner does that the other does not; read every ratio with these in mind.
NOTES = (
    "- create: each tool's whole `create_dataset` from the JSONL file. Lilac's also runs"
    " `default_settings` (a stats pass over the text columns) after writing its Parquet file.",
    "- select_*, sort, regex_select: both return every column of every row as Python dicts;"
    " Lilac's `select_rows` returns 100 rows unless `limit=None`, which its runner passes.",
    "- stats: Lilac computes the average length on a 1,000-row sample and, for text longer than"
    " 250 characters on average (as `response` is), does not count distinct values at all (it"
    " reports the row count); Gristmill counts distinct values (HyperLogLog) and the exact"
    " average length over every row. Lilac does less work here.",
    "- keyword_*: Lilac's keyword search is an unranked case-insensitive substring filter"
    " (`ILIKE '%function%'`, which would also match `functions`); Gristmill's is BM25 ranked,"
    " on its index if one exists or by a scan. The query is one word so both select the same"
    " rows (2,969 of the 100k here); Gristmill also scores and sorts them.",
    "- keyword_first is a fresh process's first search with Gristmill's BM25 index built (as"
    " the load's background job leaves it), keyword_scan the same before any index exists"
    " (`index_before` says which); keyword_warm and keyword_all have the index built first"
    " (untimed `compute_keyword_index`). Lilac has no index: its first search is the same.",
    "- delete, count_after_delete, restore: not run for Lilac. Lilac 0.3.9 keeps labels"
    " (deletions are one) in SQLite files its DuckDB 0.9.2 reads through the sqlite_scanner"
    " extension, downloaded on first use; nothing reaches extensions.duckdb.org here. `label`"
    " runs (it only writes the file); Lilac's reset then removes the label files directly.",
    "- open_s (in the figures below): opening the dataset, before the timer. Lilac's"
    " `get_dataset` connects to DuckDB; Gristmill connects on its first query, so its runner"
    " opens the connection there too (a Gristmill figure without open_s comes from an earlier"
    " harness that timed the connection, ~0.05-0.1 s, inside the step).",
    "- signal_lang: each tool's own detector (Gristmill: langid, batched; Lilac: langdetect per"
    " text, with the signal's default parallelism). Lilac's PII and text-statistics signals"
    " need spaCy models from the hub, so they are not compared.",
    "- embed / semantic: the same hashed bag-of-words function (`bow_embedding.py`) in both,"
    " one vector per instruction (Lilac's `identity_chunker`; Gristmill keeps a text of at most"
    " 512 characters as one span). Each tool stores vectors its own way (Gristmill: an exact"
    " index of its float32 vectors on disk; Lilac: its default vector store).",
    "- map: `len` of `response`, written as a new column. Lilac's `map` runs on joblib (loky"
    " processes for `execution_type='processes'`), writes a JSONL cache and then reshards it to"
    " Parquet; Gristmill's writes resumable Parquet chunks, then one column file.",
)
RUNNERS = {
    "gristmill": HERE / "side_by_side_gristmill.py",
    "lilac": HERE / "side_by_side_lilac.py",
}


def project_dir(tool: str) -> Path:
    return WORK / f"sbs-{tool}-project"


def tool_env(tool: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if tool == "lilac":
        # No hub downloads work here, and nothing should leave the machine.
        env.update(
            {
                "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1",
                "HF_DATASETS_OFFLINE": "1",
                "LILAC_PROJECT_DIR": str(project_dir("lilac")),
                "DISABLE_LOGS": "true",
                "DO_NOT_TRACK": "1",
                "TOKENIZERS_PARALLELISM": "false",
            }
        )
    return env


def spawn(
    tool: str, python: str, mode: str, step: str, size: int, jsonl: Path
) -> subprocess.CompletedProcess[str]:
    command = [python, str(RUNNERS[tool]), "--project", str(project_dir(tool))]
    command += ["--jsonl", str(jsonl), "--size", str(size), mode, step]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        env=tool_env(tool),
        check=False,
    )


def _failure(what: str, proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
    return {"error": f"{what} exited with {proc.returncode}: " + " | ".join(tail)}


def run_step(tool: str, python: str, step: spec.Step, size: int, jsonl: Path) -> dict[str, Any]:
    try:
        if step.prepare:
            prepared = spawn(tool, python, "prepare", step.name, size, jsonl)
            if prepared.returncode != 0:
                return _failure("prepare", prepared)
        load_before = os.getloadavg()[0]
        proc = spawn(tool, python, "run", step.name, size, jsonl)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {CHILD_TIMEOUT_SECONDS} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(spec.RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(spec.RESULT_PREFIX) :])
            if "skipped" in result:
                return result
            result["load_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            return result
    return _failure("run", proc)


def describe(tool: str, result: dict[str, Any]) -> str:
    if "error" in result:
        return f"{tool}: FAILED {result['error']}"
    if "skipped" in result:
        return f"{tool}: not run ({result['skipped']})"
    return (
        f"{tool}: {result['seconds']:.3f}s, peak {result['peak_rss_mib']:.0f} MiB,"
        f" load {result['load_1min']} {json.dumps(result.get('info', {}))}"
    )


# --- the report ----------------------------------------------------------------------------------


def ratio(row: dict[str, Any]) -> float | None:
    ours, theirs = row.get("gristmill", {}), row.get("lilac", {})
    if "seconds" not in ours or "seconds" not in theirs or theirs["seconds"] <= 0:
        return None
    return float(ours["seconds"]) / float(theirs["seconds"])


def _seconds(result: dict[str, Any] | None) -> str:
    if not result:
        return "—"
    if "error" in result:
        return "failed"
    if "skipped" in result:
        return "n/a"
    return f"{result['seconds']:.3f}"


def _peak(result: dict[str, Any] | None) -> str:
    if not result or "peak_rss_mib" not in result:
        return "—"
    peak = f"{result['peak_rss_mib']:.0f}"
    children = result.get("children_peak_rss_mib") or 0
    return f"{peak} (+{children:.0f})" if children else peak


def _size_label(size: str) -> str:
    n = int(size)
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def markdown(results: dict[str, Any]) -> str:
    machine = results.get("machine", {})
    lines = [
        "# Gristmill and Lilac side by side",
        "",
        'Written by `benchmarks/side_by_side.py` (see benchmarks/README.md, "Side by side with'
        ' Lilac"). Every step runs for each tool in a fresh process, imports and opening the'
        " dataset before the timer; the tool that goes first alternates per step. The goal is"
        " Gristmill at most a third of Lilac's time (ratio <= 0.333). Peak MiB is the timed"
        " process's peak RSS (+ the largest child process it ran: a map's workers; every Lilac"
        " process shows ~62 MiB there, from a child its start-up runs). Load is the 1-minute"
        " load average before and after the timed process: the machine has 2 cores"
        " and is shared, so read every figure beside it.",
        "",
        f"- date: {machine.get('date', '?')}; commit {machine.get('git_commit', '?')}",
        f"- machine: {machine.get('nproc', '?')} cores ({machine.get('cpu_model', '?')}),"
        f" {machine.get('ram_gib', '?')} GiB RAM; Python {machine.get('python', '?')}",
        f"- versions: {json.dumps(results.get('versions', {}))}",
    ]
    for size, block in sorted(results.get("sizes", {}).items(), key=lambda kv: int(kv[0])):
        run = block.get("_run", {})
        lines += [
            "",
            f"## {_size_label(size)} rows",
            "",
            f"Load average (1, 5, 15 min) before the run {run.get('load_before', '?')},"
            f" after {run.get('load_after', '?')}.",
            "",
            "| step | what | Gristmill s | Lilac s | ratio | goal ≤ 1/3 | Gristmill peak MiB |"
            " Lilac peak MiB | load G | load L |",
            "|---|---|---:|---:|---:|---|---:|---:|---|---|",
        ]
        ratios: list[float] = []
        for step in spec.STEPS:
            row = block.get(step.name)
            if row is None:
                continue
            found = ratio(row)
            if found is not None:
                ratios.append(found)
            met = "—" if found is None else ("yes" if found <= GOAL_RATIO else "**no**")
            ours, theirs = row.get("gristmill"), row.get("lilac")
            lines.append(
                f"| {step.name} | {step.description} | {_seconds(ours)} | {_seconds(theirs)} |"
                f" {'—' if found is None else f'{found:.3f}'} | {met} | {_peak(ours)} |"
                f" {_peak(theirs)} | {(ours or {}).get('load_1min', '—')} |"
                f" {(theirs or {}).get('load_1min', '—')} |"
            )
        if ratios:
            missed = sum(1 for r in ratios if r > GOAL_RATIO)
            lines += [
                "",
                f"Median ratio Gristmill/Lilac over {len(ratios)} steps:"
                f" **{statistics.median(ratios):.3f}**; {missed} step(s) miss the 1/3 goal.",
            ]
        failures = [
            f"- {name} ({tool}): {row[tool]['error']}"
            for name, row in block.items()
            if not name.startswith("_")
            for tool in TOOLS
            if "error" in row.get(tool, {})
        ]
        if failures:
            lines += ["", "Failures:", "", *failures]
        skipped = sorted(
            {
                f"- {tool} cannot run {name} here: {row[tool]['skipped']}"
                for name, row in block.items()
                if not name.startswith("_")
                for tool in TOOLS
                if "skipped" in row.get(tool, {})
            }
        )
        if skipped:
            lines += ["", "Not run:", "", *skipped]
        lines += ["", "What each step returned (rows, matches...), per tool:", ""]
        for step in spec.STEPS:
            row = block.get(step.name)
            if row is None:
                continue
            infos = {t: row[t].get("info") for t in TOOLS if t in row and "info" in row[t]}
            lines.append(f"- {step.name}: {json.dumps(infos)}")
    lines += ["", "## Where the two tools do different work", "", *NOTES]
    # Said by whoever ran it (e.g. a step stopped by hand), kept in the JSON with the figures.
    run_notes = results.get("run_notes", [])
    if run_notes:
        lines += ["", "## Notes on this run", "", *(f"- {note}" for note in run_notes)]
    return "\n".join(lines) + "\n"


def load_results() -> dict[str, Any]:
    if RESULTS_JSON.exists():
        loaded: dict[str, Any] = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
        return loaded
    return {}


def write_results(results: dict[str, Any]) -> None:
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    RESULTS_MD.write_text(markdown(results), encoding="utf-8")


def versions(lilac_python: str | None) -> dict[str, str]:
    found = {
        "python": platform.python_version(),
        "gristmill": metadata.version("gristmill"),
        "duckdb (gristmill)": metadata.version("duckdb"),
    }
    if lilac_python:
        code = (
            "import json, platform; from importlib import metadata as m; print(json.dumps("
            "{'lilac': m.version('lilac'), 'duckdb (lilac)': m.version('duckdb'),"
            " 'python (lilac)': platform.python_version()}))"
        )
        proc = subprocess.run(
            [lilac_python, "-c", code], capture_output=True, text=True, check=False
        )
        if proc.returncode == 0:
            found.update(json.loads(proc.stdout))
    return found


# --- the run -------------------------------------------------------------------------------------


def bench_size(
    size: int,
    steps: list[spec.Step],
    pythons: dict[str, str],
    results: dict[str, Any],
) -> None:
    jsonl = synthetic.ensure_dataset(size)
    block: dict[str, Any] = results.setdefault("sizes", {}).setdefault(str(size), {})
    if not any(s.name == "create" for s in steps):
        # The steps without a prepare process expect the dataset as loaded: make sure it is.
        for tool, python in pythons.items():
            reset = spawn(tool, python, "reset", "count", size, jsonl)
            if reset.returncode != 0:
                raise SystemExit(f"{tool}: {_failure('reset', reset)['error']}")
    run_info = {"load_before": [round(x, 2) for x in os.getloadavg()]}
    for index, step in enumerate(steps):
        # Alternate who goes first, so a load spike is as likely to hit either tool.
        order = list(pythons) if index % 2 == 0 else list(reversed(list(pythons)))
        row: dict[str, Any] = {}
        for tool in order:
            row[tool] = run_step(tool, pythons[tool], step, size, jsonl)
            print(f"[{size}] {step.name} {describe(tool, row[tool])}", flush=True)
        block[step.name] = row
        found = ratio(row)
        if found is not None:
            print(f"[{size}] {step.name} ratio {found:.3f}", flush=True)
        block["_run"] = {**run_info, "load_after": [round(x, 2) for x in os.getloadavg()]}
        write_results(results)
    for tool, python in pythons.items():
        spawn(tool, python, "reset", "count", size, jsonl)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated row counts")
    parser.add_argument("--only", default=None, help="comma-separated step names (default: all)")
    default_lilac = str(DEFAULT_LILAC_PYTHON) if DEFAULT_LILAC_PYTHON.exists() else "none"
    parser.add_argument(
        "--lilac-python",
        default=default_lilac,
        help=f"Lilac's python, or 'none' for Gristmill alone (default: {default_lilac})",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="only rewrite side_by_side.md from side_by_side.json",
    )
    args = parser.parse_args()
    if args.report_only:
        write_results(load_results())
        print(RESULTS_MD.read_text(encoding="utf-8"))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    unknown = sorted(set(only or []) - set(spec.STEPS_BY_NAME))
    if unknown:
        parser.error(f"unknown steps {unknown}; known: {', '.join(spec.STEPS_BY_NAME)}")
    steps = [s for s in spec.STEPS if only is None or s.name in only]
    pythons = {"gristmill": sys.executable}
    lilac_python = None if args.lilac_python == "none" else args.lilac_python
    if lilac_python is not None:
        if not Path(lilac_python).exists():
            parser.error(f"no Lilac python at {lilac_python} (make lilac-env creates one)")
        pythons["lilac"] = lilac_python
    results = load_results()
    results["machine"] = report.machine_info()
    results["versions"] = versions(lilac_python)
    for size in sizes:
        bench_size(size, steps, pythons, results)
    write_results(results)
    print()
    print(RESULTS_MD.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
