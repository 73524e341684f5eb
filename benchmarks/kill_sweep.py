"""A kill -9 sweep: every writing operation is killed at random moments, then checked.

For each operation the sweep first runs it once to the end (the reference, and its duration),
then, round after round, starts it in a fresh process, sends SIGKILL to that process alone at a
random moment within its duration (pool workers are *not* killed with it: they must notice), and
checks what a user would check next:

- the dataset (if the operation created it) opens, counts and queries without error;
- no orphaned worker outlives the killed driver by more than ORPHAN_GRACE_S;
- rerunning the operation finishes, and its result equals the reference exactly;
- nothing temporary is left behind after the rerun (``.tmp-*``, ``.staging-*``).

    .venv/bin/python benchmarks/kill_sweep.py [--rounds 6] [--rows 20000] [--only map_threads]

Figures go to benchmarks/results/kill_sweep.md (with the machine's load average).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402  (a sibling module: benchmarks/ is not a package)

RESULTS = HERE / "results" / "kill_sweep.md"
ORPHAN_GRACE_S = 10.0
LABELLED_ROWS = 5_000
TEMP_PREFIXES = (".tmp-", ".staging-")
# The child prints this once its imports are done: kills are timed from it, so they land in the
# operation and not in Python's start-up.
READY = "sweep-child-ready"


# --- the operations, as run in the child process -----------------------------------------------


def _dataset() -> Any:
    import gristmill as gm

    return gm.get_dataset("sweep", "rows")


def _slow_len(text: str | None) -> int:
    # A little work per row, so a map of 20k rows takes seconds and a kill lands inside it.
    time.sleep(0.0002)
    return len(text or "")


def op_load(source: str) -> None:
    import gristmill as gm

    config = gm.DatasetConfig(
        namespace="sweep", name="loaded", source=gm.JSONSource(filepaths=[source])
    )
    gm.create_dataset(config, overwrite=True, show_progress=False)


def op_labels(_: str) -> None:
    ds = _dataset()
    while True:
        ds.add_labels("good", filters=[("score", "less", 0.25)])
        ds.remove_labels("good")


def op_delete(_: str) -> None:
    ds = _dataset()
    while True:
        ds.delete_rows(filters=[("score", "less", 0.25)])
        ds.restore_rows()


def op_map_threads(_: str) -> None:
    _dataset().map(_slow_len, "response", "response_len", num_jobs=2, show_progress=False)


def op_map_processes(_: str) -> None:
    _dataset().map(
        _slow_len,
        "response",
        "response_len",
        num_jobs=2,
        execution_type="processes",
        show_progress=False,
    )


def op_signal(_: str) -> None:
    import gristmill as gm

    _dataset().compute_signal(gm.PIISignal(), "response", show_progress=False)


def op_embedding(_: str) -> None:
    _dataset().compute_embedding("wordllama", "instruction", show_progress=False)


OPERATIONS: dict[str, Callable[[str], None]] = {
    "load": op_load,
    "labels": op_labels,
    "delete": op_delete,
    "map_threads": op_map_threads,
    "map_processes": op_map_processes,
    "signal": op_signal,
    "embedding": op_embedding,
}
# Loops that never end by themselves: their "duration" is a fixed window, and their check is
# that the state is one of the states between two steps.
LOOPING = {"labels": 3.0, "delete": 3.0}


# --- what is checked after a kill ------------------------------------------------------------


def snapshot(op: str) -> Any:
    """What the operation produced, in a form to compare with the reference."""
    import gristmill as gm

    if op == "load":
        ds = gm.get_dataset("sweep", "loaded")
        return ds.count(), ds.select_rows(["instruction"], limit=5, offset=777).df().to_dict()
    ds = _dataset()
    if op == "labels":
        if "good" not in ds.get_label_names():
            return 0
        return ds.count(filters=[("good", "exists")])
    if op == "delete":
        return ds.count()
    if op in ("map_threads", "map_processes"):
        return ds.select_rows(["response_len"]).df()["response_len"].tolist()
    if op == "signal":
        column = next(c.name for c in ds.manifest().derived_columns if "pii" in c.name)
        return json.dumps(ds.select_rows([column]).df()[column].tolist(), default=str)
    if op == "embedding":
        result = ds.select_rows(
            searches=[
                gm.SemanticSearch(path="instruction", query="python code", embedding="wordllama")
            ],
            limit=20,
        )
        return result.df()["__rowid__"].tolist() if "__rowid__" in result.df() else len(result.df())
    raise ValueError(op)


def leftovers(project: Path) -> list[str]:
    return sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.name.startswith(TEMP_PREFIXES)
    )


def children_of(pid: int) -> list[int]:
    """Every live process whose parent chain reaches ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue
        parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        found.extend(kids)
        frontier.extend(kids)
    return found


def descendants_by_session(session: int) -> list[int]:
    """Live processes of the killed driver's session: re-parented orphans keep it."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == session:
            alive.append(int(entry.name))
    return alive


# --- the driver ------------------------------------------------------------------------------


def child_command(op: str, project: Path, source: Path, *, check: bool = False) -> list[str]:
    mode = "--check" if check else "--child"
    return [sys.executable, __file__, mode, op, "--project", str(project), "--source", str(source)]


def start_child(op: str, project: Path, source: Path) -> subprocess.Popen[str]:
    """Start the operation; return once the child says its imports are done."""
    process = subprocess.Popen(
        child_command(op, project, source),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    while (line := process.stdout.readline()) and line.strip() != READY:
        pass
    return process


def run_child(op: str, project: Path, source: Path, *, check: bool = False) -> Any:
    done = subprocess.run(
        child_command(op, project, source, check=check),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1]) if check else None


def prepare(base: Path, source: Path) -> None:
    code = (
        "import gristmill as gm, sys;"
        f"gm.set_project_dir({str(base)!r});"
        "gm.create_dataset(gm.DatasetConfig(namespace='sweep', name='rows',"
        f" source=gm.JSONSource(filepaths=[{str(source)!r}])), show_progress=False)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def sweep(op: str, rounds: int, base: Path, source: Path, rng: random.Random) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"sweep-{op}-"))
    try:
        reference_dir = work / "reference"
        shutil.copytree(base, reference_dir)
        if op in LOOPING:
            # The reference state of a loop before any step (the state after a step is known).
            duration = LOOPING[op]
            reference: list[Any] = [run_child(op, reference_dir, source, check=True)]
        else:
            process = start_child(op, reference_dir, source)
            started = time.monotonic()
            if process.wait() != 0:
                raise RuntimeError(f"the reference run of {op} failed")
            duration = time.monotonic() - started
            reference = [run_child(op, reference_dir, source, check=True)]
        failures: list[str] = []
        orphans = 0
        for round_number in range(rounds):
            project = work / f"round-{round_number}"
            shutil.copytree(base, project)
            process = start_child(op, project, source)
            time.sleep(rng.uniform(0.02, 0.98) * duration)
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            deadline = time.monotonic() + ORPHAN_GRACE_S
            while descendants_by_session(process.pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            survivors = descendants_by_session(process.pid)
            if survivors:
                orphans += 1
                failures.append(f"round {round_number}: {len(survivors)} orphaned workers")
                for pid in survivors:
                    os.kill(pid, signal.SIGKILL)
            try:
                if op in LOOPING:
                    state = run_child(op, project, source, check=True)
                    allowed = [reference[0], _loop_step_state(op)]
                    if state not in allowed:
                        failures.append(f"round {round_number}: state {state} not in {allowed}")
                else:
                    try:
                        run_child(op, project, source)
                    except RuntimeError as exc:
                        # A kill after the column was committed leaves it whole: a plain rerun
                        # then says it exists, and the check below compares it in full.
                        if "AlreadyExistsError" not in str(exc):
                            raise
                    state = run_child(op, project, source, check=True)
                    if state != reference[0]:
                        failures.append(f"round {round_number}: result differs from reference")
            except Exception as exc:  # every failure is a finding to report
                failures.append(f"round {round_number}: {exc}")
            left = leftovers(project)
            if left and op not in LOOPING:
                failures.append(f"round {round_number}: left behind {left[:3]}")
            shutil.rmtree(project, ignore_errors=True)
        return {
            "op": op,
            "kills": rounds,
            "failures": len(failures),
            "orphans": orphans,
            "duration_s": round(duration, 2),
            "details": failures,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _loop_step_state(op: str) -> Any:
    # After add_labels (score < 0.25) or delete_rows (score < 0.25): fixed by the data.
    return {"labels": EXPECTED["labelled"], "delete": EXPECTED["kept"]}[op]


EXPECTED: dict[str, int] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--only", default=",".join(OPERATIONS))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child")
    parser.add_argument("--check")
    parser.add_argument("--project")
    parser.add_argument("--source")
    args = parser.parse_args()
    if args.child or args.check:
        import gristmill as gm

        gm.set_project_dir(args.project)
        if args.child:
            import gristmill.dataset  # imported before the op starts, so kills land in it

            print(READY, flush=True)
            OPERATIONS[args.child](args.source)
        else:
            print(json.dumps(snapshot(args.check), default=str))
        return

    source = synthetic.ensure_dataset(args.rows)
    base = Path(tempfile.mkdtemp(prefix="sweep-base-"))
    prepare(base, source)
    import gristmill as gm

    gm.set_project_dir(base)
    ds = gm.get_dataset("sweep", "rows")
    total = ds.count()
    EXPECTED["labelled"] = ds.count(filters=[("score", "less", 0.25)])
    EXPECTED["kept"] = total - EXPECTED["labelled"]
    rng = random.Random(args.seed)
    rows = []
    for op in args.only.split(","):
        load_before = os.getloadavg()[0]
        result = sweep(op, args.rounds, base, source, rng)
        result["load"] = f"{load_before:.1f}–{os.getloadavg()[0]:.1f}"
        rows.append(result)
        print(json.dumps(result), flush=True)
    shutil.rmtree(base, ignore_errors=True)
    lines = [
        "# Kill -9 sweep",
        "",
        f"{args.rows:,} synthetic rows; {os.cpu_count()} cores; each kill at a random moment"
        " of the operation's duration; pool workers are not killed with their driver.",
        "",
        "| operation | kills | failures | orphaned worker sets | op duration s | load avg |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['op']} | {row['kills']} | {row['failures']} | {row['orphans']} |"
            f" {row['duration_s']} | {row['load']} |"
        )
    details = [f"- {row['op']}: {detail}" for row in rows for detail in row["details"]]
    if details:
        lines += ["", "Failures:", "", *details]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
