"""The ``clio`` commands: conversation insights of a dataset, and their static site.

    gristmill clio run local/chats messages               # LLM-free; --llm local for the model
    gristmill clio site local/chats site/ --password-env CLIO_PASSWORD
    gristmill clio serve-site site/

A password never comes on the command line (the shell's history and ``ps`` would show it): it
is read from an environment variable (``--password-env``) or asked for (``--ask-password``).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer

from gristmill.cli._app import app
from gristmill.cli._datasets import DatasetArg, JsonOpt, open_dataset
from gristmill.cli._errors import handle_errors
from gristmill.cli._render import to_json
from gristmill.errors import InvalidInputError, missing_dependency

if TYPE_CHECKING:
    from gristmill.site import SiteInfo

clio_app = typer.Typer(
    help="Conversation insights (OpenClio): facets, a named hierarchy, a map, a static site.",
    no_args_is_help=True,
)
app.add_typer(clio_app, name="clio")

SITE_PORT = 8421
FACET_SETS = ("main", "generic")
PasswordEnvOpt = Annotated[
    str | None,
    typer.Option(
        "--password-env",
        help="Encrypt the site with the password held in this environment variable.",
        show_default=False,
    ),
]
AskPasswordOpt = Annotated[
    bool, typer.Option("--ask-password", help="Encrypt the site with a password typed in.")
]
MaxFileOpt = Annotated[
    float, typer.Option(help="Largest data file, in MiB (the data is split in chunks).")
]


@clio_app.command("run")
@handle_errors
def run(
    dataset: DatasetArg,
    path: Annotated[str, typer.Argument(help="The column of chats (or texts) to read.")],
    facets: Annotated[
        str,
        typer.Option(
            help="Which facets: main (request, language, task, concerning) or generic (summary)."
        ),
    ] = "main",
    llm: Annotated[
        str | None,
        typer.Option(
            "--llm",
            help="LLM address, e.g. 'local' or 'openai/gpt-4o-mini' (default: the LLM-free mode).",
        ),
    ] = None,
    embedding: Annotated[
        str, typer.Option("--embedding", "-e", help="Embedding of the facet values and names.")
    ] = "minilm",
    overwrite: Annotated[bool, typer.Option(help="Recompute stored insights.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Facets of every conversation, base clusters, a named hierarchy and a map, stored as the
    column <path>__clio (resumable: rerun after a crash to continue)."""
    # Imported here: the pipeline pulls in the embedding and clustering stack.
    from gristmill.clio import OpenClioConfig, genericSummaryFacets, mainFacets

    if facets not in FACET_SETS:
        raise InvalidInputError(
            f"--facets must be one of {', '.join(FACET_SETS)}, got {facets!r}",
            hint="e.g. --facets main",
        )
    ds = open_dataset(dataset)
    chosen = mainFacets if facets == "main" else genericSummaryFacets
    result = ds.clio(
        path,
        chosen,
        OpenClioConfig(verbose=not as_json),
        llm,
        embedding=embedding,
        overwrite=overwrite,
        show_progress=not as_json,
    )
    summary = {
        "column": result.column,
        "mode": result.mode,
        "conversations": len(result.conversations),
        "llm_calls": result.llm_calls,
        "facets": {
            name: {
                "levels": clusters.tree.depth,
                "top_level": [(root.name, root.size) for root in clusters.tree.roots],
            }
            for name, clusters in result.clusters.items()
        },
    }
    if as_json:
        typer.echo(to_json(summary))
        return
    mode = "LLM-free" if result.mode == "extractive" else f"{result.llm_calls} LLM calls"
    typer.echo(f"{len(result.conversations)} conversations ({mode}) -> {result.column}")
    for name, clusters in result.clusters.items():
        roots = clusters.tree.roots
        typer.echo(f"{name}: {len(roots)} top-level clusters, {clusters.tree.depth} levels")
        for root in roots[:10]:
            typer.echo(f"  {root.size:>6}  {root.name}")
    typer.echo(f"See them in the app, or write a site: gristmill clio site {dataset} OUT_DIR")


@clio_app.command("site")
@handle_errors
def site(
    dataset: DatasetArg,
    out_dir: Annotated[Path, typer.Argument(help="The folder to write (empty, or a site).")],
    path: Annotated[
        str | None,
        typer.Option(help="The column the insights are of (default: the only one stored)."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The site's title.")] = None,
    password_env: PasswordEnvOpt = None,
    ask_password: AskPasswordOpt = False,
    min_conversations: Annotated[
        int,
        typer.Option(
            help="Fewest distinct conversations a cluster needs to be shown by name"
            " (smaller ones are folded into Other)."
        ),
    ] = 5,
    max_file_mb: MaxFileOpt = 10.0,
) -> None:
    """Write the static site of a dataset's stored insights (tree, map, conversations)."""
    password = _password(password_env, ask_password)
    # Imported here: the pipeline pulls in the embedding and clustering stack.
    from gristmill.clio import OpenClioConfig, read_clio, stored_clio_columns

    site_module = _site_module()
    ds = open_dataset(dataset)
    if path is None:
        stored = stored_clio_columns(ds)
        if len(stored) != 1:
            raise InvalidInputError(
                f"{dataset} has {len(stored)} conversation-insights columns"
                + (f" ({', '.join(stored)})" if stored else ""),
                hint="pick one with --path"
                if stored
                else f"compute them first: gristmill clio run {dataset} <path>",
            )
        path = stored[0]
    config = OpenClioConfig(
        verbose=False,
        minClusterConversations=max(1, min_conversations),
        password=password,
        htmlMaxSizePerFile=max(1, int(max_file_mb * 2**20)),
    )
    title = title or f"Conversation insights of {dataset}"
    _wrote(site_module.write_clio_site(read_clio(ds, path), out_dir, config, title=title))


@clio_app.command("site-from-json")
@handle_errors
def site_from_json(
    data: Annotated[Path, typer.Argument(help="A JSON file of site data (docs/clio-site.md).")],
    out_dir: Annotated[Path, typer.Argument(help="The folder to write (empty, or a site).")],
    password_env: PasswordEnvOpt = None,
    ask_password: AskPasswordOpt = False,
    max_file_mb: MaxFileOpt = 10.0,
) -> None:
    """Write a static site (index.html, the viewer, chunked gzip JSON) from a site-data file."""
    password = _password(password_env, ask_password)
    site_module = _site_module()
    info = site_module.write_site(
        site_module.read_site_data(data),
        out_dir,
        password=password,
        max_file_bytes=int(max_file_mb * 2**20),
    )
    _wrote(info)


def _site_module() -> ModuleType:
    try:
        # Imported here: the site pulls in the server's guards (FastAPI), off CLI startup.
        import gristmill.site
    except ImportError as exc:
        raise missing_dependency(exc.name or "cryptography", "clio", "the site") from None
    return gristmill.site


def _wrote(info: SiteInfo) -> None:
    locked = ", encrypted" if info.encrypted else ""
    typer.echo(
        f"Wrote {info.conversations} conversations to {info.out_dir} ({info.data_files} data"
        f" files, {info.total_bytes / 2**20:.1f} MiB{locked}); open it with"
        f" `gristmill clio serve-site {info.out_dir}`"
    )


@clio_app.command("serve-site")
@handle_errors
def serve_site(
    out_dir: Annotated[Path, typer.Argument(help="A folder written by clio site.")],
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = SITE_PORT,
    host: Annotated[
        str, typer.Option(help="Address to listen on (the loopback one by default).")
    ] = "127.0.0.1",
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Another host name clients reach the site by (repeatable).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve a written site until Ctrl-C, answering only its loopback and allowed host names."""
    try:
        # Imported here: uvicorn and the server's guards stay off CLI startup.
        from gristmill.site import serve_site as serve
    except ImportError as exc:
        raise missing_dependency(exc.name or "uvicorn", "server", "serve-site") from None
    serve(out_dir, port=port, host=host, allowed_hosts=allowed_host or [])


def _password(variable: str | None, ask: bool) -> str | None:
    if variable is not None and ask:
        raise InvalidInputError(
            "--password-env and --ask-password both give a password", hint="use one of them"
        )
    if variable is not None:
        value = os.environ.get(variable)
        if not value:
            raise InvalidInputError(
                f"the environment variable {variable} is not set (or empty)",
                hint=f"export {variable}=... first, or use --ask-password",
            )
        return value
    if ask:
        answer: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return answer
    return None
