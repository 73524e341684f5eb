"""Writer locks: one writer per dataset name and per output column at a time, across processes.

Two kinds, both ``flock`` locks on small files under ``<project>/datasets/.locks/<namespace>/``,
outside the dataset folders, so that replacing or deleting a dataset never moves a lock from under
its holder:

- the *dataset* lock (``<name>.lock``): held exclusively while a load creates or replaces the
  dataset, while it is deleted, and while stale temp files are swept; held shared by every job
  writing one of its columns. So a load never swaps the folder under a running ``map``, and a
  sweep never removes a live writer's temp file.
- the *column* lock (``<name>/<column>.lock``): held exclusively for the whole job writing the
  column, so two ``map``s into one column can never mix their chunks.

The kernel drops a lock when its process dies, so a lock left by a killed process is free at
once: nothing to detect or break. An exclusive holder records its pid and job in the file so a
refused writer can name it. Locks are re-entrant per thread (a job writing its column calls code
that takes the same lock again) and exclusive between threads, as between processes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gristmill.errors import ConflictError, GristmillError

LOCKS_DIRNAME = ".locks"
# A sweep holds a dataset lock for a moment; a writer meeting one waits this long before refusing.
BRIEF_WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.05
# How long replacing or deleting a dataset waits for the writers that yield to it to stop.
YIELD_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class LockHolder:
    """Who holds an exclusive lock, as it recorded itself."""

    pid: int
    host: str
    action: str
    job_id: str | None = None
    # Work that can be dropped and redone (a keyword index): a delete or a load replacing the
    # dataset cancels it rather than waiting for it or failing.
    yields: bool = False

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        job = f"job {self.job_id}, " if self.job_id else ""
        return f"{job}pid {self.pid}{where}"


@dataclass
class _Held:
    fd: int
    shared: bool
    count: int = 1


# What this thread holds, by lock path: a nested acquire counts instead of locking again (a
# second flock on a new descriptor would conflict with our own first one).
_local = threading.local()


def _held_here() -> dict[Path, _Held]:
    held: dict[Path, _Held] | None = getattr(_local, "held", None)
    if held is None:
        held = _local.held = {}
    return held


class FileLock:
    """An ``flock`` on one file, taken without blocking or waiting at most ``wait`` seconds."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def acquire(self, *, shared: bool = False, wait: float = 0.0) -> bool:
        held = _held_here().get(self.path)
        if held is not None and (shared or not held.shared):
            held.count += 1
            return True
        if held is not None:
            return False  # this thread holds it shared; upgrading would let others in between
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(_POLL_SECONDS)
            else:
                _held_here()[self.path] = _Held(fd, shared)
                return True

    def release(self) -> None:
        held = _held_here().get(self.path)
        if held is None:
            return
        held.count -= 1
        if held.count:
            return
        del _held_here()[self.path]
        if not held.shared:
            os.ftruncate(held.fd, 0)  # no stale holder is named once the lock is free
        os.close(held.fd)  # closing the descriptor drops the flock

    def record(self, action: str, job_id: str | None = None, *, yields: bool = False) -> None:
        """Write who holds this (exclusive) lock, for the error a refused writer shows, and
        whether its job ``yields`` to a delete or replacement of the dataset."""
        held = _held_here().get(self.path)
        if held is None or held.shared or held.count > 1:
            return  # a nested hold leaves the outermost holder's record
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "action": action}
        if job_id is not None:
            holder["job_id"] = job_id
        if yields:
            holder["yields"] = True
        os.ftruncate(held.fd, 0)
        os.pwrite(held.fd, json.dumps(holder).encode("utf-8"), 0)

    def holder(self) -> LockHolder | None:
        """The recorded holder, if the lock is held exclusively by someone else right now."""
        if self.path in _held_here():
            return None
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # held exclusively: the record is current
            else:
                return None  # free or only shared: any record is a dead holder's
            try:
                raw = json.loads(os.pread(fd, 4096, 0) or b"null")
                return LockHolder(
                    pid=int(raw["pid"]),
                    host=str(raw["host"]),
                    action=str(raw["action"]),
                    job_id=raw.get("job_id"),
                    yields=raw.get("yields") is True,
                )
            except (ValueError, TypeError, KeyError):
                return None  # being written this instant
        finally:
            os.close(fd)


def dataset_lock(root: Path) -> FileLock:
    """The lock of the dataset whose folder is ``root`` (``<datasets>/<namespace>/<name>``)."""
    return FileLock(root.parent.parent / LOCKS_DIRNAME / root.parent.name / f"{root.name}.lock")


def column_lock(root: Path, column: str) -> FileLock:
    folder = root.parent.parent / LOCKS_DIRNAME / root.parent.name / root.name
    return FileLock(folder / f"{column}.lock")


def _full_name(root: Path) -> str:
    return f"{root.parent.name}/{root.name}"


def _column_writers(root: Path) -> list[LockHolder]:
    folder = root.parent.parent / LOCKS_DIRNAME / root.parent.name / root.name
    if not folder.is_dir():
        return []
    found = (FileLock(path).holder() for path in sorted(folder.glob("*.lock")))
    return [holder for holder in found if holder is not None]


def busy_dataset_error(root: Path) -> ConflictError:
    """The error for a dataset whose lock another writer holds, naming it when it can."""
    holders = [h for h in [dataset_lock(root).holder()] if h is not None] or _column_writers(root)
    if not holders:
        return ConflictError(
            f"dataset '{_full_name(root)}' is being written by another process",
            hint="wait for it to finish and retry (gm.list_jobs() shows running jobs)",
        )
    running = "; ".join(f"a {h.action} ({h.describe()})" for h in holders)
    jobs = [h.job_id for h in holders if h.job_id]
    return ConflictError(
        f"dataset '{_full_name(root)}' is being written: {running}",
        hint="wait for it to finish and retry, or cancel it"
        + (f": gm.cancel_job('{jobs[0]}')" if jobs else ""),
    )


def acquire_replacing(root: Path, wait: float | None = None) -> bool:
    """Take the dataset's lock exclusively, to delete or replace it, within ``wait`` seconds
    (``BRIEF_WAIT_SECONDS`` by default).

    If only writers that yield hold it (a keyword index being built), their jobs are cancelled
    and the lock awaited a while longer: the work they do would be thrown away anyway.
    """
    lock = dataset_lock(root)
    if lock.acquire(wait=BRIEF_WAIT_SECONDS if wait is None else wait):
        return True
    writers = _column_writers(root)
    if not writers or not all(w.yields and w.job_id for w in writers):
        return False
    # Imported here: the jobs table needs SQLAlchemy (~0.3 s), which taking a lock should not.
    from gristmill.jobs import cancel_job

    for writer in writers:
        assert writer.job_id is not None
        try:
            cancel_job(writer.job_id)
        except GristmillError:
            return False  # not a job of this project's table: not ours to stop
    return lock.acquire(wait=YIELD_WAIT_SECONDS)


@contextlib.contextmanager
def hold_dataset(root: Path, *, action: str, wait: float | None = None) -> Iterator[FileLock]:
    """Hold the dataset's lock exclusively; :class:`ConflictError` while anyone else writes."""
    lock = dataset_lock(root)
    if not acquire_replacing(root, wait):
        raise busy_dataset_error(root)
    try:
        lock.record(action)
        yield lock
    finally:
        lock.release()


@contextlib.contextmanager
def hold_column(root: Path, column: str, *, action: str) -> Iterator[FileLock]:
    """Be the one writer of ``column``: fails at once with :class:`ConflictError` if another
    writer has it, naming that writer's job and pid. Call ``record()`` on the lock to add the
    job id once the job exists."""
    dataset = dataset_lock(root)
    if not dataset.acquire(shared=True, wait=BRIEF_WAIT_SECONDS):
        raise busy_dataset_error(root)
    try:
        lock = column_lock(root, column)
        if not lock.acquire():
            holder = lock.holder()
            doing = f"a {holder.action}" if holder else f"a write of '{column}'"
            who = f" ({holder.describe()})" if holder else " (in another process)"
            raise ConflictError(
                f"{doing} of dataset '{_full_name(root)}' is already running{who}",
                hint="wait for it to finish, or cancel it"
                + (f": gm.cancel_job('{holder.job_id}')" if holder and holder.job_id else "")
                + "; its finished chunks are kept either way",
            )
        try:
            lock.record(action)
            yield lock
        finally:
            lock.release()
    finally:
        dataset.release()


@contextlib.contextmanager
def try_hold_dataset(root: Path, *, action: str) -> Iterator[bool]:
    """Hold the dataset's lock exclusively if it is free this instant; yields whether it is.

    Not re-entrant: a thread that already holds the lock (a load reading the dataset it
    replaces) is itself a writer, so the answer is no.
    """
    lock = dataset_lock(root)
    if lock.path in _held_here() or not lock.acquire():
        yield False
        return
    try:
        lock.record(action)
        yield True
    finally:
        lock.release()
