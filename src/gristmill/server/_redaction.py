"""Keeping the server's own folders out of the error text clients see.

The loaders name files by the paths they opened, other errors may name the project folder, and a
job that failed on a bug keeps its traceback (source paths included). Loads already report files
by the names clients know (``ShownSource`` in ``_loading``); this is the last line for every
error the server renders and every job it shows: each data folder becomes the name the operator
gave it, the project, working and home folders become ``<project>``, ``.`` and ``~``, and the
private folder of an upload disappears, leaving the uploaded file's name.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from gristmill.jobs import JobInfo
from gristmill.project import get_project_dir

# '<anything>/.uploads/<32 hex digits>/' (see _uploads): what follows is the uploaded file's name.
# Only the fixed tail is a pattern; the path before it is found by walking back (a leading
# '[^\s]*' would make the search quadratic in a long message without spaces).
_UPLOAD_TAIL = re.compile(r"/\.uploads/[0-9a-f]{32}(?:/|\b)")
_PATH_STOPS = frozenset("'\"([<=,")
# A folder's path ends where a path component cannot go on: at '/', or at a character that is
# not part of a file name.
_AFTER_FOLDER = r"(?![\w.\-~])"


def redact(text: str, data_dirs: Mapping[str, Path] | None = None) -> str:
    """``text`` with the server's folders replaced by names that reveal nothing."""
    text = _without_upload_folders(text)
    for folder, shown in _replacements(data_dirs or {}):
        text = re.sub(re.escape(folder) + _AFTER_FOLDER, _literally(shown), text)
    return text


def _without_upload_folders(text: str) -> str:
    kept: list[str] = []
    done = 0
    for match in _UPLOAD_TAIL.finditer(text):
        start = match.start()
        while start > done and not (text[start - 1].isspace() or text[start - 1] in _PATH_STOPS):
            start -= 1
        kept.append(text[done:start])
        done = match.end()
    kept.append(text[done:])
    return "".join(kept)


def redact_job(info: JobInfo, data_dirs: Mapping[str, Path] | None = None) -> JobInfo:
    """The job as clients see it: its error and parameters without the server's folders.

    Jobs of every process show here (a CLI load names its file as typed on that command line).
    """
    error = redact(info.error, data_dirs) if info.error is not None else None
    params = json.loads(redact(json.dumps(info.params, ensure_ascii=False), data_dirs))
    if error == info.error and params == info.params:
        return info
    return info.model_copy(update={"error": error, "params": params})


def _literally(text: str) -> Callable[[re.Match[str]], str]:
    # A function, not a string, as the replacement: a backslash in a name is not an escape.
    return lambda _: text


def _replacements(data_dirs: Mapping[str, Path]) -> list[tuple[str, str]]:
    pairs = [(str(path), shown) for shown, path in data_dirs.items()]
    pairs.append((str(get_project_dir()), "<project>"))
    pairs.append((os.getcwd(), "."))
    pairs.append((str(Path.home()), "~"))
    # The deepest folder first, so a data folder inside the working folder keeps its own name;
    # the root is never replaced (it would turn every absolute path into nonsense).
    unique: dict[str, str] = {}
    for folder, shown in pairs:
        if folder not in ("", "/") and folder not in unique:
            unique[folder] = shown
    return sorted(unique.items(), key=lambda pair: -len(pair[0]))
