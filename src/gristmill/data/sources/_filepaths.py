"""Turning a source's ``filepaths`` (paths, globs, ``~``) into an ordered list of existing files."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from gristmill.errors import SourceError

_GLOB_CHARS = frozenset("*?[")
# Small enough to read whole; a larger file is not "empty" even if it starts with blank lines.
_EMPTY_CHECK_BYTES = 1 << 16


def normalise_filepaths(value: object) -> list[str]:
    """Pydantic ``before`` validator: accept one path or a list of str/Path, store strings."""
    if isinstance(value, str | os.PathLike):
        return [os.fspath(value)]
    if isinstance(value, Sequence):
        items = list(value)
        if all(isinstance(v, str | os.PathLike) for v in items):
            return [os.fspath(v) for v in items]
    raise SourceError(
        f"filepaths must be a path or a list of paths, got {value!r}",
        hint="e.g. filepaths=['data/train.jsonl', 'more/*.jsonl']",
    )


def expand_filepaths(
    filepaths: Sequence[str], *, kind: str, dir_glob: str | None = None
) -> list[Path]:
    """Expand ``~`` and globs, in the given order (each glob's matches sorted), without duplicates.

    A missing file, a glob that matches nothing, and a directory (unless ``dir_glob`` says which
    files of a directory to read) are errors that name the path.
    """
    if not filepaths:
        raise SourceError(
            f"the {kind} source was given no filepaths",
            hint="pass filepaths=['path/to/file'] (globs like 'data/*.jsonl' work too)",
        )
    found: list[Path] = []
    for given in filepaths:
        expanded = os.path.expanduser(given)
        if any(char in expanded for char in _GLOB_CHARS):
            matches = [Path(m) for m in sorted(glob.glob(expanded, recursive=True))]
            files = [m for m in matches if m.is_file()]
            if not files:
                raise SourceError(
                    f"no files match the pattern '{given}'",
                    hint=f"check the pattern; relative paths start from {os.getcwd()}",
                )
            found.extend(files)
            continue
        path = Path(expanded)
        if path.is_dir():
            if dir_glob is None:
                raise SourceError(
                    f"'{given}' is a directory, not a {kind} file",
                    hint=f"name the files, e.g. '{Path(given) / ('*.' + kind.lower())}'",
                )
            inside = sorted(p for p in path.rglob(dir_glob) if p.is_file())
            if not inside:
                raise SourceError(
                    f"the directory '{given}' holds no '{dir_glob}' files",
                    hint="point filepaths at the files themselves",
                )
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise SourceError(
                f"file not found: '{given}'",
                hint=f"check the path; relative paths start from {os.getcwd()}",
            )
    unique = dict.fromkeys(p.resolve() for p in found)
    return list(unique)


def check_not_empty(path: Path) -> None:
    """An empty (or whitespace-only) file is an error naming it."""
    size = path.stat().st_size
    if size > _EMPTY_CHECK_BYTES:
        return
    with path.open("rb") as handle:
        blank = not handle.read().strip()
    if blank:
        raise SourceError(
            f"'{path}' is empty",
            hint="pass a file that holds at least one row, or remove it from filepaths",
        )
