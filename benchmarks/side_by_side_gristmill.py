"""Gristmill's runner for the side-by-side benchmark: one step, one mode, in this process.

Run by ``side_by_side.py`` with our venv's python (the protocol is in ``side_by_side_steps.py``).
Before the timer it imports the libraries and Gristmill modules a step uses and opens the
dataset, as ``run.py`` does, so the timer covers the step alone.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bow_embedding  # noqa: E402  (a sibling module: benchmarks/ is not a package)
import gristmill as gm  # noqa: E402
import run as harness  # noqa: E402
import side_by_side_steps as spec  # noqa: E402
from gristmill.data import engine  # noqa: E402

if TYPE_CHECKING:
    from gristmill.dataset import Dataset

Info = dict[str, Any]
# The core suite's warm imports (``run.py``), and the feature packages the search and
# enrichment steps use.
WARM_MODULES = (
    *harness.WARM_MODULES,
    *harness.WARM_GRISTMILL,
    "gristmill.search",
    "gristmill.signals",
    "gristmill.embed",
)


class Context:
    def __init__(self, project: Path, jsonl: Path, size: int) -> None:
        self.project = project
        self.jsonl = jsonl
        self.size = size
        self.name = spec.dataset_name(size)
        self.scratch = project.parent / f"sbs-scratch-gristmill-{size}"

    def dataset(self) -> Dataset:
        return gm.get_dataset(spec.NAMESPACE, self.name)

    def exists(self) -> bool:
        return any(
            d.namespace == spec.NAMESPACE and d.name == self.name for d in gm.list_datasets()
        )


def _register_bow() -> None:
    gm.register_embedding(
        bow_embedding.NAME,
        bow_embedding.embed,
        dim=bow_embedding.DIM,
        model_id=bow_embedding.MODEL_ID,
        replace=True,
    )


# --- state set-up (untimed) ----------------------------------------------------------------------


def _create_dataset(ctx: Context) -> Info:
    config = gm.DatasetConfig(
        namespace=spec.NAMESPACE,
        name=ctx.name,
        source=gm.JSONSource(filepaths=[str(ctx.jsonl)]),
    )
    ds = gm.create_dataset(config, show_progress=False)
    return {"rows": ds.count()}


def _ensure_dataset(ctx: Context) -> None:
    if not ctx.exists():
        _create_dataset(ctx)


def _drop_column(ds: Dataset, column: str) -> None:
    if any(c.name == column for c in ds.manifest().derived_columns):
        ds.remove_column(column)


def _drop_map_column(ds: Dataset, column: str) -> None:
    _drop_column(ds, column)
    # Without this a rerun would resume from the chunks of an earlier run.
    shutil.rmtree(ds.store.work_dir(f"map-{column}"), ignore_errors=True)


def reset(ctx: Context, *, full: bool = False) -> None:
    """Labels, deletions and map columns gone; with ``full``, every derived column too (signal,
    embedding), so ``select_rows(['*'])`` reads the same columns as on a fresh load."""
    _ensure_dataset(ctx)
    ds = ctx.dataset()
    if full:
        for derived in ds.manifest().derived_columns:
            _drop_map_column(ds, derived.name)
    ds.restore_rows()
    if spec.LABEL in ds.get_label_names():
        ds.remove_labels(spec.LABEL, include_deleted=True)
    for column in spec.MAP_COLUMNS:
        _drop_map_column(ds, column)
    shutil.rmtree(ctx.scratch, ignore_errors=True)


def _prepare_create(ctx: Context) -> None:
    if ctx.exists():
        gm.delete_dataset(spec.NAMESPACE, ctx.name)


def _prepare_label(ctx: Context) -> None:
    reset(ctx)


def _ensure_deleted(ctx: Context) -> None:
    reset(ctx)
    ctx.dataset().delete_rows(filters=[spec.DELETE_FILTER])


def _prepare_export(ctx: Context) -> None:
    reset(ctx)
    ctx.scratch.mkdir(parents=True, exist_ok=True)


def _ensure_embedding(ctx: Context) -> None:
    reset(ctx)
    _register_bow()
    ctx.dataset().compute_embedding(bow_embedding.NAME, spec.EMBED_PATH, show_progress=False)


# --- the timed steps -----------------------------------------------------------------------------


def _count(ctx: Context) -> Info:
    return {"rows": ctx.dataset().count()}


def _select_first_100(ctx: Context) -> Info:
    return {"rows": len(ctx.dataset().select_rows(["*"], limit=100).to_list())}


def _select_all(ctx: Context) -> Info:
    return {"rows": sum(1 for _ in ctx.dataset().select_rows(["*"]))}


def _regex_count(ctx: Context) -> Info:
    return {"rows": ctx.dataset().count(filters=[("response", "regex_matches", spec.REGEX)])}


def _regex_select(ctx: Context) -> Info:
    rows = ctx.dataset().select_rows(["*"], filters=[("response", "regex_matches", spec.REGEX)])
    return {"rows": len(rows.to_list())}


def _sort_first_100(ctx: Context) -> Info:
    result = ctx.dataset().select_rows(
        ["*"], sort_by=spec.SORT_PATH, sort_order="ASC", limit=spec.LIMIT
    )
    rows = result.to_list()
    return {"rows": len(rows), "first": rows[0][spec.SORT_PATH][:30]}


def _stats(ctx: Context) -> Info:
    stats = ctx.dataset().stats("response")
    return {
        "total": stats.total_count,
        "distinct": stats.approx_count_distinct,
        "avg_length": stats.avg_length,
    }


def _to_pandas(ctx: Context) -> Info:
    return {"rows": len(ctx.dataset().to_pandas())}


def _to_jsonl(ctx: Context) -> Info:
    path = ctx.dataset().to_json(ctx.scratch / "export.jsonl", jsonl=True)
    return {"mib": round(path.stat().st_size / 2**20, 1)}


def _to_parquet(ctx: Context) -> Info:
    path = ctx.dataset().to_parquet(ctx.scratch / "export.parquet")
    return {"mib": round(path.stat().st_size / 2**20, 1)}


def _keyword_index_exists(ctx: Context) -> bool:
    return (ctx.dataset().store.root / "fts" / f"{spec.EMBED_PATH}.duckdb").exists()


def _ensure_keyword_index(ctx: Context) -> None:
    # The warm steps time searches on the index a load's enrichment builds, not on a scan that
    # races an index job started by the query itself.
    ctx.dataset().compute_keyword_index(spec.EMBED_PATH, show_progress=False)


def _drop_keyword_index(ctx: Context) -> None:
    # The state right after a load that no process has enriched yet: a search must scan.
    shutil.rmtree(ctx.dataset().store.root / "fts", ignore_errors=True)


def _keyword_first(ctx: Context) -> Info:
    had_index = _keyword_index_exists(ctx)
    return {**_keyword(ctx, spec.LIMIT), "index_before": had_index}


def _keyword(ctx: Context, limit: int | None) -> Info:
    search = gm.KeywordSearch(path=spec.EMBED_PATH, query=spec.KEYWORD_QUERY)
    rows = ctx.dataset().select_rows(["*"], searches=[search], limit=limit).to_list()
    return {"rows": len(rows)}


def _semantic(ctx: Context) -> Info:
    search = gm.SemanticSearch(
        path=spec.EMBED_PATH, query=spec.SEMANTIC_QUERY, embedding=bow_embedding.NAME
    )
    rows = ctx.dataset().select_rows(["*"], searches=[search], limit=spec.LIMIT).to_list()
    return {"rows": len(rows)}


def _signal(make: Callable[[], Any]) -> Callable[[Context], Info]:
    def step(ctx: Context) -> Info:
        result = ctx.dataset().compute_signal(
            make(), spec.SIGNAL_PATH, overwrite=True, show_progress=False
        )
        return {"column": result.column, "computed": result.num_computed}

    return step


def _embed(ctx: Context) -> Info:
    result = ctx.dataset().compute_embedding(
        bow_embedding.NAME, spec.EMBED_PATH, overwrite=True, show_progress=False
    )
    return {"computed": result.num_computed}


def _label(ctx: Context) -> Info:
    return {"labelled": ctx.dataset().add_labels(spec.LABEL, filters=[spec.LABEL_FILTER])}


def _delete(ctx: Context) -> Info:
    return {"deleted": ctx.dataset().delete_rows(filters=[spec.DELETE_FILTER])}


def _restore(ctx: Context) -> Info:
    return {"restored": ctx.dataset().restore_rows()}


def _map(column: str, num_jobs: int) -> Callable[[Context], Info]:
    def step(ctx: Context) -> Info:
        result = ctx.dataset().map(
            len,
            input_path=spec.SIGNAL_PATH,
            output_column=column,
            num_jobs=num_jobs,
            execution_type="processes" if num_jobs > 1 else "threads",
            show_progress=False,
        )
        return {"computed": result.num_computed}

    return step


def _prepare_map(column: str) -> Callable[[Context], None]:
    def prepare(ctx: Context) -> None:
        reset(ctx)
        _drop_map_column(ctx.dataset(), column)

    return prepare


Run = Callable[[Context], Info]
Prepare = Callable[[Context], None]
STEPS: dict[str, tuple[Run, Prepare | None]] = {
    "create": (_create_dataset, _prepare_create),
    "count": (_count, None),
    "select_first_100": (_select_first_100, None),
    "select_all": (_select_all, None),
    "regex_count": (_regex_count, None),
    "regex_select": (_regex_select, None),
    "sort_first_100": (_sort_first_100, None),
    "stats": (_stats, None),
    "to_pandas": (_to_pandas, None),
    "to_jsonl": (_to_jsonl, _prepare_export),
    "to_parquet": (_to_parquet, _prepare_export),
    "keyword_first": (_keyword_first, _ensure_keyword_index),
    "keyword_scan": (_keyword_first, _drop_keyword_index),
    "keyword_warm": (spec.warm(lambda ctx: _keyword(ctx, spec.LIMIT)), _ensure_keyword_index),
    "keyword_all": (lambda ctx: _keyword(ctx, None), _ensure_keyword_index),
    "signal_lang": (_signal(gm.LangDetectionSignal), None),
    "embed": (_embed, None),
    "semantic_first": (_semantic, _ensure_embedding),
    "semantic_warm": (spec.warm(_semantic), _ensure_embedding),
    "label": (_label, _prepare_label),
    "delete": (_delete, reset),
    "count_after_delete": (_count, _ensure_deleted),
    "restore": (_restore, _ensure_deleted),
    "map_1thread": (_map(spec.MAP_COLUMNS[0], 1), _prepare_map(spec.MAP_COLUMNS[0])),
    "map_processes": (_map(spec.MAP_COLUMNS[1], 2), _prepare_map(spec.MAP_COLUMNS[1])),
}


def _context(project: Path, jsonl: Path, size: int) -> Context:
    for module in WARM_MODULES:
        importlib.import_module(module)
    gm.set_project_dir(project)
    _register_bow()
    return Context(project, jsonl, size)


def _open(ctx: Context) -> None:
    ctx.dataset()
    # Lilac's get_dataset connects to DuckDB and creates its views, before its runner's
    # timer; Gristmill connects on the first query, so the runner connects here to time the
    # same work (open_s says what the opening cost each tool).
    engine.cursor().close()


def main() -> None:
    spec.runner_main(
        __doc__.split("\n")[0],
        STEPS,
        _context,
        reset=lambda ctx: reset(ctx, full=True),
        ensure_dataset=_ensure_dataset,
        open_dataset=_open,
    )


if __name__ == "__main__":
    main()
