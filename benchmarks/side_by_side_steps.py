"""What the side-by-side benchmark times, shared by its driver and both tools' runners.

Standard library only: Lilac's runner (``side_by_side_lilac.py``) runs in Lilac's own
environment and imports this module as it is; Gristmill's runner and the driver do too, so the
step names, queries and filters cannot drift apart between the two tools.

A runner is called as ``python RUNNER --project DIR --jsonl FILE MODE STEP`` with ``MODE`` one of
``prepare`` (untimed set-up of the state the step needs, in its own process, for the steps
that need one), ``run`` (imports
and opening the dataset, then the timer around the step alone; prints one ``BENCH_RESULT``
line) or ``reset`` (back to the freshly loaded dataset: no labels, deletions or map columns).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

RESULT_PREFIX = "BENCH_RESULT "
NAMESPACE = "bench"
LABEL = "bench_label"
MAP_COLUMNS = ("bench_len_1thread", "bench_len_processes")
# ~15% of responses hold a code block; this matches the function definitions inside them.
REGEX = r"def [a-z_]+\("
LABEL_FILTER = ("score", "less", 0.1)  # score is uniform in [0, 1): ~10% of rows
DELETE_FILTER = ("score", "greater_equal", 0.9)
SORT_PATH = "instruction"
EMBED_PATH = "instruction"  # embedded and searched; signals and maps run on 'response'
SIGNAL_PATH = "response"
# One word: Lilac's keyword search is a case-insensitive substring match and Gristmill's a BM25
# term match, so a single common word is the query both read the same way.
KEYWORD_QUERY = "function"
SEMANTIC_QUERY = "How do I write a function that sorts a list of numbers?"
LIMIT = 100
WARM_REPEATS = 10


@dataclass(frozen=True)
class Step:
    name: str
    description: str
    # Needs an untimed prepare process first to put a state in place (the dataset deleted,
    # rows deleted, a column dropped, an embedding computed). The other steps skip it: a Lilac
    # process spends 10-40 s importing on a busy machine.
    prepare: bool = False


STEPS: tuple[Step, ...] = (
    Step("create", "create_dataset from the JSONL file (JSONSource)", prepare=True),
    Step("count", "count()"),
    Step("select_first_100", "select_rows(['*'], limit=100), rows as dicts"),
    Step("select_all", "iterate select_rows(['*']): every row as a dict"),
    Step("regex_count", f"count(filters=[response regex_matches {REGEX!r}])"),
    Step("regex_select", "select_rows(['*'], that regex filter), rows as dicts"),
    Step("sort_first_100", f"select_rows(['*'], sort_by={SORT_PATH!r} ASC, limit=100)"),
    Step("stats", "stats('response')"),
    Step("to_pandas", "to_pandas()"),
    Step("to_jsonl", "to_json(path, jsonl=True)", prepare=True),
    Step("to_parquet", "to_parquet(path)", prepare=True),
    Step(
        "keyword_first",
        f"KeywordSearch({KEYWORD_QUERY!r}) limit 100, a process's first, on the index the load's"
        " background job built",
        prepare=True,
    ),
    Step(
        "keyword_scan",
        "the same first search before any index exists (Gristmill scans, same BM25)",
        prepare=True,
    ),
    Step(
        "keyword_warm",
        f"the same, warm (median of {WARM_REPEATS} after one untimed), index built",
        prepare=True,
    ),
    Step("keyword_all", "the same search, every matching row, index built", prepare=True),
    Step("signal_lang", "compute_signal(lang_detection, 'response')"),
    Step("embed", f"compute_embedding('bow', {EMBED_PATH!r}), hashed bag of words"),
    Step("semantic_first", "SemanticSearch('bow') limit 100, a process's first", prepare=True),
    Step(
        "semantic_warm",
        f"the same, warm (median of {WARM_REPEATS} after one untimed)",
        prepare=True,
    ),
    Step("label", "add_labels where score < 0.1 (10%)", prepare=True),
    Step("delete", "delete_rows where score >= 0.9 (10%)", prepare=True),
    Step("count_after_delete", "count() with those 10% deleted", prepare=True),
    Step("restore", "restore_rows() of the 10%", prepare=True),
    Step("map_1thread", "map(len, input_path='response'), 1 job", prepare=True),
    Step("map_processes", "the same, num_jobs=2, execution_type='processes'", prepare=True),
)
STEPS_BY_NAME = {step.name: step for step in STEPS}


def dataset_name(size: int) -> str:
    return f"rows_{size}"


def rss_mib(who: int) -> float:
    # ru_maxrss is in KiB on Linux.
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def current_rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def emit(seconds: float, info: dict[str, Any], rss_before: float) -> None:
    """The one line the driver reads: the step's time, peak RSS and what it returned."""
    result = {
        "seconds": round(seconds, 4),
        "peak_rss_mib": rss_mib(resource.RUSAGE_SELF),
        "children_peak_rss_mib": rss_mib(resource.RUSAGE_CHILDREN),
        "rss_before_mib": rss_before,
        "info": info,
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def emit_skipped(reason: str) -> None:
    """The line for a step this tool cannot run here, and why."""
    print(RESULT_PREFIX + json.dumps({"skipped": reason}), flush=True)


Ctx = TypeVar("Ctx")
Info = dict[str, Any]


def warm(query: Callable[[Ctx], Info]) -> Callable[[Ctx], Info]:
    """Median of WARM_REPEATS calls after one untimed call (``_seconds`` replaces the total)."""

    def step(ctx: Ctx) -> Info:
        info = query(ctx)
        times = []
        for _ in range(WARM_REPEATS):
            started = time.perf_counter()
            query(ctx)
            times.append(time.perf_counter() - started)
        return {**info, "_seconds": statistics.median(times), "max_s": round(max(times), 4)}

    return step


def runner_main(
    description: str,
    steps: Mapping[str, tuple[Callable[[Ctx], Info], Callable[[Ctx], None] | None]],
    context: Callable[[Path, Path, int], Ctx],
    *,
    reset: Callable[[Ctx], None],
    ensure_dataset: Callable[[Ctx], None],
    open_dataset: Callable[[Ctx], None],
    skipped: Mapping[str, str] | None = None,
) -> None:
    """A tool's runner: ``MODE STEP`` as the module docstring says, the same for both tools.

    ``context`` sets the tool up for the project and returns what the steps take; ``reset``
    brings the dataset back to freshly loaded; ``open_dataset`` opens it before the timer;
    ``skipped`` names the steps this tool cannot run here, with the reason.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--jsonl", type=Path, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("mode", choices=("prepare", "run", "reset"))
    parser.add_argument("step", choices=sorted(steps))
    args = parser.parse_args()
    ctx = context(args.project, args.jsonl, args.size)
    run, prepare = steps[args.step]
    if skipped and args.step in skipped and args.mode != "reset":
        if args.mode == "run":
            emit_skipped(skipped[args.step])
        return
    if args.mode == "reset":
        reset(ctx)
        return
    if args.mode == "prepare":
        if args.step != "create":
            ensure_dataset(ctx)
        if prepare is not None:
            prepare(ctx)
        return
    opened = time.perf_counter()
    if args.step != "create":
        open_dataset(ctx)
    open_seconds = time.perf_counter() - opened
    rss_before = current_rss_mib()
    started = time.perf_counter()
    info = run(ctx)
    seconds = time.perf_counter() - started
    info["open_s"] = round(open_seconds, 3)
    emit(info.pop("_seconds", seconds), info, rss_before)
