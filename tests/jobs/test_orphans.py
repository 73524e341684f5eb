"""Pool workers (and multiprocessing's helper process) end when their driver is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import gristmill

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc"
)

# Generous: a worker notices at once on Linux (the kernel signals it) and within a second
# elsewhere; only a failing run waits this long.
GONE_WITHIN_S = 10.0

DRIVER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from gristmill.jobs.executors import run_chunks

    def slow(item):
        Path(sys.argv[1], f"worker-{item}").touch()
        time.sleep(600)
        return item

    if __name__ == "__main__":
        for _ in run_chunks(slow, [(n, [n]) for n in range(4)], num_jobs=2,
                            execution_type="processes"):
            pass
    """
)


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    return None if fields[0] in ("Z", "X") else (fields[0], int(fields[1]))


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[1], []).append(int(entry.name))
    found: set[int] = set()
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def test_workers_exit_when_the_driver_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(gristmill.__file__).parents[1])}
    driver = subprocess.Popen([sys.executable, str(script), str(tmp_path)], env=env)
    try:
        deadline = time.monotonic() + 120
        while len(list(tmp_path.glob("worker-*"))) < 2:  # both workers are busy
            assert driver.poll() is None, "the driver ended early"
            assert time.monotonic() < deadline, "the workers never started"
            time.sleep(0.05)
        helpers = _descendants(driver.pid)
    finally:
        driver.send_signal(signal.SIGKILL)
        driver.wait()
    assert len(helpers) >= 2
    deadline = time.monotonic() + GONE_WITHIN_S
    while (alive := {pid for pid in helpers if _stat(pid) is not None}) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.1)
    for pid in alive:  # leave nothing running, whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"still running after the driver was killed: {sorted(alive)}"


WATCHED = textwrap.dedent(
    """
    import subprocess, sys, time
    from pathlib import Path

    if sys.argv[1] == "parent":
        subprocess.Popen([sys.executable, __file__, "child", sys.argv[2]])
        time.sleep(600)
    else:
        from gristmill.jobs._worker import exit_with_parent
        import os
        exit_with_parent(os.getppid(), use_kernel=False)  # the watchdog alone
        Path(sys.argv[2]).write_text(str(os.getpid()))
        time.sleep(600)
    """
)


def test_without_the_kernels_help_the_watchdog_ends_an_orphan(tmp_path: Path) -> None:
    script = tmp_path / "watched.py"
    script.write_text(WATCHED, encoding="utf-8")
    marker = tmp_path / "child-pid"
    env = {**os.environ, "PYTHONPATH": str(Path(gristmill.__file__).parents[1])}
    parent = subprocess.Popen([sys.executable, str(script), "parent", str(marker)], env=env)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() or not marker.read_text():
            assert time.monotonic() < deadline, "the child never started"
            time.sleep(0.05)
        child = int(marker.read_text())
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + GONE_WITHIN_S
    while _stat(child) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    if _stat(child) is not None:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the orphan outlived its parent")
