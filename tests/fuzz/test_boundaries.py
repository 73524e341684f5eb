"""Explicit boundary values against the live server, for every operation of its spec: huge and
negative integers, empty, huge, NUL and unpaired-surrogate strings, path traversal, huge lists
(``GRISTMILL_FUZZ_ITEMS`` items) and 1,000-deep nesting (see ``boundaries``). No answer may be
a 5xx or a 4xx outside the one error shape, no connection may break, and the server must answer
its health check after."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import pytest

from tests.fuzz.boundaries import Probe, ValidValues, probes
from tests.fuzz.checks import REQUEST_HEADERS, error_shape_problem
from tests.fuzz.conftest import FuzzProject, FuzzRun, LiveServer

pytestmark = pytest.mark.fuzz


def valid_values(project: FuzzProject, method: str, path: str) -> ValidValues:
    """Path and field values that make ``method path`` valid, naming things that exist."""
    fields: dict[str, Any] = {
        "path": project.text_path,
        "embedding": project.embedding,
        "signal": "text_statistics",
        "filters": [{"path": "score", "op": "greater", "value": 0}],
        "model": project.model,
        "metric": "rouge1",
        "a": project.model,
        "b": project.other_model,
        "column": project.signal_column,
    }
    route = path.removeprefix("/api/v1")
    if route.startswith("/datasets/{namespace}/{name}"):
        fields.update(
            name=project.label,  # a label's; compute_concept's is the concept's, below
            min_cluster_size=100_000,  # more than the rows: a cluster job ends before UMAP
        )
        if route.endswith("/compute_concept"):
            fields.update(namespace=project.concept[0], name=project.concept[1])
    elif route.startswith("/concepts/{namespace}/{name}"):
        fields.update(examples=[{"text": "Please help.", "label": True}], ids=["x"])
    elif route in ("/datasets", "/datasets/upload"):
        fields.update(namespace=project.namespace, name="loaded", path=project.source_file)
    elif route == "/concepts":
        fields.update(namespace=project.namespace, name="created")
    elif route == "/experiments":
        fields.update(
            dataset=f"{project.namespace}/{project.dataset}",
            input_column=project.text_path,
            reference_columns=["summary"],
            models=[project.model],
            metrics=["rouge"],
            max_samples=3,
            name="boundary",
        )
    return ValidValues(path=project.path_parameters(method, path), fields=fields)


@dataclass(frozen=True)
class Failure:
    probe: Probe
    problem: str


def send(client: httpx.Client, probe: Probe) -> tuple[int, str, bytes]:
    headers = dict(REQUEST_HEADERS)
    if probe.content_type is not None:
        headers["Content-Type"] = probe.content_type
    with client.stream(
        probe.method,
        probe.target,
        content=probe.body,
        data=probe.form or None,
        files=probe.files or None,
        headers=headers,
    ) as response:
        content_type = response.headers.get("content-type", "")
        if content_type.startswith("text/event-stream"):
            # An event stream never ends: its first event is the answer.
            body = next(response.iter_raw(), b"")
        else:
            body = response.read()
    return response.status_code, content_type, body


# No request here needs long: one this slow is hung (a server thread stuck on it), and after a
# few of those the server has few threads left, so the run stops and says so.
HUNG_AFTER_S = 30.0
MAX_HUNG = 5


@dataclass
class BoundaryRun:
    sent: list[Probe] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    unsent: list[Probe] = field(default_factory=list)  # after MAX_HUNG hung requests


def run_probes(server: LiveServer, items: int) -> BoundaryRun:
    spec = httpx.get(f"{server.url}/openapi.json", timeout=30, trust_env=False).json()
    run = BoundaryRun()
    hung = 0
    # One keep-alive connection at a time, so a request that breaks its connection shows up
    # as a failure of the next request too.
    with httpx.Client(base_url=server.url, timeout=HUNG_AFTER_S, trust_env=False) as client:
        previous: Probe | None = None
        valid = partial(valid_values, server.project)
        for probe in probes(spec, valid, items=items):
            if hung >= MAX_HUNG:
                run.unsent.append(probe)
                continue
            run.sent.append(probe)
            try:
                status, content_type, body = send(client, probe)
            except httpx.TimeoutException:
                hung += 1
                run.failures.append(Failure(probe, f"no answer within {HUNG_AFTER_S:.0f} s"))
            except httpx.TransportError as exc:
                after = f" (the request before: {previous.change})" if previous else ""
                run.failures.append(Failure(probe, f"connection failed: {exc!r}{after}"))
            else:
                problem = error_shape_problem(status, content_type, body)
                if problem is not None:
                    run.failures.append(Failure(probe, problem))
            previous = probe
    return run


def report(server: LiveServer, run: BoundaryRun) -> str:
    lines = [f"{len(run.failures)} boundary requests broke the API's contract:"]
    for failure in run.failures:
        lines += [
            f"- {failure.probe.operation}: {failure.probe.change}",
            f"    {failure.problem[:400]}",
            f"    {failure.probe.reproduction(server.url)[:2000]}",
        ]
    if run.unsent:
        operations = sorted({probe.operation for probe in run.unsent})
        lines.append(
            f"{len(run.unsent)} requests were not sent ({MAX_HUNG} hung first), to: "
            + ", ".join(operations)
        )
    return "\n".join(lines)


def test_boundary_values_break_nothing(live_server: LiveServer, fuzz_run: FuzzRun) -> None:
    started = time.monotonic()
    run = run_probes(live_server, fuzz_run.items)
    operations = {probe.operation for probe in run.sent}
    print(
        f"boundary run: {len(run.sent)} requests over {len(operations)} operations,"
        f" {len(run.failures)} failures, {len(run.unsent)} not sent,"
        f" {time.monotonic() - started:.0f} s"
    )
    health = httpx.get(f"{live_server.url}/api/v1/health", timeout=10, trust_env=False)
    assert health.status_code == 200, "the server stopped answering after the boundary run"
    if run.failures or run.unsent:
        pytest.fail(report(live_server, run), pytrace=False)
