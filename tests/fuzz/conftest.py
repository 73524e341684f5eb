"""A live server on a small but real project, for fuzzing the REST API over HTTP.

The project holds a chat dataset with a text column, a nested chat column, a label, a cheap
derived signal (text statistics) and an embedding, plus a concept, an experiment and the jobs
that made them, so routes that need something to exist reach their real code.

Run sizes come from the environment, so ``make fuzz`` runs the same tests longer:
``GRISTMILL_FUZZ_EXAMPLES`` (generated cases per operation), ``GRISTMILL_FUZZ_SECONDS`` (the
time budget of the whole generated run), ``GRISTMILL_FUZZ_ITEMS`` (the length of the huge lists
of the boundary run), ``GRISTMILL_FUZZ_SEED`` (the generator's seed: 0 unless given, so CI
repeats its cases; ``make fuzz`` picks a new one each run) and ``GRISTMILL_FUZZ_CHECKS``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

NAMESPACE = "fuzz"
CHATS = "chats"  # the dataset most routes are fuzzed against
SCRATCH = "scratch"  # a dataset that delete_dataset may remove
CONCEPT = "polite"
EXPERIMENT = "fuzz-sum"
EMBEDDING = "fuzz_words"
FAKE_LLM = "fake"
EMBEDDED_LLM = "local"  # named as the fake LLM here (see build_project)
NUM_ROWS = 300
_EMBEDDING_DIM = 32
# What every answer must be: no 5xx, every 4xx in the error shape (tests/fuzz/hooks.py), invalid
# requests refused, documented status codes, media types and headers, 405 with an exact Allow
# header for a method a path lacks. Left out: positive_data_acceptance (a valid but unknown name
# is a 404 by design) and response_schema_conformance (GRISTMILL_FUZZ_CHECKS=all runs them too).
DEFAULT_CHECKS = (
    "not_a_server_error,gristmill_error_shape,negative_data_rejection,status_code_conformance,"
    "content_type_conformance,response_headers_conformance,missing_required_header,"
    "unsupported_method,allow_header_conformance"
)


@dataclass(frozen=True)
class FuzzRun:
    """How much to fuzz: generated cases per operation, seconds in all, the huge lists' length,
    and the seed."""

    examples: int
    seconds: float
    items: int
    seed: int
    checks: str  # schemathesis checks, comma-separated ('all' for every one)

    @classmethod
    def from_env(cls) -> FuzzRun:
        return cls(
            examples=int(os.environ.get("GRISTMILL_FUZZ_EXAMPLES", "5")),
            seconds=float(os.environ.get("GRISTMILL_FUZZ_SECONDS", "20")),
            items=int(os.environ.get("GRISTMILL_FUZZ_ITEMS", "10000")),
            seed=int(os.environ.get("GRISTMILL_FUZZ_SEED") or "0"),
            checks=os.environ.get("GRISTMILL_FUZZ_CHECKS") or DEFAULT_CHECKS,
        )


@dataclass(frozen=True)
class FuzzProject:
    """What exists on the server: names a request can use to reach past the 404s."""

    namespace: str
    dataset: str
    scratch: str  # the name of a dataset and a concept that deletions may remove
    text_path: str
    label: str
    signal_column: str
    embedding: str
    concept: tuple[str, str]
    source_file: str  # a file in the server's data folder, to load by path
    experiment: str
    model: str  # the experiment's two models (both the fake LLM)
    other_model: str
    job_id: str

    def path_parameters(self, method: str, path: str) -> dict[str, str]:
        """Path parameters of ``method path`` naming things that exist; a deletion gets the
        scratch ones, so everything else stays for the rest of the run."""
        route = path.removeprefix("/api/v1")
        deleting = method.upper() == "DELETE"
        if route.startswith("/datasets/{namespace}/{name}"):
            name = self.scratch if deleting else self.dataset
            return {"namespace": self.namespace, "name": name, "column": self.signal_column}
        if route.startswith("/concepts/{namespace}/{name}"):
            name = self.scratch if deleting else self.concept[1]
            return {"namespace": self.concept[0], "name": name}
        if route.startswith("/experiments/{name}"):
            return {"name": self.experiment}
        if route.startswith("/jobs/{job_id}"):
            return {"job_id": self.job_id}
        return {}


@dataclass(frozen=True)
class LiveServer:
    url: str
    project: FuzzProject


_TOPICS = ["the sea", "recursion", "a budget", "tea", "Zürich", "東京", "emoji 🙂", "SQL"]


def _row(i: int) -> dict[str, Any]:
    topic = _TOPICS[i % len(_TOPICS)]
    question = f"Question {i}: tell me about {topic}." + (" Please." * (i % 3))
    answer = f"Answer {i}: {topic} is interesting" + ("!" if i % 2 else ".") + " x" * (i % 40)
    return {
        "text": question if i % 17 else "",
        "messages": [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer},
        ][: 1 + (i % 5 != 0)],
        "category": ["open_qa", "brainstorm", "code", None][i % 4],
        "score": (i * 37) % 101 - 50,
        "rating": None if i % 11 == 0 else (i % 7) / 2,
        "summary": answer,
    }


def build_project(data_dir: Path) -> FuzzProject:
    """Create the datasets, derived columns, concepts and experiment the fuzz runs use; the
    rows' source file goes into ``data_dir``."""
    import gristmill as gm
    from gristmill.embed import FakeEmbedding, register_embedding
    from gristmill.project import CONFIG_FILENAME

    register_embedding(EMBEDDING, FakeEmbedding(dim=_EMBEDDING_DIM), replace=True)
    # A request may name only the LLMs the project offers: the fake one, also under the name of
    # the embedded one ('local'), so no request of the run makes a real model generate text.
    config = gm.get_project_dir() / CONFIG_FILENAME
    config.parent.mkdir(parents=True, exist_ok=True)
    models = "".join(f"  {name}: {{provider: fake}}\n" for name in (FAKE_LLM, EMBEDDED_LLM))
    config.write_text(f"models:\n{models}", "utf-8")
    source = data_dir / "chats.jsonl"
    source.write_text("".join(json.dumps(_row(i)) + "\n" for i in range(NUM_ROWS)), "utf-8")
    for name in (CHATS, SCRATCH):
        gm.create_dataset(
            gm.DatasetConfig(
                namespace=NAMESPACE, name=name, source=gm.JSONSource(filepaths=[str(source)])
            ),
            show_progress=False,
        )
    for name in (CHATS, SCRATCH):
        gm.get_dataset(NAMESPACE, name).compute_signal(
            gm.TextStatisticsSignal(), "text", show_progress=False
        )
    ds = gm.get_dataset(NAMESPACE, CHATS)
    ds.add_labels("good", filters=[("score", "greater", 10)])
    ds.compute_embedding(EMBEDDING, "text", show_progress=False)
    gm.create_concept(NAMESPACE, SCRATCH, description="one that delete_concept may remove")
    concept = gm.create_concept(NAMESPACE, CONCEPT, description="polite requests")
    concept.add_examples(
        [
            {"text": "Please, could you help?", "label": True},
            {"text": "Do it now.", "label": False},
        ]
    )
    gm.Experiment(
        f"{NAMESPACE}/{CHATS}",
        "text",
        ["summary"],
        models=[FAKE_LLM, EMBEDDED_LLM],
        metrics=["rouge"],
        name=EXPERIMENT,
        max_samples=10,
    ).run(show_progress=False)
    jobs = gm.list_jobs(limit=1)
    return FuzzProject(
        namespace=NAMESPACE,
        dataset=CHATS,
        scratch=SCRATCH,
        text_path="text",
        label="good",
        signal_column="text__text_statistics",
        embedding=EMBEDDING,
        concept=(NAMESPACE, CONCEPT),
        source_file=str(source),
        experiment=EXPERIMENT,
        model=FAKE_LLM,
        other_model=EMBEDDED_LLM,
        job_id=jobs[0].id,
    )


@pytest.fixture
def fuzz_run() -> FuzzRun:
    return FuzzRun.from_env()


@pytest.fixture
def live_server(project_dir: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """The real server (uvicorn on a free loopback port, in a thread) on the fuzz project."""
    from gristmill.embed import unregister_embedding
    from gristmill.server import start_server

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    project = build_project(data_dir)
    handle = start_server(port=0, data_dirs=[data_dir])
    try:
        yield LiveServer(url=handle.url, project=project)
    finally:
        handle.stop()
        _settle_jobs()
        unregister_embedding(EMBEDDING)


def _settle_jobs(timeout: float = 120.0) -> None:
    """Cancel the jobs the run started and wait for them, so none outlives this test's project."""
    import time

    from gristmill.jobs import JobStatus, cancel_job, list_jobs

    unfinished = (JobStatus.PENDING, JobStatus.RUNNING)
    for status in unfinished:
        for job in list_jobs(status=status, limit=1000):
            cancel_job(job.id)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(list_jobs(status=status, limit=1) for status in unfinished):
            return
        time.sleep(0.2)
