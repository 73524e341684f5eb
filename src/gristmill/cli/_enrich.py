"""Enrichment and search commands: embed, index, signal, signals, search, and the concept group."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from gristmill.cli._app import app
from gristmill.cli._datasets import (
    DatasetArg,
    FilterOpt,
    JsonOpt,
    filters_for,
    open_dataset,
    split_name,
)
from gristmill.cli._errors import handle_errors
from gristmill.cli._render import print_record, print_rows
from gristmill.concepts import create_concept, get_concept, list_concepts
from gristmill.errors import InvalidInputError
from gristmill.search import ConceptSearch, KeywordSearch, SemanticSearch, result_column
from gristmill.signals import get_signal, signal_registry

EmbeddingOpt = Annotated[str, typer.Option("--embedding", "-e", help="Embedding model name.")]
PathArg = Annotated[str, typer.Argument(help="The text column path.")]

concept_app = typer.Typer(
    help="Concepts: named classifiers taught by examples.", no_args_is_help=True
)
app.add_typer(concept_app, name="concept")


@app.command()
@handle_errors
def embed(
    dataset: DatasetArg,
    path: PathArg,
    embedding: EmbeddingOpt = "minilm",
    overwrite: Annotated[bool, typer.Option(help="Recompute even if present.")] = False,
) -> None:
    """Embed a text column span by span (resumable; rerunning is a no-op)."""
    ds = open_dataset(dataset)
    result = ds.compute_embedding(embedding, path, overwrite=overwrite)
    typer.echo(
        f"Embedded {result.num_computed} rows of '{path}' with {embedding}"
        f" ({result.num_resumed} already done) into {result.column}"
    )


@app.command()
@handle_errors
def index(
    dataset: DatasetArg,
    path: PathArg,
    overwrite: Annotated[bool, typer.Option(help="Rebuild even if current.")] = False,
) -> None:
    """Build the keyword-search (BM25) index of a text column (until then a search scans)."""
    ds = open_dataset(dataset)
    info = ds.compute_keyword_index(path, overwrite=overwrite)
    if info.num_rows is None:
        typer.echo(f"The keyword index of '{info.path}' is current: nothing to build")
    else:
        typer.echo(f"Indexed {info.num_rows} rows of '{info.path}' for keyword search")


def _parse_params(items: list[str] | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items or []:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise InvalidInputError(
                f"cannot read --param {item!r}", hint="write --param name=value"
            )
        try:
            params[key] = json.loads(raw)
        except ValueError:
            params[key] = raw
    return params


@app.command()
@handle_errors
def signal(
    dataset: DatasetArg,
    path: PathArg,
    name: Annotated[
        str, typer.Argument(help="The signal, e.g. pii, near_duplicates (see `signals`).")
    ],
    param: Annotated[
        list[str] | None, typer.Option("--param", help="name=value (repeatable).")
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Recompute even if present.")] = False,
) -> None:
    """Compute a signal over a text column into a derived column."""
    ds = open_dataset(dataset)
    result = ds.compute_signal(get_signal(name, **_parse_params(param)), path, overwrite=overwrite)
    typer.echo(f"Computed {name} on {result.num_computed} rows into {result.column}")


@app.command()
@handle_errors
def signals(as_json: JsonOpt = False) -> None:
    """List the registered signals and their parameters."""
    rows = []
    for name in signal_registry.names():
        cls = signal_registry.get(name)
        params = {k: repr(f.default) for k, f in cls.model_fields.items()}
        rows.append({"signal": name, "scope": cls.scope, "parameters": params})
    print_rows(rows, as_json)


@app.command()
@handle_errors
def search(
    dataset: DatasetArg,
    path: PathArg,
    query: Annotated[
        str | None, typer.Argument(help="The query (not needed with --concept).")
    ] = None,
    semantic: Annotated[
        bool, typer.Option("--semantic", help="Search by meaning (needs `embed`).")
    ] = False,
    concept: Annotated[str | None, typer.Option(help="Rank by a concept NAMESPACE/NAME.")] = None,
    embedding: EmbeddingOpt = "minilm",
    filter_: FilterOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Keyword (BM25), semantic or concept search over a text column."""
    ds = open_dataset(dataset)
    chosen: KeywordSearch | SemanticSearch | ConceptSearch
    if concept:
        namespace, name = split_name(concept)
        chosen = ConceptSearch(
            path=path, concept_namespace=namespace, concept_name=name, embedding=embedding
        )
    elif not query:
        raise InvalidInputError("search needs a QUERY", hint="or rank by --concept NAMESPACE/NAME")
    elif semantic:
        chosen = SemanticSearch(path=path, query=query, embedding=embedding)
    else:
        chosen = KeywordSearch(path=path, query=query)
    column = result_column(chosen)
    rows = ds.select_rows(
        ["__rowid__", path], searches=[chosen], filters=filters_for(ds, filter_), limit=limit
    )
    shown = [
        {"__rowid__": r["__rowid__"], "score": round(r[column]["score"], 4), path: r[path]}
        for r in rows
    ]
    print_rows(shown, as_json)


@concept_app.command("list")
@handle_errors
def concept_list(as_json: JsonOpt = False) -> None:
    """List the concepts (built-in ones are in the 'gristmill' namespace)."""
    rows = [
        {
            "concept": f"{c.namespace}/{c.name}",
            "version": c.version,
            "description": c.description,
        }
        for c in list_concepts()
    ]
    print_rows(rows, as_json)


@concept_app.command("create")
@handle_errors
def concept_create(
    concept: Annotated[str, typer.Argument(help="NAMESPACE/NAME")],
    description: Annotated[str | None, typer.Option(help="What the concept means.")] = None,
) -> None:
    """Create an empty concept."""
    namespace, name = split_name(concept)
    create_concept(namespace, name, description=description)
    typer.echo(f"Created concept {namespace}/{name}")


@concept_app.command("add")
@handle_errors
def concept_add(
    concept: Annotated[str, typer.Argument(help="NAMESPACE/NAME")],
    positive: Annotated[
        list[str] | None, typer.Option("--positive", "-p", help="An example of it.")
    ] = None,
    negative: Annotated[
        list[str] | None, typer.Option("--negative", "-n", help="An example of its opposite.")
    ] = None,
    file: Annotated[Path | None, typer.Option(help="JSONL of {text, label} lines.")] = None,
) -> None:
    """Add labelled examples to a concept."""
    target = get_concept(*split_name(concept))
    added = 0
    if positive:
        added += len(target.add_examples(positive, label=True))
    if negative:
        added += len(target.add_examples(negative, label=False))
    if file is not None:
        lines = file.read_text(encoding="utf-8").splitlines()
        examples = [json.loads(line) for line in lines if line.strip()]
        added += len(target.add_examples(examples))
    if not added:
        raise InvalidInputError("no examples given", hint="pass --positive, --negative or --file")
    typer.echo(f"Added {added} examples to {concept} (now version {target.version})")


@concept_app.command("metrics")
@handle_errors
def concept_metrics(
    concept: Annotated[str, typer.Argument(help="NAMESPACE/NAME")],
    embedding: EmbeddingOpt = "minilm",
    as_json: JsonOpt = False,
) -> None:
    """Train (if needed) and show cross-validated precision, recall, F1 and ROC-AUC."""
    model = get_concept(*split_name(concept)).model(embedding)
    print_record(model.metrics.model_dump(), as_json)


@concept_app.command("score")
@handle_errors
def concept_score(
    dataset: DatasetArg,
    path: PathArg,
    concept: Annotated[str, typer.Argument(help="NAMESPACE/NAME")],
    embedding: EmbeddingOpt = "minilm",
) -> None:
    """Score a dataset column with a concept into a derived column (needs `embed` first)."""
    namespace, name = split_name(concept)
    ds = open_dataset(dataset)
    result = ds.compute_concept(namespace, name, embedding=embedding, path=path)
    typer.echo(f"Scored {result.num_computed} rows with {concept} into {result.column}")
