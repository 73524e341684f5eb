"""A job through GRISTMILL_RAY_ADDRESS on a two-node Ray cluster simulated on this machine.

``ray start --head`` and a second ``ray start --address`` (its own raylet, with a ``node2``
resource) run as child process groups of the test, stopped in teardown by their ids (``ray
stop`` would stop every Ray process on the machine, other people's included). The job's driver
is a fresh Python that knows the cluster from ``GRISTMILL_RAY_ADDRESS`` alone, as a user's
script would. The map records the node and process of every row: both nodes must have done
work, and every row must hold its own value, once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import gristmill as gm
from gristmill.jobs._ray_backend import RAY_ADDRESS_ENV
from tests.fixtures import SMS_ROWS, SMS_SPAM

pytest.importorskip("ray", reason="ray is in the dev extra: pip install -e '.[dev]'")

pytestmark = [pytest.mark.ray, pytest.mark.slow]

RAY = Path(sys.executable).with_name("ray")
STOP_GRACE_S = 15
AUTH = {"RAY_AUTH_MODE": "token"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    # Each `ray start --block` leads its own process group (the raylet, the GCS, the workers).
    for sig, wait_s in ((signal.SIGTERM, STOP_GRACE_S), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                process.wait()
                return
            time.sleep(0.2)
    process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a head (1 CPU) and a second node (1 CPU, resource node2)."""
    # Short: Ray's socket paths must fit in 107 bytes.
    temp_dir = Path(tempfile.mkdtemp(prefix="gm-ray-", dir="/tmp"))
    logs = tmp_path_factory.mktemp("ray-cluster")
    # Token authentication, with the token Ray keeps for local clusters (~/.ray/auth_token):
    # the driver finds it there by itself when it connects. The nodes listen on every
    # interface (Ray has no loopback-only mode), so they must not run without it.
    subprocess.run(
        [str(RAY), "get-auth-token", "--generate"], check=True, stdout=subprocess.DEVNULL
    )
    address = f"127.0.0.1:{_free_port()}"
    common = [
        "--block",
        "--num-cpus=1",
        "--node-ip-address=127.0.0.1",
        "--object-store-memory=200000000",
        "--disable-usage-stats",
    ]
    head_args = ["--head", f"--port={address.split(':')[1]}", "--include-dashboard=false"]
    nodes: list[subprocess.Popen[bytes]] = []
    try:
        for name, args in (
            ("head", [*head_args, f"--temp-dir={temp_dir}"]),
            ("node2", [f"--address={address}", '--resources={"node2": 1}']),
        ):
            nodes.append(
                subprocess.Popen(
                    [str(RAY), "start", *args, *common],
                    env={**os.environ, **AUTH},
                    stdout=(logs / f"{name}.log").open("wb"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            if name == "head":
                _wait_for_port(address, nodes[0])
        _run_python(WAIT_FOR_NODES, AUTH, address)
        yield address
    finally:
        for node in reversed(nodes):
            _stop(node)
        shutil.rmtree(temp_dir, ignore_errors=True)


def _wait_for_port(address: str, head: subprocess.Popen[bytes]) -> None:
    host, port = address.split(":")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if head.poll() is not None:
            raise RuntimeError(f"ray start --head exited with {head.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex((host, int(port))) == 0:
                return
        time.sleep(0.5)
    raise TimeoutError(f"the Ray head did not listen on {address}")


def _run_python(code: str, env: dict[str, str], *args: str) -> str:
    # A fresh Python, as a user's script would be: Ray reads RAY_AUTH_MODE when it is imported.
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


WAIT_FOR_NODES = """
import sys, time, ray
ray.init(address=sys.argv[1], log_to_driver=False)
deadline = time.monotonic() + 120
while len([n for n in ray.nodes() if n["Alive"]]) < 2:
    assert time.monotonic() < deadline, ray.nodes()
    time.sleep(0.5)
"""

# The job, from the environment alone: GRISTMILL_RAY_ADDRESS and the project folder.
MAP_ON_THE_CLUSTER = """
import json, os, time
import ray
import gristmill as gm

def where(row):
    time.sleep(0.003)  # long enough that both nodes get tasks
    node = ray.get_runtime_context().get_node_id()
    return f"{row['__rowid__']}|{len(row['SMS'])}|{node}|{os.getpid()}"

if __name__ == "__main__":
    ds = gm.get_dataset("local", "sms")
    result = ds.map(
        where, output_column="where", num_jobs=-1, execution_type="ray", show_progress=False
    )
    nodes = [n["NodeID"] for n in ray.nodes() if n["Alive"] and "node2" in n["Resources"]]
    print(json.dumps({"computed": result.num_computed, "node2": nodes}))
"""


def test_a_job_runs_across_both_nodes_through_the_address_variable(
    cluster: str, child_env: dict[str, str]
) -> None:
    config = gm.DatasetConfig(
        namespace="local", name="sms", source=gm.JSONSource(filepaths=[str(SMS_SPAM)])
    )
    ds = gm.create_dataset(config, show_progress=False)
    ds.delete_rows(row_ids=[7, 8])
    env = {**child_env, RAY_ADDRESS_ENV: cluster, **AUTH}
    report = json.loads(_run_python(MAP_ON_THE_CLUSTER, env).strip().splitlines()[-1])
    assert report["computed"] == SMS_ROWS - 2

    records = [
        row["where"] for row in ds.select_rows(["where"], include_deleted=True, sort_by=None)
    ]
    texts = [row["SMS"] for row in ds.select_rows(["SMS"], include_deleted=True, sort_by=None)]
    expected = [None if i in (7, 8) else f"{i}|{len(text)}" for i, text in enumerate(texts)]
    assert [r and r.rsplit("|", 2)[0] for r in records] == expected
    used_nodes = {r.split("|")[2] for r in records if r}
    assert len(used_nodes) == 2 and set(report["node2"]) < used_nodes, used_nodes
    assert len({r.split("|")[3] for r in records if r}) >= 2  # worker processes
