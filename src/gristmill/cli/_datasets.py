"""Dataset commands: load, list, schema, query, stats, groups, label, delete, restore, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gristmill.cli._app import app
from gristmill.cli._errors import handle_errors
from gristmill.cli._filters import parse_filter
from gristmill.cli._render import print_record, print_rows
from gristmill.data.datasets import DatasetConfig, delete_dataset
from gristmill.data.datasets import list_datasets as list_all
from gristmill.data.export import export as run_export
from gristmill.data.filters import Filter
from gristmill.dataset import Dataset, create_dataset, get_dataset
from gristmill.errors import InvalidInputError
from gristmill.jobs import cancel_job, list_jobs
from gristmill.search import KeywordSearch

DatasetArg = Annotated[str, typer.Argument(help="The dataset as NAMESPACE/NAME.")]
FilterOpt = Annotated[
    list[str] | None,
    typer.Option("--filter", "-f", help="'PATH OP VALUE', e.g. 'output length_longer 2000'."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (one object per line).")]
RowIdOpt = Annotated[list[int] | None, typer.Option("--row-id", help="A __rowid__ (repeatable).")]
KeywordOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--keyword",
        help="PATH=QUERY: the rows a keyword search for QUERY in PATH finds (repeatable).",
    ),
]


def split_name(ref: str) -> tuple[str, str]:
    namespace, _, name = ref.partition("/")
    if not namespace or not name:
        raise InvalidInputError(
            f"'{ref}' is not a dataset reference",
            hint="write it as NAMESPACE/NAME, e.g. local/alpaca",
        )
    return namespace, name


def open_dataset(ref: str) -> Dataset:
    return get_dataset(*split_name(ref))


def filters_for(ds: Dataset, texts: list[str] | None) -> list[Filter]:
    return [parse_filter(text, ds) for text in texts or []]


@app.command()
@handle_errors
def load(
    source: Annotated[
        str,
        typer.Argument(
            help="A file or glob (JSON, JSONL, CSV, Parquet), or a HuggingFace dataset with --hf."
        ),
    ],
    dataset: DatasetArg,
    hf: Annotated[
        bool,
        typer.Option(
            "--hf", help="SOURCE is a HuggingFace dataset (a cached name or a saved folder)."
        ),
    ] = False,
    split: Annotated[str | None, typer.Option(help="HuggingFace split to load.")] = None,
    sample_size: Annotated[int | None, typer.Option(help="Load only this many rows.")] = None,
    skip_bad_lines: Annotated[
        bool, typer.Option(help="Skip malformed JSON lines instead of stopping.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option(help="Replace an existing dataset of that name.")
    ] = False,
) -> None:
    """Load a file or a HuggingFace dataset into a new dataset."""
    # Imported here so the 11 source-reader modules load for `load` only, not at CLI startup.
    from gristmill.data import sources

    namespace, name = split_name(dataset)
    chosen: sources.Source
    if hf:
        local = Path(source).expanduser().exists()
        chosen = sources.HuggingFaceSource(
            dataset_name=source, split=split, sample_size=sample_size, load_from_disk=local
        )
    else:
        suffix = source.lower().rsplit(".", 1)[-1]
        if sample_size is not None and suffix != "parquet":
            raise InvalidInputError(
                "--sample-size works with Parquet files and --hf datasets",
                hint="for JSON or CSV, load the file whole (or take its head first: head -n N)",
            )
        if suffix == "csv":
            chosen = sources.CSVSource(filepaths=[source])
        elif suffix == "parquet":
            chosen = sources.ParquetSource(filepaths=[source], sample_size=sample_size)
        elif suffix in ("json", "jsonl", "ndjson", "gz"):
            chosen = sources.JSONSource(
                filepaths=[source], on_error="skip" if skip_bad_lines else "raise"
            )
        else:
            raise InvalidInputError(
                f"cannot tell the format of '{source}'",
                hint="use a .json, .jsonl, .csv or .parquet file,"
                " or --hf for a HuggingFace dataset",
            )
    ds = create_dataset(
        DatasetConfig(namespace=namespace, name=name, source=chosen), overwrite=overwrite
    )
    typer.echo(f"Loaded {ds.count()} rows into {ds.full_name}")


@app.command("datasets")
@handle_errors
def datasets(as_json: JsonOpt = False) -> None:
    """List the datasets of the project."""
    rows = [
        {"dataset": f"{d.namespace}/{d.name}", "rows": d.num_rows, "created": d.created_at}
        for d in list_all()
    ]
    print_rows(rows, as_json)


@app.command()
@handle_errors
def schema(dataset: DatasetArg, as_json: JsonOpt = False) -> None:
    """Show a dataset's columns (nested fields as a tree) and derived columns' lineage."""
    manifest = open_dataset(dataset).manifest()
    if as_json:
        typer.echo(manifest.model_dump_json(indent=2))
        return
    typer.echo(str(manifest.data_schema))
    typer.echo(f"\n{manifest.num_items} rows ({manifest.num_deleted} deleted)")
    for column in manifest.derived_columns:
        lineage = column.lineage
        typer.echo(
            f"{column.name}: {lineage.kind} by {lineage.producer} on {lineage.input_path or 'rows'}"
            f" at {lineage.created_at:%Y-%m-%d %H:%M}"
        )


@app.command()
@handle_errors
def query(
    dataset: DatasetArg,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", "-c", help="Column path (repeatable; default all)."),
    ] = None,
    filter_: FilterOpt = None,
    sort_by: Annotated[
        list[str] | None, typer.Option("--sort-by", help="Sort by this path.")
    ] = None,
    ascending: Annotated[bool, typer.Option("--asc/--desc", help="Sort order.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 10,
    offset: Annotated[int, typer.Option(help="Skip this many rows.")] = 0,
    include_deleted: Annotated[bool, typer.Option(help="Include deleted rows.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Print rows matching the filters."""
    ds = open_dataset(dataset)
    result = ds.select_rows(
        column or ["*"],
        filters=filters_for(ds, filter_),
        sort_by=sort_by,
        sort_order="ASC" if ascending else "DESC",
        limit=limit,
        offset=offset,
        include_deleted=include_deleted,
    )
    print_rows(result, as_json)
    if not as_json:
        typer.echo(f"{result.total_num_rows} matching rows", err=True)


@app.command()
@handle_errors
def stats(
    dataset: DatasetArg,
    path: Annotated[str, typer.Argument(help="A leaf column path.")],
    as_json: JsonOpt = False,
) -> None:
    """Summary statistics of one column."""
    print_record(open_dataset(dataset).stats(path).model_dump(), as_json)


@app.command()
@handle_errors
def groups(
    dataset: DatasetArg,
    path: Annotated[str, typer.Argument(help="A leaf column path.")],
    filter_: FilterOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A histogram of one column (values, numeric bins or text-length bins)."""
    ds = open_dataset(dataset)
    result = ds.select_groups(path, filters=filters_for(ds, filter_))
    rows = [{"group": value, "count": count} for value, count in result.counts]
    print_rows(rows, as_json)


@app.command()
@handle_errors
def label(
    dataset: DatasetArg,
    name: Annotated[str, typer.Argument(help="The label, e.g. good or bad.")],
    filter_: FilterOpt = None,
    row_id: RowIdOpt = None,
    keyword: KeywordOpt = None,
    value: Annotated[str, typer.Option(help="The label's value.")] = "true",
    remove: Annotated[bool, typer.Option("--remove", help="Remove the label instead.")] = False,
) -> None:
    """Label rows chosen by filters, row ids and/or keyword searches (or remove the label)."""
    ds = open_dataset(dataset)
    _require_selection(filter_, row_id, keyword, "label")
    filters, searches = filters_for(ds, filter_), _keyword_searches(keyword)
    if remove:
        count = ds.remove_labels(name, row_ids=row_id, searches=searches, filters=filters)
        typer.echo(f"Removed label '{name}' from {_rows(count)}")
    else:
        count = ds.add_labels(name, row_ids=row_id, searches=searches, filters=filters, value=value)
        typer.echo(f"Labelled {_rows(count)} '{name}' = {value}")


@app.command()
@handle_errors
def delete(
    dataset: DatasetArg,
    filter_: FilterOpt = None,
    row_id: RowIdOpt = None,
    keyword: KeywordOpt = None,
) -> None:
    """Soft-delete rows chosen by filters, row ids and/or keyword searches (restore brings them
    back)."""
    ds = open_dataset(dataset)
    _require_selection(filter_, row_id, keyword, "delete")
    count = ds.delete_rows(
        row_ids=row_id, filters=filters_for(ds, filter_), searches=_keyword_searches(keyword)
    )
    typer.echo(f"Deleted {_rows(count)}; {ds.count()} remain")


@app.command()
@handle_errors
def restore(
    dataset: DatasetArg,
    filter_: FilterOpt = None,
    row_id: RowIdOpt = None,
    keyword: KeywordOpt = None,
) -> None:
    """Restore deleted rows (all of them when no filter, row id or keyword is given)."""
    ds = open_dataset(dataset)
    count = ds.restore_rows(
        row_ids=row_id,
        filters=filters_for(ds, filter_) or None,
        searches=_keyword_searches(keyword),
    )
    typer.echo(f"Restored {_rows(count)}; {ds.count()} rows now")


@app.command()
@handle_errors
def export(
    dataset: DatasetArg,
    output: Annotated[Path, typer.Argument(help="The file to write.")],
    format_: Annotated[
        str | None,
        typer.Option("--format", help="jsonl, json, csv or parquet (default: from the file name)."),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", "-c", help="Column path (repeatable; default all)."),
    ] = None,
    filter_: FilterOpt = None,
    include_deleted: Annotated[bool, typer.Option(help="Include deleted rows.")] = False,
) -> None:
    """Export rows to a file (deleted rows are left out unless asked)."""
    ds = open_dataset(dataset)
    fmt = format_ or output.suffix.lstrip(".").lower()
    path = run_export(ds, output, fmt, column, filters_for(ds, filter_), include_deleted)
    typer.echo(f"Wrote {path}")


@app.command()
@handle_errors
def drop(
    dataset: DatasetArg, yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False
) -> None:
    """Delete a whole dataset and everything derived from it."""
    namespace, name = split_name(dataset)
    if not yes:
        typer.confirm(f"Delete dataset {namespace}/{name} and all its derived data?", abort=True)
    delete_dataset(namespace, name)
    typer.echo(f"Deleted dataset {namespace}/{name}")


@app.command()
@handle_errors
def jobs(
    dataset: Annotated[str | None, typer.Option(help="Only this dataset's jobs.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List recent jobs with their status and progress."""
    rows = [
        {
            "id": job.id,
            "kind": job.kind,
            "dataset": job.dataset,
            "status": str(job.status),
            "progress": f"{job.progress}/{job.total if job.total is not None else '?'}",
            "description": job.description,
            "error": job.error,
        }
        for job in list_jobs(dataset=dataset)
    ]
    print_rows(rows, as_json)


@app.command()
@handle_errors
def cancel(
    job_id: Annotated[str, typer.Argument(help="The job's id (see `gristmill jobs`).")],
    as_json: JsonOpt = False,
) -> None:
    """Stop a running job, from any shell: it ends at its next check and keeps finished work."""
    job = cancel_job(job_id)
    if as_json:
        print_record(job.model_dump(mode="json"), as_json)
        return
    if job.cancel_requested and not job.status.is_finished:
        typer.echo(f"Asked job {job.id} ({job.description}) to stop; it ends at its next check")
    else:
        typer.echo(f"Job {job.id} ({job.description}) is {job.status}")


def _require_selection(
    filters: list[str] | None,
    row_ids: list[int] | None,
    keywords: list[str] | None,
    verb: str,
) -> None:
    # From the shell, "every row" must be said out loud: a forgotten --filter is too easy.
    if not filters and not row_ids and not keywords:
        raise InvalidInputError(
            f"say which rows to {verb}",
            hint="pass --filter 'PATH OP VALUE', --row-id N or --keyword PATH=QUERY"
            " (every row: --filter '__rowid__ greater_equal 0')",
        )


def _keyword_searches(keywords: list[str] | None) -> list[KeywordSearch]:
    searches = []
    for item in keywords or []:
        path, sep, query = item.partition("=")
        if not sep or not path.strip() or not query.strip():
            raise InvalidInputError(
                f"cannot read --keyword {item!r}",
                hint="write it as PATH=QUERY, e.g. --keyword 'instruction=email'",
            )
        searches.append(KeywordSearch(path=path.strip(), query=query.strip()))
    return searches


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"
