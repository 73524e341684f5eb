"""Where an uploaded file waits while it loads: ``<project>/.uploads/<id>/<file name>``.

A folder lives exactly as long as its load: it is removed when the load ends and when the upload
is refused. A server that dies mid-load cannot remove its folders, so a starting server removes
the ones no live server holds. Liveness is a ``flock`` on ``<id>.lock``, taken before the folder
exists and held until it is gone: a crash releases it, and two servers sharing a project never
remove each other's uploads.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import threading
import uuid
from pathlib import Path
from typing import BinaryIO

from gristmill.project import get_project_dir

UPLOADS_DIRNAME = ".uploads"
_UNSAFE_FILENAME_CHARS = re.compile(r"[^A-Za-z0-9._-]")
_COPY_CHUNK_BYTES = 1024 * 1024

logger = logging.getLogger("gristmill.server")


def uploads_root() -> Path:
    return get_project_dir() / UPLOADS_DIRNAME


class UploadFolder:
    """A private folder for one upload, held (locked) until ``remove()``."""

    def __init__(self, root: Path | None = None) -> None:
        root = root or uploads_root()
        root.mkdir(parents=True, exist_ok=True)
        while True:
            self.id = uuid.uuid4().hex
            self._lock_path = root / f"{self.id}.lock"
            lock_file = self._lock_path.open("ab")
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
            # A starting server may have taken the lock file for an orphan and removed it between
            # our open and our lock: then the lock we hold guards nothing, and we start again.
            if _same_file(lock_file, self._lock_path):
                break
            lock_file.close()
        self._lock_file: BinaryIO | None = lock_file
        self._removing = threading.Lock()
        self.path = root / self.id
        self.path.mkdir()

    def save(self, filename: str | None, content: BinaryIO) -> Path:
        """Copy ``content`` in as a file named after ``filename`` (never a path)."""
        target = self.path / safe_filename(filename)
        with target.open("wb") as out:
            shutil.copyfileobj(content, out, _COPY_CHUNK_BYTES)
        return target

    def remove(self) -> None:
        """Delete the folder and release it; safe to call more than once."""
        with self._removing:
            if self._lock_file is None:
                return
            shutil.rmtree(self.path, ignore_errors=True)
            self._lock_path.unlink(missing_ok=True)
            self._lock_file.close()
            self._lock_file = None


def remove_stale_uploads(root: Path | None = None) -> int:
    """Remove the uploads no live server holds; returns how many folders went."""
    root = root or uploads_root()
    if not root.is_dir():
        return 0
    removed = 0
    for entry in sorted(root.iterdir()):
        if entry.name.endswith(".lock"):
            if (root / entry.name.removesuffix(".lock")).exists():
                continue  # judged with its folder
            _remove_if_unheld(None, entry)
        elif _remove_if_unheld(entry, root / f"{entry.name}.lock"):
            removed += 1
    if removed:
        logger.info("removed %d upload(s) left behind by a server that stopped", removed)
    return removed


def _remove_if_unheld(folder: Path | None, lock_path: Path) -> bool:
    try:
        # 'ab': never truncates or replaces a lock file a live server holds.
        with lock_path.open("ab") as lock:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            if folder is not None:
                if folder.is_dir() and not folder.is_symlink():
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    folder.unlink(missing_ok=True)
            lock_path.unlink(missing_ok=True)
            return True
    except OSError:
        return False


def _same_file(handle: BinaryIO, path: Path) -> bool:
    try:
        on_disk, held = os.stat(path), os.fstat(handle.fileno())
    except FileNotFoundError:
        return False
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def safe_filename(filename: str | None) -> str:
    # Only the extension matters to the loader; the rest is kept readable but never a path.
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_FILENAME_CHARS.sub("_", base).lstrip(".")
    return cleaned or "upload"
