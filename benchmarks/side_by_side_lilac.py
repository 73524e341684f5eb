"""Lilac's runner for the side-by-side benchmark: one step, one mode, in this process.

Run by ``side_by_side.py`` with the Python of a separate Lilac environment (``make lilac-env``:
lilac 0.3.9 in benchmarks/.work/lilac-venv), so it imports only Lilac, the standard library,
NumPy and the two tool-neutral sibling modules (``side_by_side_steps``, ``bow_embedding``),
never Gristmill. The protocol is in ``side_by_side_steps.py``. Lilac is imported, its project
folder set and the dataset opened before the timer, so the timer covers the step alone.

The semantic steps use ``bow_embedding`` registered as a Lilac ``TextEmbeddingSignal``: the
same function Gristmill's runner registers, one vector per text (Lilac's ``identity_chunker``;
Gristmill keeps a text of at most 512 characters as one span, and every instruction is shorter),
so both embed the same texts with the same function.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import lilac as ll  # type: ignore[import-not-found]  # noqa: E402  (Lilac's venv only)
from lilac.embeddings.embedding import (  # type: ignore[import-not-found]  # noqa: E402
    chunked_compute_embedding,
)

import bow_embedding  # noqa: E402  (a sibling module: benchmarks/ is not a package)
import side_by_side_steps as spec  # noqa: E402

Info = dict[str, Any]
BOW_BATCH = 1024
DELETED_LABEL = "__deleted__"  # lilac.data.dataset.DELETED_LABEL_NAME


class BowEmbedding(ll.TextEmbeddingSignal):  # type: ignore[misc]
    """bow_embedding.embed as a Lilac embedding: one vector per text, in 1024-text batches."""

    name: ClassVar[str] = bow_embedding.NAME
    display_name: ClassVar[str] = "Hashed bag of words (benchmark)"
    local_batch_size: ClassVar[int] = BOW_BATCH
    local_parallelism: ClassVar[int] = 1
    local_strategy: ClassVar[str] = "threads"

    def compute(self, docs: list[str]) -> list[Any]:
        return chunked_compute_embedding(  # type: ignore[no-any-return]
            lambda texts: list(bow_embedding.embed(texts)), docs, BOW_BATCH
        )


class Context:
    def __init__(self, project: Path, jsonl: Path, size: int) -> None:
        self.project = project
        self.jsonl = jsonl
        self.size = size
        self.name = spec.dataset_name(size)
        self.scratch = project.parent / f"sbs-scratch-lilac-{size}"

    def dataset(self) -> Any:
        return ll.get_dataset(spec.NAMESPACE, self.name)

    def exists(self) -> bool:
        return bool(ll.has_dataset(spec.NAMESPACE, self.name))


def _columns(ds: Any) -> set[str]:
    return set(ds.manifest().data_schema.fields)


# --- state set-up (untimed) ----------------------------------------------------------------------


def _create_dataset(ctx: Context) -> Info:
    config = ll.DatasetConfig(
        namespace=spec.NAMESPACE,
        name=ctx.name,
        source=ll.JSONSource(filepaths=[str(ctx.jsonl)]),
    )
    ds = ll.create_dataset(config)
    return {"rows": ds.count()}


def _ensure_dataset(ctx: Context) -> None:
    if not ctx.exists():
        _create_dataset(ctx)


def _drop_column(ds: Any, column: str) -> None:
    if column in _columns(ds):
        ds.delete_column(column)


def _label_files(ctx: Context) -> list[Path]:
    folder = ctx.project / "datasets" / spec.NAMESPACE / ctx.name
    return [folder / f"{label}.labels.sqlite" for label in (spec.LABEL, DELETED_LABEL)]


def reset(ctx: Context, *, full: bool = False) -> None:
    """Labels, deletions and map columns gone; with ``full``, the signal and the embedding too,
    so ``select_rows(['*'])`` reads the same columns as on a fresh load."""
    # Lilac keeps labels in SQLite files that its DuckDB 0.9.2 reads through the sqlite_scanner
    # extension, downloaded on first use: offline, any query fails while one exists, including
    # remove_labels. Removing the files is what removing the labels leaves on disk.
    for path in _label_files(ctx):
        path.unlink(missing_ok=True)
    _ensure_dataset(ctx)
    ds = ctx.dataset()
    if full:
        if "lang_detection" in (ds.manifest().data_schema.fields[spec.SIGNAL_PATH].fields or {}):
            ds.delete_signal((spec.SIGNAL_PATH, "lang_detection"))
        if _has_embedding(ds):
            ds.delete_embedding(bow_embedding.NAME, spec.EMBED_PATH)
    # Lilac's restore_rows raises when no row was ever deleted (no deletion label yet).
    if DELETED_LABEL in ds.get_label_names():
        ds.restore_rows()
    if spec.LABEL in ds.get_label_names():
        ds.remove_labels(spec.LABEL, include_deleted=True)
    for column in spec.MAP_COLUMNS:
        _drop_column(ds, column)
    shutil.rmtree(ctx.scratch, ignore_errors=True)


def _prepare_create(ctx: Context) -> None:
    if ctx.exists():
        ctx.dataset().delete()
    # Lilac keeps the dataset's entry in the project's lilac.yml; a stale one blocks create.
    with contextlib.suppress(FileNotFoundError):
        (ctx.project / "lilac.yml").unlink()


def _ensure_deleted(ctx: Context) -> None:
    reset(ctx)
    ctx.dataset().delete_rows(filters=[spec.DELETE_FILTER])


def _prepare_export(ctx: Context) -> None:
    reset(ctx)
    ctx.scratch.mkdir(parents=True, exist_ok=True)


def _has_embedding(ds: Any) -> bool:
    field = ds.manifest().data_schema.fields.get(spec.EMBED_PATH)
    return field is not None and bow_embedding.NAME in (field.fields or {})


def _ensure_embedding(ctx: Context) -> None:
    reset(ctx)
    ds = ctx.dataset()
    if not _has_embedding(ds):
        ds.compute_embedding(bow_embedding.NAME, spec.EMBED_PATH)


# --- the timed steps -----------------------------------------------------------------------------


def _count(ctx: Context) -> Info:
    return {"rows": ctx.dataset().count()}


def _select_first_100(ctx: Context) -> Info:
    return {"rows": len(list(ctx.dataset().select_rows(["*"], limit=spec.LIMIT)))}


def _select_all(ctx: Context) -> Info:
    # Lilac's select_rows returns 100 rows unless told otherwise.
    return {"rows": sum(1 for _ in ctx.dataset().select_rows(["*"], limit=None))}


def _regex_count(ctx: Context) -> Info:
    return {"rows": ctx.dataset().count(filters=[("response", "regex_matches", spec.REGEX)])}


def _regex_select(ctx: Context) -> Info:
    rows = ctx.dataset().select_rows(
        ["*"], filters=[("response", "regex_matches", spec.REGEX)], limit=None
    )
    return {"rows": len(list(rows))}


def _sort_first_100(ctx: Context) -> Info:
    rows = list(
        ctx.dataset().select_rows(
            ["*"], sort_by=[spec.SORT_PATH], sort_order=ll.SortOrder.ASC, limit=spec.LIMIT
        )
    )
    return {"rows": len(rows), "first": rows[0][spec.SORT_PATH][:30]}


def _stats(ctx: Context) -> Info:
    stats = ctx.dataset().stats("response")
    return {
        "total": stats.total_count,
        "distinct": stats.approx_count_distinct,
        "avg_length": stats.avg_text_length,
    }


def _to_pandas(ctx: Context) -> Info:
    return {"rows": len(ctx.dataset().to_pandas())}


def _to_jsonl(ctx: Context) -> Info:
    path = ctx.scratch / "export.jsonl"
    ctx.dataset().to_json(path, jsonl=True)
    return {"mib": round(path.stat().st_size / 2**20, 1)}


def _to_parquet(ctx: Context) -> Info:
    path = ctx.scratch / "export.parquet"
    ctx.dataset().to_parquet(path)
    return {"mib": round(path.stat().st_size / 2**20, 1)}


def _keyword(ctx: Context, limit: int | None) -> Info:
    search = ll.KeywordSearch(path=spec.EMBED_PATH, query=spec.KEYWORD_QUERY)
    rows = ctx.dataset().select_rows(["*"], searches=[search], limit=limit)
    return {"rows": len(list(rows))}


def _semantic(ctx: Context) -> Info:
    search = ll.SemanticSearch(
        path=spec.EMBED_PATH, query=spec.SEMANTIC_QUERY, embedding=bow_embedding.NAME
    )
    rows = ctx.dataset().select_rows(["*"], searches=[search], limit=spec.LIMIT)
    return {"rows": len(list(rows))}


def _signal_lang(ctx: Context) -> Info:
    ctx.dataset().compute_signal(ll.LangDetectionSignal(), spec.SIGNAL_PATH, overwrite=True)
    return {"column": f"{spec.SIGNAL_PATH}.lang_detection"}


def _embed(ctx: Context) -> Info:
    ctx.dataset().compute_embedding(bow_embedding.NAME, spec.EMBED_PATH, overwrite=True)
    return {"embedding": bow_embedding.NAME}


def _label(ctx: Context) -> Info:
    return {"labelled": ctx.dataset().add_labels(spec.LABEL, filters=[spec.LABEL_FILTER])}


def _delete(ctx: Context) -> Info:
    return {"deleted": ctx.dataset().delete_rows(filters=[spec.DELETE_FILTER])}


def _restore(ctx: Context) -> Info:
    return {"restored": ctx.dataset().restore_rows()}


def _map(column: str, num_jobs: int) -> Callable[[Context], Info]:
    def step(ctx: Context) -> Info:
        ctx.dataset().map(
            len,
            input_path=spec.SIGNAL_PATH,
            output_path=column,
            num_jobs=num_jobs,
            execution_type="processes" if num_jobs > 1 else "threads",
        )
        return {"column": column}

    return step


def _prepare_map(column: str) -> Callable[[Context], None]:
    def prepare(ctx: Context) -> None:
        reset(ctx)
        _drop_column(ctx.dataset(), column)

    return prepare


# Deleting rows writes a label, and every later query reads it through sqlite_scanner (above).
OFFLINE_IMPOSSIBLE = {
    name: "Lilac 0.3.9 keeps deletions in a SQLite label file that its DuckDB 0.9.2 reads"
    " through the sqlite_scanner extension, downloaded on first use: no network here"
    for name in ("delete", "count_after_delete", "restore")
}

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
    "keyword_first": (lambda ctx: _keyword(ctx, spec.LIMIT), None),
    # Lilac has no keyword index: its first search is the same substring filter either way.
    "keyword_scan": (lambda ctx: _keyword(ctx, spec.LIMIT), None),
    "keyword_warm": (spec.warm(lambda ctx: _keyword(ctx, spec.LIMIT)), None),
    "keyword_all": (lambda ctx: _keyword(ctx, None), None),
    "signal_lang": (_signal_lang, None),
    "embed": (_embed, None),
    "semantic_first": (_semantic, _ensure_embedding),
    "semantic_warm": (spec.warm(_semantic), _ensure_embedding),
    "label": (_label, reset),
    "delete": (_delete, reset),
    "count_after_delete": (_count, _ensure_deleted),
    "restore": (_restore, _ensure_deleted),
    "map_1thread": (_map(spec.MAP_COLUMNS[0], 1), _prepare_map(spec.MAP_COLUMNS[0])),
    "map_processes": (_map(spec.MAP_COLUMNS[1], 2), _prepare_map(spec.MAP_COLUMNS[1])),
}


def _context(project: Path, jsonl: Path, size: int) -> Context:
    project.mkdir(parents=True, exist_ok=True)
    ll.set_project_dir(str(project))
    ll.register_embedding(BowEmbedding, exists_ok=True)
    return Context(project, jsonl, size)


def _open(ctx: Context) -> None:
    ctx.dataset()  # connects to DuckDB and creates the views: before the timer


def main() -> None:
    spec.runner_main(
        __doc__.split("\n")[0],
        STEPS,
        _context,
        reset=lambda ctx: reset(ctx, full=True),
        ensure_dataset=_ensure_dataset,
        open_dataset=_open,
        skipped=OFFLINE_IMPOSSIBLE,
    )


if __name__ == "__main__":
    main()
