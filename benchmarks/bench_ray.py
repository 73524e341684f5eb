"""Ray against local threads and processes (issue 16): rows/s and Ray's own costs.

Writes ``results/ray.md`` (and ``results/ray.json``). Modes:

- ``threads``: one in-process worker (``num_jobs=1``, the default and the fastest local path
  for a cheap function);
- ``processes``: two spawned processes (``num_jobs=2``);
- ``ray``: a local Ray started by the process (``ray.init(num_cpus=2)``), ``num_jobs=2``;
- ``cluster``: the simulated two-node cluster (``ray start --head`` + ``ray start
  --address``, one CPU each) reached through ``GRISTMILL_RAY_ADDRESS``, ``num_jobs=2``.

Ops: ``map_cheap`` (``len`` of ``response``, 100k rows), ``map_1ms`` (a function that keeps a
core busy ~1 ms a row, on the first 20k rows), ``embed`` (``compute_embedding('wordllama',
'instruction')``, 100k rows), and ``overheads`` (Ray's start or connect time, and the round
trip of 1,000 empty tasks).

Every op runs in a fresh Python process that imports everything and opens the dataset before
its timer starts; Ray's start-up (or connection) is timed apart from the op. Peak MiB is the
driver's peak RSS: Ray's workers are other processes and are not in it. The load average is
recorded before and after every op: the machine is shared.

    .venv/bin/python benchmarks/bench_ray.py
    .venv/bin/python benchmarks/bench_ray.py --modes threads,ray --ops map_cheap
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import ensure_parquet  # noqa: E402

PROJECT = HERE / ".work" / "ray-project"
RESULTS = HERE / "results"
RAY = Path(sys.executable).with_name("ray")
ROWS = 100_000
SLOW_ROWS = 20_000
MODES = ("threads", "processes", "ray", "cluster")
OPS = ("overheads", "map_cheap", "map_1ms", "embed")
JOBS = {"threads": (1, "threads"), "processes": (2, "processes"), "ray": (2, "ray")}
JOBS["cluster"] = (2, "ray")
EMPTY_TASKS = 1000


def burn_1ms(text: str | None) -> int:
    # Busy, not asleep: a sleeping function runs in parallel even on threads.
    end = time.perf_counter() + 0.001
    while time.perf_counter() < end:
        pass
    return len(text or "")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _start_ray(mode: str) -> float:
    import ray

    started = time.perf_counter()
    if mode == "ray":
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            object_store_memory=200_000_000,
            log_to_driver=False,
        )
    else:
        ray.init(address=os.environ["GRISTMILL_RAY_ADDRESS"], log_to_driver=False)
    seconds = time.perf_counter() - started
    deadline = time.monotonic() + 120
    while mode == "cluster" and len([n for n in ray.nodes() if n["Alive"]]) < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the second node did not join: {ray.nodes()}")
        time.sleep(0.5)  # the second node may still be joining
    return seconds


def child(mode: str, op: str) -> dict[str, Any]:
    """One measurement, in this fresh process."""
    import cloudpickle

    import gristmill as gm

    # Ray workers cannot import this script: its functions travel by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    result: dict[str, Any] = {"mode": mode, "op": op}
    if mode in ("ray", "cluster"):
        result["ray_start_s"] = _start_ray(mode)
    if op == "overheads":
        return {**result, **_overheads(mode)}
    ds = gm.get_dataset("bench", f"rows_{SLOW_ROWS if op == 'map_1ms' else ROWS}")
    num_jobs, execution_type = JOBS[mode]
    options: dict[str, Any] = {
        "num_jobs": num_jobs,
        "execution_type": execution_type,
        "show_progress": False,
        "overwrite": True,
    }
    started = time.perf_counter()
    if op == "map_cheap":
        done = ds.map(len, input_path="response", output_column="bench_len", **options)
    elif op == "map_1ms":
        done = ds.map(burn_1ms, input_path="instruction", output_column="bench_1ms", **options)
    else:
        done = ds.compute_embedding("wordllama", "instruction", **options)
    seconds = time.perf_counter() - started
    rows = done.num_computed
    return {**result, "rows": rows, "seconds": seconds, "rows_per_s": rows / seconds}


def _overheads(mode: str) -> dict[str, Any]:
    import ray

    @ray.remote
    def empty() -> None:
        return None

    ray.get([empty.remote() for _ in range(20)])  # workers up before timing
    started = time.perf_counter()
    ray.get([empty.remote() for _ in range(EMPTY_TASKS)])
    per_task_ms = (time.perf_counter() - started) / EMPTY_TASKS * 1000
    return {"empty_task_ms": per_task_ms, "nodes": len([n for n in ray.nodes() if n["Alive"]])}


def run_child(mode: str, op: str, env: dict[str, str]) -> dict[str, Any]:
    load_before = os.getloadavg()
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, op],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    load_after = os.getloadavg()
    if done.returncode != 0:
        return {"mode": mode, "op": op, "error": done.stderr[-2000:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "load_before": load_before, "load_after": load_after}


def prepare() -> None:
    """Two datasets from the synthetic rows: 100k, and its first 20k for the slow function."""
    import gristmill as gm

    source = ensure_parquet(ROWS)
    existing = {f"{d.namespace}/{d.name}" for d in gm.list_datasets()}
    for rows in (ROWS, SLOW_ROWS):
        if f"bench/rows_{rows}" in existing:
            continue
        config = gm.DatasetConfig(
            namespace="bench",
            name=f"rows_{rows}",
            source=gm.ParquetSource(filepaths=[str(source)], sample_size=rows),
        )
        gm.create_dataset(config, show_progress=False)


@contextmanager
def two_node_cluster() -> Iterator[str]:
    """``ray start --head`` and a second node, each its own process group, stopped by id."""
    temp_dir = tempfile.mkdtemp(prefix="gm-ray-", dir="/tmp")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"127.0.0.1:{port}"
    subprocess.run([str(RAY), "get-auth-token", "--generate"], check=True, capture_output=True)
    common = ["--block", "--num-cpus=1", "--object-store-memory=200000000"]
    common.append("--disable-usage-stats")
    nodes: list[subprocess.Popen[bytes]] = []
    env = {**os.environ, "RAY_AUTH_MODE": "token"}
    try:
        head = ["--head", f"--port={port}", "--include-dashboard=false", f"--temp-dir={temp_dir}"]
        for args in (head, [f"--address={address}", '--resources={"node2": 1}']):
            nodes.append(
                subprocess.Popen(
                    [str(RAY), "start", *args, *common],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            time.sleep(10)  # the head must listen before the second node joins it
        yield address
    finally:
        for node in reversed(nodes):
            _stop_group(node)
        subprocess.run(["rm", "-rf", temp_dir], check=False)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    # Each `ray start --block` leads its own process group (GCS, raylet, workers).
    for sig, wait_s in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and _group_alive(process.pid):
            time.sleep(0.2)
        if not _group_alive(process.pid):
            break
    process.wait()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def write_report(results: list[dict[str, Any]]) -> None:
    import ray

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ray.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    lines = [
        "# Ray against local threads and processes",
        "",
        "`benchmarks/bench_ray.py`; every op in a fresh process; Ray's start (or connection)",
        "timed apart. `cluster` is two `ray start` nodes (1 CPU each) on this 2-core machine,",
        "reached through `GRISTMILL_RAY_ADDRESS`. Peak MiB: the driver process only.",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs,"
        f" Ray {ray.__version__}; the machine is shared, hence the load averages.",
        "",
        "| op | mode | rows | seconds | rows/s | Ray start s | driver MiB | load before/after |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if r["op"] == "overheads":
            continue
        load = _load(r)
        if "error" in r:
            lines.append(f"| {r['op']} | {r['mode']} | failed | | | | | {load} |")
            continue
        start = f"{r['ray_start_s']:.1f}" if "ray_start_s" in r else ""
        lines.append(
            f"| {r['op']} | {r['mode']} | {r['rows']:,} | {r['seconds']:.2f} |"
            f" {r['rows_per_s']:,.0f} | {start} | {r['peak_mib']:.0f} | {load} |"
        )
    lines += ["", "## Ray's own costs", ""]
    lines += ["| mode | nodes | start / connect s | one empty task, ms | load before/after |"]
    lines += ["|---|---:|---:|---:|---|"]
    for r in results:
        if r["op"] == "overheads" and "error" not in r:
            lines.append(
                f"| {r['mode']} | {r['nodes']} | {r['ray_start_s']:.1f} |"
                f" {r['empty_task_ms']:.2f} | {_load(r)} |"
            )
    (RESULTS / "ray.md").write_text("\n".join(lines) + "\n", "utf-8")


def _load(result: dict[str, Any]) -> str:
    if "load_before" not in result:
        return ""
    return f"{result['load_before'][0]:.2f} / {result['load_after'][0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--ops", default=",".join(OPS))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "OP"))
    parser.add_argument("--report", action="store_true", help="rewrite ray.md from ray.json")
    args = parser.parse_args()
    if args.report:
        write_report(json.loads((RESULTS / "ray.json").read_text("utf-8")))
        return
    if args.child:
        os.environ.setdefault("GRISTMILL_PROJECT_DIR", str(PROJECT))
        result = child(*args.child)
        print(json.dumps({**result, "peak_mib": _peak_mib()}))
        return
    # The children (and Ray's workers, started from them) find the project here.
    os.environ["GRISTMILL_PROJECT_DIR"] = str(PROJECT)
    prepare()
    modes = args.modes.split(",")
    ops = [op for op in args.ops.split(",") if op in OPS]
    results: list[dict[str, Any]] = []
    for mode in modes:
        mode_ops = [op for op in ops if op != "overheads" or mode in ("ray", "cluster")]
        if mode == "cluster":
            with two_node_cluster() as address:
                env = {"GRISTMILL_RAY_ADDRESS": address, "RAY_AUTH_MODE": "token"}
                results += [run_child(mode, op, env) for op in mode_ops]
        else:
            results += [run_child(mode, op, {}) for op in mode_ops]
        for r in results[-len(mode_ops) :]:
            print(json.dumps(r)[:300], flush=True)
    write_report(results)


if __name__ == "__main__":
    main()
