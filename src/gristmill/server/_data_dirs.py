"""The folders a server may load files from (``--data-dir``), and checking a requested path.

Loading from the server's disk is off unless the operator names folders. A requested path is read
literally (no ``~``, no ``..``) as relative to one of those folders, or as an absolute path inside
one; it is then resolved, symlinks included, and must still lie inside one. The matches of a glob
and the files of a folder are checked one by one, and those that fall outside count as absent.

A refusal reads the same whatever exists outside the folders, so errors cannot map the disk; and
files are named to clients from the folder names the operator typed, never by the server's
absolute paths.
"""

from __future__ import annotations

import glob
import os
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gristmill.errors import InvalidInputError, SourceError
from gristmill.server._errors import PathNotAllowedError

GLOB_CHARS = frozenset("*?[")
LIST_ROUTE = "GET /api/v1/data_dirs"


@dataclass(frozen=True)
class NamedFile:
    """A file to load: where it really is, and the name clients see for it."""

    path: Path
    shown: str


@dataclass(frozen=True)
class _Candidate:
    """A request read against one data folder: ``rest`` is the part below the folder."""

    shown: str
    root: Path
    rest: str


def resolve_data_dirs(given: Iterable[str | os.PathLike[str]]) -> dict[str, Path]:
    """``{folder as the operator typed it: its resolved path}``; each must be a folder."""
    folders: dict[str, Path] = {}
    for entry in given:
        shown = os.fspath(entry)
        path = Path(os.path.expanduser(shown)).resolve()
        if not path.is_dir():
            raise InvalidInputError(
                f"the data folder '{shown}' does not exist or is not a folder",
                hint="pass --data-dir with a folder whose files clients may load",
            )
        folders[shown] = path
    return folders


def files_to_load(
    requested: str, data_dirs: Mapping[str, Path], *, folder_glob: str | None = None
) -> list[NamedFile]:
    """The files ``requested`` names inside the data folders, in order.

    A folder is read as its ``folder_glob`` files (Parquet shards), or refused without one.
    """
    candidates = locate(requested, data_dirs)
    if GLOB_CHARS & set(requested):
        for candidate in candidates:
            pattern = glob.escape(str(candidate.root)) + "/" + candidate.rest
            matches = _named_inside(sorted(glob.glob(pattern, recursive=True)), data_dirs)
            if matches:
                return matches
        raise SourceError(
            f"no files match the pattern '{requested}'", hint=_where_paths_start(data_dirs)
        )
    # Only what exists inside counts in the choice, so a symlink out cannot steer it.
    chosen = next((c for c in candidates if _exists_inside(c, data_dirs)), candidates[0])
    target = chosen.root / chosen.rest
    real = _resolved(target)
    if real is None or _named(real, data_dirs) is None:
        raise not_inside(requested, data_dirs)
    if real.is_file():
        return _named_inside([str(real)], data_dirs)
    if not real.is_dir():
        raise SourceError(f"file not found: '{requested}'", hint=_where_paths_start(data_dirs))
    if folder_glob is None:
        raise SourceError(
            f"'{requested}' is a folder, not a file",
            hint=f"name a file in it, or a pattern such as '{requested.rstrip('/')}/*.jsonl'",
        )
    found = _named_inside([str(path) for path in sorted(target.rglob(folder_glob))], data_dirs)
    if not found:
        raise SourceError(
            f"the folder '{requested}' holds no '{folder_glob}' files",
            hint="point the path at the files themselves",
        )
    return found


def locate(requested: str, data_dirs: Mapping[str, Path]) -> list[_Candidate]:
    """Where ``requested`` may be, best first, judged on its text alone (so without an oracle).

    It may start with a folder's name as the operator typed it (``data/train.jsonl``), be
    absolute inside a folder's real location, or be relative to a folder (the first holding it).
    """
    if not data_dirs:
        raise PathNotAllowedError(
            "this server does not load files from its disk",
            hint="upload the file instead, or start the server with --data-dir FOLDER to let"
            " clients load the files in FOLDER",
        )
    if not requested or "\0" in requested or ".." in requested.split("/"):
        raise not_inside(requested, data_dirs)
    text = posixpath.normpath(requested)
    # The longest name first: 'data/raw' is a better match than 'data' for 'data/raw/x.csv'.
    for shown, root in sorted(data_dirs.items(), key=lambda item: -len(item[0])):
        name = posixpath.normpath(shown)
        if text == name or text.startswith(name.rstrip("/") + "/"):
            return [_Candidate(shown, root, text[len(name) :].lstrip("/"))]
    if posixpath.isabs(text):
        for shown, root in sorted(data_dirs.items(), key=lambda item: -len(str(item[1]))):
            if Path(text).is_relative_to(root):
                return [_Candidate(shown, root, Path(text).relative_to(root).as_posix())]
        raise not_inside(requested, data_dirs)
    return [_Candidate(shown, root, text) for shown, root in data_dirs.items()]


def not_inside(requested: str, data_dirs: Mapping[str, Path]) -> PathNotAllowedError:
    return PathNotAllowedError(
        f"path '{requested}' is not inside a data folder this server allows",
        hint=_where_paths_start(data_dirs),
    )


def _where_paths_start(data_dirs: Mapping[str, Path]) -> str:
    names = ", ".join(f"'{shown}'" for shown in data_dirs)
    first = next(iter(data_dirs), "data")
    return (
        f"name a file inside the data folders ({names}), e.g. '{first.rstrip('/')}/train.jsonl';"
        f" {LIST_ROUTE} lists them"
    )


def _named_inside(paths: list[str], data_dirs: Mapping[str, Path]) -> list[NamedFile]:
    """The files among ``paths`` that really are inside a data folder, each once.

    Each is named from where it really is, not from the way that led there: a match through a
    symlink that leaves the folder and comes back must not spell out what lies outside.
    """
    found: dict[Path, NamedFile] = {}
    for path in paths:
        real = _resolved(Path(path))
        if real is None or real in found or not real.is_file():
            continue
        shown = _named(real, data_dirs)
        if shown is not None:
            found[real] = NamedFile(real, shown)
    return sorted(found.values(), key=lambda file: file.shown)


def _named(real: Path, data_dirs: Mapping[str, Path]) -> str | None:
    """``real`` (resolved) named below the deepest data folder holding it; ``None``: outside."""
    holding = [(shown, root) for shown, root in data_dirs.items() if real.is_relative_to(root)]
    if not holding:
        return None
    shown, root = max(holding, key=lambda item: len(item[1].parts))
    below = real.relative_to(root).as_posix()
    return shown if below == "." else shown.rstrip("/") + "/" + below


def _exists_inside(candidate: _Candidate, data_dirs: Mapping[str, Path]) -> bool:
    real = _resolved(candidate.root / candidate.rest)
    return real is not None and real.exists() and _named(real, data_dirs) is not None


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        # A symlink loop or an unreadable component: treated as a file that is not there.
        return None
