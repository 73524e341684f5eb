"""How the CLI reports user errors: one line on stderr, exit code 2, no traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from gristmill.errors import GristmillError, JobError

P = ParamSpec("P")
R = TypeVar("R")

USER_ERROR_EXIT = 2


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn Gristmill's own errors into a clear message; anything else is a bug and shows fully."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except GristmillError as exc:
            label = "failed" if isinstance(exc, JobError) else "error"
            typer.echo(f"{label}: {exc}", err=True)
            raise typer.Exit(USER_ERROR_EXIT) from None

    return wrapper
