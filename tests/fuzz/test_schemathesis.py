"""Schemathesis against the live server: every operation of its OpenAPI spec, with the spec's
examples, boundary and invalid values (coverage phase) and generated requests; no answer may be
a 5xx or a 4xx outside the one error shape, and no connection may be reset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.fuzz.checks import REQUEST_HEADERS
from tests.fuzz.conftest import FuzzRun, LiveServer
from tests.fuzz.hooks import PATH_PARAMETERS_ENV

pytestmark = pytest.mark.fuzz

REPO = Path(__file__).resolve().parents[2]
# The event stream never ends, so a generated client would wait for its body until the time
# budget runs out; test_boundaries reads its first event instead.
ENDLESS_PATHS = ("/api/v1/jobs/events",)


def known_path_parameters(server: LiveServer) -> dict[str, dict[str, str]]:
    """For each operation ('GET /path'), path parameters naming something that exists."""
    spec = httpx.get(f"{server.url}/openapi.json", timeout=10, trust_env=False).json()
    return {
        f"{method.upper()} {path}": server.project.path_parameters(method, path)
        for path, methods in spec["paths"].items()
        for method in methods
    }


def schemathesis_command(url: str, run: FuzzRun, report: Path) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{url}/openapi.json",
        "--phases=examples,coverage,fuzzing,stateful",
        f"--max-examples={run.examples}",
        f"--max-time={max(1, int(run.seconds))}",
        "--workers=1",
        "--request-timeout=60",
        "--continue-on-failure",
        "--no-shrink",
        "--suppress-health-check=all",
        f"--checks={run.checks}",
        f"--seed={run.seed}",
        "--report=json",
        f"--report-json-path={report}",
    ]
    command += [f"--header={name}: {value}" for name, value in REQUEST_HEADERS.items()]
    command += [f"--exclude-path={path}" for path in ENDLESS_PATHS]
    return command


def summary(report: Path) -> str:
    """The run's figures, from schemathesis' JSON report."""
    if not report.exists():
        return "schemathesis wrote no report"
    found = json.loads(report.read_text(encoding="utf-8"))
    cases = found["test_cases"]
    return (
        f"schemathesis run: {found['operations']['tested']} operations,"
        f" {cases['generated']} test cases, {cases['unique_failures']} unique failures,"
        f" {found['running_time']:.0f} s (stopped: {found['stop_reason']}, seed {found['seed']})"
    )


def test_schemathesis_finds_no_failures(
    live_server: LiveServer, fuzz_run: FuzzRun, tmp_path: Path
) -> None:
    report = tmp_path / "schemathesis.json"
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.fuzz.hooks",
        PATH_PARAMETERS_ENV: json.dumps(known_path_parameters(live_server)),
        "PYTHONPATH": str(REPO),
    }
    finished = subprocess.run(
        schemathesis_command(live_server.url, fuzz_run, report),
        # Schemathesis keeps a cache of past failures in its working folder: each run starts clean.
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=fuzz_run.seconds + 300,
        check=False,
    )
    print(finished.stdout)
    print(finished.stderr, file=sys.stderr)
    print(summary(report))
    health = httpx.get(f"{live_server.url}/api/v1/health", timeout=10, trust_env=False)
    assert health.status_code == 200, "the server stopped answering after the fuzz run"
    if finished.returncode != 0:
        pytest.fail(finished.stdout[-20000:], pytrace=False)
