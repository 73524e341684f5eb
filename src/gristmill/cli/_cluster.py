"""The ``cluster`` command: titled clusters and categories for a text column."""

from __future__ import annotations

from typing import Annotated

import typer

from gristmill.cli._app import app
from gristmill.cli._datasets import DatasetArg, JsonOpt, open_dataset
from gristmill.cli._errors import handle_errors
from gristmill.cli._render import to_json


@app.command()
@handle_errors
def cluster(
    dataset: DatasetArg,
    path: Annotated[str, typer.Argument(help="The text column path.")],
    min_cluster_size: Annotated[
        int, typer.Option("--min-cluster-size", help="Smallest group HDBSCAN calls a cluster.")
    ] = 5,
    use_llm: Annotated[
        bool | None,
        typer.Option(
            "--use-llm/--no-llm",
            help="Title clusters with an LLM, or with keywords (default: an LLM if configured).",
        ),
    ] = None,
    llm: Annotated[
        str | None,
        typer.Option("--llm", help="LLM address, e.g. 'local' or 'openai:http://host/v1/model'."),
    ] = None,
    embedding: Annotated[
        str | None,
        typer.Option(
            "--embedding", "-e", help="Embedding model (default: one computed, or minilm)."
        ),
    ] = None,
    output_column: Annotated[
        str | None, typer.Option("--output-column", help="Default: <path>__cluster.")
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Recluster if the column exists.")] = False,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same clusters).")] = 42,
    as_json: JsonOpt = False,
) -> None:
    """Cluster a text column into titled clusters and categories (resumable)."""
    ds = open_dataset(dataset)
    result = ds.cluster(
        path,
        output_column=output_column,
        embedding=embedding,
        min_cluster_size=min_cluster_size,
        use_llm=use_llm,
        llm=llm,
        overwrite=overwrite,
        seed=seed,
    )
    if as_json:
        typer.echo(
            to_json(
                {
                    "column": result.column,
                    "num_rows": result.num_rows,
                    "num_clusters": result.num_clusters,
                    "num_categories": result.num_categories,
                    "titles_from": result.titles_from,
                    "notes": result.notes,
                    "seconds": result.seconds,
                }
            )
        )
        return
    typer.echo(
        f"Clustered {result.num_rows} rows of '{path}' into {result.num_clusters} clusters in"
        f" {result.num_categories} categories ({result.titles_from} titles) -> {result.column}"
    )
    for note in result.notes:
        typer.echo(f"note: {note}")
