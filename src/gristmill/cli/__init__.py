"""The ``gristmill`` command line: a thin shell over the Python API."""

from gristmill.cli._app import app, main

__all__ = ["app", "main"]
