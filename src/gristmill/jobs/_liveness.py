"""Is the process that runs a job still alive?

A job records the pid and host of its process and, on Linux, a token made of the boot id and
the process start time: a pid alone can be reused by an unrelated process after a crash, while
the (boot, start time, pid) triple names one process for ever.
"""

from __future__ import annotations

import functools
import os
import socket
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessIdentity:
    pid: int
    host: str
    token: str | None


@functools.cache
def _identity_of_pid(pid: int) -> ProcessIdentity:
    return ProcessIdentity(pid=pid, host=socket.gethostname(), token=_process_token(pid))


def current_process() -> ProcessIdentity:
    """The identity of this process (recomputed in a forked child, whose pid differs)."""
    return _identity_of_pid(os.getpid())


def is_alive(pid: int | None, host: str | None, token: str | None) -> bool | None:
    """True or False when it can be told from here; None for another machine or no pid."""
    if pid is None or host is None or host != socket.gethostname():
        return None
    if token is not None:
        current = _process_token(pid)
        if current is not None or _PROC.is_dir():
            return current == token
    return _pid_exists(pid)


@functools.cache
def _boot_id() -> str | None:
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def _process_token(pid: int) -> str | None:
    """``<boot id>:<start time>`` for a live (non-zombie) process, None where /proc is absent."""
    boot = _boot_id()
    if boot is None:
        return None
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    fields = stat[stat.rfind(")") + 2 :].split()
    state, start_time = fields[0], fields[19]
    if state in ("Z", "X"):
        return None
    return f"{boot}:{start_time}"


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
