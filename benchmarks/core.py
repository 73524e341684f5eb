"""The core dataset operations the benchmark times, each against one dataset per size.

An ``Op`` has a ``run`` (the timed part) and an optional ``prepare`` (untimed, run in its own
process first) that puts the dataset in the state the op needs: a deletion before
``count_after_delete``, no existing output column before a map. So any subset of ops can run in
any order without one op's writes changing another's figure.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gristmill as gm

if TYPE_CHECKING:
    from gristmill.dataset import Dataset

NAMESPACE = "bench"
LABEL = "bench_label"
MAP_COLUMNS = ("bench_len_threads", "bench_len_processes", "bench_len_resumed")
# ~15% of responses hold a code block; this matches the function definitions inside them.
REGEX = r"def [a-z_]+\("
LABEL_FILTER = [("score", "less", 0.1)]  # score is uniform in [0, 1): ~10% of rows
CATEGORY_FILTER = [("category", "equals", "coding")]  # ~15% of rows
DELETE_FILTER = [("score", "greater_equal", 0.9)]
KILL_AT_ENV = "GRISTMILL_BENCH_KILL_AT_ROW"
SEARCH_TEXT = "instruction"
KEYWORD_QUERY = "explain function"
SEMANTIC_QUERY = "how do I sort a list in python"
EMBEDDING = "wordllama"
SEARCH_LIMIT = 100
# Ops that hand every row back at once: at 10M rows of text that is ~9 GiB by nature, whatever
# the engine does, so they stop at 1M and the streaming versions stand for them above it.
WHOLE_RESULT_MAX_ROWS = 1_000_000

Info = dict[str, Any]


@dataclass(frozen=True)
class BenchContext:
    """Where one size's dataset, source file and scratch files live."""

    size: int
    jsonl: Path
    work: Path
    parquet: Path | None = None

    @property
    def name(self) -> str:
        return f"rows_{self.size}"

    @property
    def parquet_name(self) -> str:
        """The dataset the Parquet ``create`` writes (deleted again by ``reset``: disk space)."""
        return f"rows_{self.size}_from_parquet"

    @property
    def project(self) -> Path:
        return self.work / "project"

    @property
    def scratch(self) -> Path:
        return self.work / f"scratch-{self.size}"

    def dataset(self) -> Dataset:
        return gm.get_dataset(NAMESPACE, self.name)

    def exists(self, name: str | None = None) -> bool:
        wanted = name or self.name
        return any(d.namespace == NAMESPACE and d.name == wanted for d in gm.list_datasets())


@dataclass(frozen=True)
class Op:
    name: str
    description: str
    run: Callable[[BenchContext], Info]
    prepare: Callable[[BenchContext], None] | None = None
    lilac_seconds: float | None = None
    # A map that is SIGKILLed half-way in an earlier process, then timed when rerun.
    crash_first: bool = False
    # Timed without importing anything first: what a script's first query costs.
    cold: bool = False
    # Above this many rows the op is not run, and ``skip_reason`` says why.
    max_rows: int | None = None
    skip_reason: str = ""


# --- state set-up (untimed) ----------------------------------------------------------------------


def reset(ctx: BenchContext) -> None:
    """Bring the dataset back to its freshly loaded state: no labels, deletions or map columns."""
    ds = ctx.dataset()
    ds.restore_rows()
    _remove_label(ds)
    for column in MAP_COLUMNS:
        _drop_map_column(ds, column)
    shutil.rmtree(ctx.scratch, ignore_errors=True)
    if ctx.exists(ctx.parquet_name):
        gm.delete_dataset(NAMESPACE, ctx.parquet_name)


def _drop_map_column(ds: Dataset, column: str) -> None:
    if any(c.name == column for c in ds.manifest().derived_columns):
        ds.remove_column(column)
    # A killed map leaves its chunks behind; without this the next run would resume from them.
    shutil.rmtree(ds.store.work_dir(f"map-{column}"), ignore_errors=True)


def _prepare_create(ctx: BenchContext) -> None:
    if ctx.exists():
        gm.delete_dataset(NAMESPACE, ctx.name)


def _prepare_create_parquet(ctx: BenchContext) -> None:
    if ctx.exists(ctx.parquet_name):
        gm.delete_dataset(NAMESPACE, ctx.parquet_name)


def _remove_label(ds: Dataset) -> None:
    if LABEL in ds.get_label_names():
        ds.remove_labels(LABEL, include_deleted=True)


def _prepare_label(ctx: BenchContext) -> None:
    _remove_label(ctx.dataset())


def _prepare_delete(ctx: BenchContext) -> None:
    ctx.dataset().restore_rows()


def _ensure_deleted(ctx: BenchContext) -> None:
    ctx.dataset().delete_rows(filters=DELETE_FILTER)


def _prepare_map(column: str) -> Callable[[BenchContext], None]:
    return lambda ctx: _drop_map_column(ctx.dataset(), column)


def _prepare_export(ctx: BenchContext) -> None:
    ctx.scratch.mkdir(parents=True, exist_ok=True)


def _ensure_keyword_index(ctx: BenchContext) -> None:
    ctx.dataset().compute_keyword_index(SEARCH_TEXT, show_progress=False)


def _ensure_embedding(ctx: BenchContext) -> None:
    ctx.dataset().compute_embedding(EMBEDDING, SEARCH_TEXT, show_progress=False)


# --- the timed operations ------------------------------------------------------------------------


def _create(ctx: BenchContext) -> Info:
    config = gm.DatasetConfig(
        namespace=NAMESPACE, name=ctx.name, source=gm.JSONSource(filepaths=[str(ctx.jsonl)])
    )
    ds = gm.create_dataset(config, show_progress=False)
    return {"rows": ds.store.read_manifest().num_rows}


def _create_parquet(ctx: BenchContext) -> Info:
    assert ctx.parquet is not None
    config = gm.DatasetConfig(
        namespace=NAMESPACE,
        name=ctx.parquet_name,
        source=gm.ParquetSource(filepaths=[str(ctx.parquet)]),
    )
    ds = gm.create_dataset(config, show_progress=False)
    return {"rows": ds.store.read_manifest().num_rows}


def _count(ctx: BenchContext) -> Info:
    return {"rows": ctx.dataset().count()}


def _count_filter(ctx: BenchContext) -> Info:
    return {"rows": ctx.dataset().count(filters=CATEGORY_FILTER)}


def _select_page_deep(ctx: BenchContext) -> Info:
    page = ctx.dataset().select_rows(["*"], limit=100, offset=ctx.size // 2).to_list()
    return {"rows": len(page)}


def _groups_category(ctx: BenchContext) -> Info:
    groups = ctx.dataset().select_groups("category")
    return {"groups": len(groups.counts)}


def _histogram_length(ctx: BenchContext) -> Info:
    groups = ctx.dataset().select_groups("response")
    return {"kind": groups.kind, "bins": len(groups.counts)}


def _select_first_100(ctx: BenchContext) -> Info:
    return {"rows": len(ctx.dataset().select_rows(["*"], limit=100).to_list())}


def _select_all_dicts(ctx: BenchContext) -> Info:
    rows = sum(1 for _ in ctx.dataset().select_rows(["*"]))
    return {"rows": rows}


def _select_all_arrow(ctx: BenchContext) -> Info:
    return {"rows": ctx.dataset().select_rows(["*"]).arrow().num_rows}


def _regex_count(ctx: BenchContext) -> Info:
    return {"matches": ctx.dataset().count(filters=[("response", "regex_matches", REGEX)])}


def _regex_select(ctx: BenchContext) -> Info:
    result = ctx.dataset().select_rows(["*"], filters=[("response", "regex_matches", REGEX)])
    return {"rows": len(result.to_list())}


def _sort_first_100(ctx: BenchContext) -> Info:
    result = ctx.dataset().select_rows(["*"], sort_by="instruction", sort_order="ASC", limit=100)
    return {"rows": len(result.to_list())}


def _stats(ctx: BenchContext) -> Info:
    stats = ctx.dataset().stats("response")
    return {"distinct": stats.approx_count_distinct, "avg_length": stats.avg_length}


def _to_pandas(ctx: BenchContext) -> Info:
    return {"rows": len(ctx.dataset().to_pandas())}


def _to_jsonl(ctx: BenchContext) -> Info:
    path = ctx.dataset().to_json(ctx.scratch / "export.jsonl", jsonl=True)
    return {"mib": round(path.stat().st_size / 2**20, 1)}


def _to_parquet(ctx: BenchContext) -> Info:
    path = ctx.dataset().to_parquet(ctx.scratch / "export.parquet")
    return {"mib": round(path.stat().st_size / 2**20, 1)}


def _keyword_index(ctx: BenchContext) -> Info:
    info = ctx.dataset().compute_keyword_index(SEARCH_TEXT, overwrite=True, show_progress=False)
    return {"rows": info.num_rows}


def _searched(ctx: BenchContext, search: Any) -> Info:
    found = ctx.dataset().select_rows(["__rowid__"], searches=[search], limit=SEARCH_LIMIT)
    return {"rows": len(found.to_list())}


def _keyword_search(ctx: BenchContext) -> Info:
    return _searched(ctx, gm.KeywordSearch(path=SEARCH_TEXT, query=KEYWORD_QUERY))


def _embed(ctx: BenchContext) -> Info:
    result = ctx.dataset().compute_embedding(
        EMBEDDING, SEARCH_TEXT, overwrite=True, show_progress=False
    )
    return {"computed": result.num_computed}


def _semantic_search(ctx: BenchContext) -> Info:
    search = gm.SemanticSearch(path=SEARCH_TEXT, query=SEMANTIC_QUERY, embedding=EMBEDDING)
    return _searched(ctx, search)


def _label(ctx: BenchContext) -> Info:
    return {"labelled": ctx.dataset().add_labels(LABEL, filters=LABEL_FILTER)}


def _delete(ctx: BenchContext) -> Info:
    return {"deleted": ctx.dataset().delete_rows(filters=DELETE_FILTER)}


def _restore(ctx: BenchContext) -> Info:
    return {"restored": ctx.dataset().restore_rows()}


def _map_threads(ctx: BenchContext) -> Info:
    result = ctx.dataset().map(
        len, input_path="response", output_column=MAP_COLUMNS[0], show_progress=False
    )
    return {"computed": result.num_computed}


def _map_processes(ctx: BenchContext) -> Info:
    result = ctx.dataset().map(
        len,
        input_path="response",
        output_column=MAP_COLUMNS[1],
        num_jobs=2,
        execution_type="processes",
        show_progress=False,
    )
    return {"computed": result.num_computed}


_calls = 0


def length_or_die(text: str) -> int:
    """``len``, except that the process SIGKILLs itself on row ``$GRISTMILL_BENCH_KILL_AT_ROW``.

    The same function (same name, so the same map signature) runs the killed map and the rerun:
    only the environment differs, which is what lets the rerun resume.
    """
    global _calls
    _calls += 1
    kill_at = os.environ.get(KILL_AT_ENV)
    if kill_at is not None and _calls >= int(kill_at):
        os.kill(os.getpid(), signal.SIGKILL)
    return len(text)


def _map_resumed(ctx: BenchContext) -> Info:
    result = ctx.dataset().map(
        length_or_die, input_path="response", output_column=MAP_COLUMNS[2], show_progress=False
    )
    return {"recomputed": result.num_computed, "resumed": result.num_resumed}


_WHOLE = (
    "above 1M rows: it returns every row at once (~9 GiB of text at 10M), which no engine fits"
    " in 4 GiB; `select_all` (iterating) and the exports stream instead"
)

OPS: tuple[Op, ...] = (
    Op("create", "create from JSONL (JSONSource)", _create, _prepare_create, 1.6),
    Op(
        "create_parquet",
        "create from Parquet (ParquetSource, zstd file of the same rows)",
        _create_parquet,
        _prepare_create_parquet,
    ),
    Op("count", "count()", _count),
    Op(
        "count_cold", "count() as a fresh process's first call, nothing imported", _count, cold=True
    ),
    Op("count_filter", "count(category == 'coding') (~15%)", _count_filter),
    Op("select_first_100", "select_rows(['*'], limit=100).to_list()", _select_first_100),
    Op("select_page_deep", "select_rows(['*'], limit=100, offset=n/2)", _select_page_deep),
    Op("select_all", "iterate select_rows(['*']) as dicts", _select_all_dicts, None, 2.9),
    Op(
        "select_all_arrow",
        "select_rows(['*']).arrow()",
        _select_all_arrow,
        max_rows=WHOLE_RESULT_MAX_ROWS,
        skip_reason=_WHOLE,
    ),
    Op("regex_count", f"count(regex_matches {REGEX!r})", _regex_count),
    Op("regex_select", "select_rows(['*'], regex filter).to_list()", _regex_select, None, 0.59),
    Op("sort_first_100", "sort by instruction ASC, limit 100", _sort_first_100),
    Op("stats", "stats('response')", _stats),
    Op("groups_category", "select_groups('category') (value counts)", _groups_category),
    Op("histogram_length", "select_groups('response') (length histogram)", _histogram_length),
    Op(
        "to_pandas",
        "to_pandas()",
        _to_pandas,
        None,
        3.4,
        max_rows=WHOLE_RESULT_MAX_ROWS,
        skip_reason=_WHOLE,
    ),
    Op("to_jsonl", "to_json(jsonl=True)", _to_jsonl, _prepare_export, 3.8),
    Op("to_parquet", "to_parquet()", _to_parquet, _prepare_export, 4.0),
    Op("label", "add_labels where score < 0.1 (10%)", _label, _prepare_label, 1.3),
    Op("delete", "delete_rows where score >= 0.9 (10%)", _delete, _prepare_delete, 1.2),
    Op("count_after_delete", "count() with 10% deleted", _count, _ensure_deleted, 0.5),
    Op("restore", "restore_rows() of the 10%", _restore, _ensure_deleted),
    Op("map_len_1thread", "map(len) 1 thread", _map_threads, _prepare_map(MAP_COLUMNS[0]), 1.3),
    Op(
        "map_len_processes",
        "map(len) num_jobs=2 processes",
        _map_processes,
        _prepare_map(MAP_COLUMNS[1]),
    ),
    Op(
        "map_kill_resume",
        "rerun of a map SIGKILLed at half the rows",
        _map_resumed,
        _prepare_map(MAP_COLUMNS[2]),
        crash_first=True,
    ),
    Op(
        "keyword_index",
        f"compute_keyword_index('{SEARCH_TEXT}', overwrite=True) (BM25 index job)",
        _keyword_index,
    ),
    Op(
        "keyword_search",
        f"KeywordSearch({KEYWORD_QUERY!r}) on {SEARCH_TEXT}, limit 100, index built",
        _keyword_search,
        _ensure_keyword_index,
    ),
    Op(
        "embed_wordllama",
        f"compute_embedding('{EMBEDDING}', '{SEARCH_TEXT}', overwrite=True)",
        _embed,
    ),
    Op(
        "semantic_search",
        f"SemanticSearch on the {EMBEDDING} index of {SEARCH_TEXT}, limit 100",
        _semantic_search,
        _ensure_embedding,
    ),
)
OPS_BY_NAME = {op.name: op for op in OPS}
