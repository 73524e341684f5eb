"""The project folder: where datasets, the metadata database and ``gristmill.yml`` live.

Resolution order: ``set_project_dir()``, then ``$GRISTMILL_PROJECT_DIR``, then
``./gristmill_project``.
"""

from __future__ import annotations

import copy
import os
import re
import threading
from pathlib import Path
from typing import Any

from gristmill.errors import InvalidInputError, InvalidNameError, shown

PROJECT_ENV = "GRISTMILL_PROJECT_DIR"
DEFAULT_PROJECT_DIR = "gristmill_project"
CONFIG_FILENAME = "gristmill.yml"

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
_lock = threading.Lock()
_project_dir: Path | None = None


def set_project_dir(path: str | os.PathLike[str]) -> Path:
    """Use ``path`` (created if missing) as the project folder for this process."""
    global _project_dir
    resolved = Path(os.path.expanduser(os.fspath(path))).resolve()
    if resolved.exists() and not resolved.is_dir():
        raise InvalidInputError(
            f"the project path '{resolved}' is a file, not a folder",
            hint="choose a folder path for set_project_dir()",
        )
    resolved.mkdir(parents=True, exist_ok=True)
    with _lock:
        _project_dir = resolved
    return resolved


def get_project_dir() -> Path:
    """The project folder in use (created on first use)."""
    with _lock:
        chosen = _project_dir
    if chosen is not None:
        return chosen
    from_env = os.environ.get(PROJECT_ENV)
    return set_project_dir(from_env or DEFAULT_PROJECT_DIR)


def validate_name(name: str, what: str = "name") -> str:
    """Reject names that are empty, odd, or could escape the project folder (``../../etc``)."""
    if not isinstance(name, str):
        raise InvalidNameError(
            f"{what} must be a string, got {shown(name)}",
            hint="e.g. 'alpaca': 1-128 letters, digits, '_', '-' or '.'",
        )
    if not _NAME_RE.match(name) or ".." in name:
        raise InvalidNameError(
            f"invalid {what} {name!r}",
            hint="use 1-128 letters, digits, '_', '-' or '.', starting with a letter or digit"
            " and without '..'",
        )
    return name


def load_config(project_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The project's ``gristmill.yml`` as a dict (empty when there is none).

    Parsed again only when its text changes (a request or an embedding batch asks for it several
    times; reading the file is cheap, parsing YAML is not). Each caller gets its own copy, so no
    caller's edit leaks into another's.
    """
    path = (Path(project_dir) if project_dir else get_project_dir()) / CONFIG_FILENAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    with _config_lock:
        cached = _config_cache.get(path)
    if cached is None or cached[0] != text:
        cached = (text, _parse_config(path, text))
        with _config_lock:
            _config_cache[path] = cached
    return copy.deepcopy(cached[1])


_config_cache: dict[Path, tuple[str, dict[str, Any]]] = {}
_config_lock = threading.Lock()


def _parse_config(path: Path, text: str) -> dict[str, Any]:
    import yaml

    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInputError(
            f"{path} is not valid YAML: {exc}", hint="fix or delete the file"
        ) from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise InvalidInputError(
            f"{path} must hold a mapping at the top level", hint="fix or delete the file"
        )
    return loaded
