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

import json
import os
import resource
from dataclasses import dataclass
from typing import Any

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
