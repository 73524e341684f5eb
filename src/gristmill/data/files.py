"""Crash-safe file writes, the one rule for temp names, and a per-dataset lock.

Every write goes to a temporary file in the same folder, is fsynced, then atomically renamed into
place, so a reader (or a crash) never sees half a file.

Every name Gristmill writes that is not data starts with a dot: temp files (``.tmp-<uuid>-x``),
folders being built (``.staging-…``) or removed (``.trash-…``), lock files (``.lock``,
``.locks/``), uploads (``.uploads/``). ``validate_name`` never lets a dataset, column or label
name start with one, so :func:`is_data_name` is the one test every lister of data files uses,
and :func:`remove_temp_files` clears what a killed writer left.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import pyarrow as pa


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


TEMP_PREFIXES = (".tmp-", ".staging-", ".trash-")


def temp_path_for(path: Path) -> Path:
    return path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")


def is_data_name(name: str) -> bool:
    """False for temp, staging, trash, lock and upload names: those are never read as data."""
    return not name.startswith(".")


def is_temp_name(name: str) -> bool:
    """A leftover of an unfinished write (a kill leaves these behind)."""
    return name.startswith(TEMP_PREFIXES)


def data_files(folder: Path, pattern: str = "*") -> list[Path]:
    """The entries of ``folder`` matching ``pattern``, sorted, leaving out every non-data name.

    (``Path.glob('*')`` matches names starting with a dot, so a plain glob would list temp files.)
    """
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob(pattern) if is_data_name(path.name))


def remove_temp_files(folder: Path) -> list[Path]:
    """Remove every temp file and folder under ``folder``; returns what was removed.

    Only for a caller that holds the locks of every writer that could be writing there: another
    process's temp file is otherwise a write in progress.
    """
    removed: list[Path] = []
    for parent, dirs, files in os.walk(folder):
        for name in [*files, *dirs]:
            if not is_temp_name(name):
                continue
            path = Path(parent) / name
            if name in dirs:
                shutil.rmtree(path, ignore_errors=True)
                dirs.remove(name)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` then fsync and rename ``tmp`` to ``path``; on failure leave no trace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(path)
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write_stream(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Like :func:`atomic_write`, for writers that take an open binary file (``np.save``)."""

    def write_file(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            write(handle)

    atomic_write(path, write_file)


def atomic_write_text(path: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(path, write)


# Internal files favour speed: lz4 decompresses about twice as fast as zstd, and scans of text
# columns were decompression-bound. Exports use the widely readable default instead.
INTERNAL_COMPRESSION = "lz4"


def atomic_write_table(path: Path, table: pa.Table) -> None:
    import pyarrow.parquet as pq

    def write(tmp: Path) -> None:
        pq.write_table(table, tmp, compression=INTERNAL_COMPRESSION)

    atomic_write(path, write)


def work_dir_signature(folder: Path) -> Any:
    """The signature recorded by the job that made ``folder``; None if there is none."""
    try:
        return json.loads((folder / "signature.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def claim_work_dir(folder: Path, signature: dict[str, Any]) -> None:
    """Keep ``folder`` if an earlier run of the same job (same ``signature``) made it, else
    empty it; then record ``signature``. Resumable jobs keep their partial results here."""
    if folder.exists() and work_dir_signature(folder) != signature:
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / "signature.json", json.dumps(signature, sort_keys=True))


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` across threads and processes (flock)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
