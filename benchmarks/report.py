"""The benchmark's results file (core.json), its Markdown table (core.md) and machine info."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import core

RESULTS_DIR = Path(__file__).resolve().parent / "results"
JSON_PATH = RESULTS_DIR / "core.json"
MARKDOWN_PATH = RESULTS_DIR / "core.md"
LILAC_IMPORT_SECONDS = 8.8
IMPORT_GOAL_SECONDS = 1.0
MEMORY_GOAL_MIB = 4096
IMPORT_DESCRIPTION = 'wall time of `python -c "import gristmill"`'


def machine_info() -> dict[str, Any]:
    cpu_model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        mem_kib = int(handle.readline().split()[1])
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "ram_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "duckdb": metadata.version("duckdb"),
        "pyarrow": metadata.version("pyarrow"),
        "git_commit": commit,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def load_results() -> dict[str, Any]:
    if JSON_PATH.exists():
        loaded: dict[str, Any] = json.loads(JSON_PATH.read_text(encoding="utf-8"))
        return loaded
    return {}


def write_results(results: dict[str, Any]) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    JSON_PATH.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    MARKDOWN_PATH.write_text(markdown_report(results), encoding="utf-8")


def describe(name: str, result: dict[str, Any]) -> str:
    if "error" in result:
        return f"{name}: FAILED {result['error']}"
    if "skipped" in result:
        return f"{name}: not run ({result['skipped']})"
    return (
        f"{name}: {result['seconds']:.3f}s, peak {result['peak_rss_mib']:.0f} MiB {_notes(result)}"
    )


def _size_label(size: str) -> str:
    n = int(size)
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return size


def _notes(result: dict[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in result.get("info", {}).items()]
    children = result.get("children_peak_rss_mib") or 0
    if children:
        parts.append(f"largest child process {children:.0f} MiB")
    return ", ".join(parts)


def _cells(result: dict[str, Any] | None) -> list[str]:
    if result is None:
        return ["", ""]
    if "error" in result:
        return ["failed", ""]
    if "skipped" in result:
        return ["not run", ""]
    return [f"{result['seconds']:.3f}", f"{result['peak_rss_mib']:.0f}"]


def _goal(lilac: float | None, measured: dict[str, Any] | None, goal: float | None = None) -> str:
    target = goal if goal is not None else (lilac / 3 if lilac is not None else None)
    if target is None:
        return ""
    if measured is None or "error" in measured or "skipped" in measured:
        return f"≤ {target:.2f}"
    mark = "met" if measured["seconds"] <= target else "**missed**"
    return f"≤ {target:.2f} {mark}"


def markdown_table(results: dict[str, Any]) -> str:
    sizes = sorted(results.get("sizes", {}), key=int)
    header = ["op"]
    for size in sizes:
        label = _size_label(size)
        header += [f"{label} s", f"{label} peak MiB"]
    header += ["Lilac 100k s", "goal (≤ Lilac/3)", "what is timed; notes (smallest size)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    reference = results.get("sizes", {}).get("100000") or (
        results["sizes"][sizes[0]] if sizes else {}
    )

    imported = results.get("import")
    row = ["import", *_cells(imported), *([""] * (2 * len(sizes) - 2))]
    row += [
        f"{LILAC_IMPORT_SECONDS}",
        _goal(None, imported, IMPORT_GOAL_SECONDS),
        f"{IMPORT_DESCRIPTION}; " + (_notes(imported) if imported else ""),
    ]
    lines.append("| " + " | ".join(row) + " |")
    for op in core.OPS:
        row = [op.name]
        for size in sizes:
            row += _cells(results["sizes"][size].get(op.name))
        first = reference.get(op.name)
        row += [
            f"{op.lilac_seconds}" if op.lilac_seconds is not None else "",
            _goal(op.lilac_seconds, first),
            f"{op.description}; {_notes(first) if first and 'seconds' in first else ''}",
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _failures(results: dict[str, Any]) -> list[str]:
    found = []
    for size, ops in results.get("sizes", {}).items():
        for name, result in ops.items():
            if isinstance(result, dict) and "error" in result:
                found.append(f"- {name} at {_size_label(size)}: {result['error']}")
            elif not name.startswith("_") and result.get("peak_rss_mib", 0) > MEMORY_GOAL_MIB:
                found.append(f"- {name} at {_size_label(size)}: peak RSS over 4 GiB")
    return found


def _skipped(results: dict[str, Any]) -> list[str]:
    reasons: dict[tuple[str, str], tuple[list[str], str]] = {}
    for size, ops in sorted(results.get("sizes", {}).items(), key=lambda kv: int(kv[0])):
        for name, result in ops.items():
            if isinstance(result, dict) and "skipped" in result:
                sizes, _ = reasons.setdefault((name, result["skipped"]), ([], result["skipped"]))
                sizes.append(_size_label(size))
    return [f"- {key[0]} at {', '.join(s)}: {why}" for key, (s, why) in reasons.items()]


def _largest_size_notes(results: dict[str, Any]) -> list[str]:
    """The notes of the largest size (the table's last column gives the smallest one's)."""
    sizes = sorted(results.get("sizes", {}), key=int)
    if len(sizes) < 2:
        return []
    largest = results["sizes"][sizes[-1]]
    lines = [f"Notes at {_size_label(sizes[-1])} rows:"]
    for op in core.OPS:
        result = largest.get(op.name)
        if result and "seconds" in result and _notes(result):
            lines.append(f"- {op.name}: {_notes(result)}")
    return [*lines, ""] if len(lines) > 1 else []


def markdown_report(results: dict[str, Any]) -> str:
    machine = results.get("machine", {})
    runs = []
    for size, ops in sorted(results.get("sizes", {}).items(), key=lambda kv: int(kv[0])):
        for run in ops.get("_runs") or [ops.get("_run", {})]:
            before = ", ".join(f"{x:.2f}" for x in run.get("load_before", []))
            after = ", ".join(f"{x:.2f}" for x in run.get("load_after", []))
            names = run.get("ops") or []
            which = f" ({', '.join(names)})" if 0 < len(names) <= 15 else f" ({len(names)} ops)"
            runs.append(
                f"- {_size_label(size)} rows{which}: load average {before} before, {after} after"
            )
    failures = _failures(results)
    skipped = _skipped(results)
    return "\n".join(
        [
            "# Dataset core benchmark",
            "",
            "Written by `make bench` (`benchmarks/run.py`); see benchmarks/README.md for what each"
            " op does and how it is measured. Seconds time the op alone, in a fresh process with"
            " its modules already imported; peak MiB is that process's peak RSS (ru_maxrss).",
            "",
            f"Machine: {machine.get('nproc')} CPUs ({machine.get('cpu_model')}),"
            f" {machine.get('ram_gib')} GiB RAM; Python {machine.get('python')},"
            f" DuckDB {machine.get('duckdb')}, pyarrow {machine.get('pyarrow')};"
            f" commit {machine.get('git_commit') or '?'}; {machine.get('date')}.",
            "Figures are from one run each; the load average (1, 5, 15 min) around each run:",
            *runs,
            "",
            markdown_table(results),
            "",
            *_largest_size_notes(results),
            "Failures or over the 4 GiB memory goal:"
            if failures
            else f"No failures; every op stayed under {MEMORY_GOAL_MIB} MiB peak RSS.",
            *failures,
            *(["", "Not run:", *skipped] if skipped else []),
            "",
        ]
    )
