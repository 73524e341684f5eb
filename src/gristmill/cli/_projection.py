"""The ``projection`` commands: the 2-D map of an embedded text column."""

from __future__ import annotations

from typing import Annotated

import typer

from gristmill.bounds import MAX_BIGINT, Bound
from gristmill.cli._app import app
from gristmill.cli._datasets import DatasetArg, JsonOpt, open_dataset
from gristmill.cli._errors import handle_errors
from gristmill.cli._render import to_json
from gristmill.projection import DEFAULT_MAX_POINTS, MIN_SAMPLE_POINTS

projection_app = typer.Typer(
    help="The data map: each embedded row as a point in 2-D (UMAP).", no_args_is_help=True
)
app.add_typer(projection_app, name="projection")
# As over REST: a map shows at least this many points when there are that many.
MAP_POINTS = Bound("--max-points", MIN_SAMPLE_POINTS, MAX_BIGINT)


@projection_app.command("compute")
@handle_errors
def compute(
    dataset: DatasetArg,
    path: Annotated[str, typer.Argument(help="The text column path (embedded already).")],
    embedding: Annotated[
        str | None,
        typer.Option("--embedding", "-e", help="Embedding to project (default: the stored one)."),
    ] = None,
    max_points: Annotated[
        int,
        typer.Option(
            "--max-points",
            help=f"Above this many rows a seeded sample is projected (at least"
            f" {MIN_SAMPLE_POINTS}).",
        ),
    ] = DEFAULT_MAX_POINTS,
    overwrite: Annotated[bool, typer.Option(help="Recompute a stored projection.")] = False,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same map).")] = 42,
    as_json: JsonOpt = False,
) -> None:
    """Project the stored embedding of a text column to 2-D for the map (cached)."""
    ds = open_dataset(dataset)
    info = ds.compute_projection(
        path, embedding, max_points=MAP_POINTS.check(max_points), seed=seed, overwrite=overwrite
    )
    if as_json:
        typer.echo(to_json(info.model_dump()))
        return
    sample = " (a sample)" if info.sampled else ""
    typer.echo(
        f"Projected {info.num_points} rows{sample} of '{info.path}' ({info.embedding})"
        f" -> {info.column}"
    )
