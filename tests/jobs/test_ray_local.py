"""execution_type='ray' on a real local Ray instance: map, a signal, an embedding and an
experiment's inference give what the local run gives; tasks read their own rows; a killed worker
loses and duplicates nothing; an interrupted run resumes.

Ray starts once for this module (seconds, and a few hundred MB), with two CPUs and a small
object store.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cloudpickle
import pytest

import gristmill as gm
from gristmill.data import _chunks
from gristmill.data._row_slices import RowSlice
from gristmill.errors import MapFunctionError
from gristmill.evals import Experiment
from gristmill.jobs import _job, list_jobs
from tests.fixtures import DIALOGUE_REFERENCES, DIALOGUES, SMS_ROWS, SMS_SPAM

ray = pytest.importorskip("ray", reason="ray is in the dev extra: pip install -e '.[dev]'")

pytestmark = pytest.mark.ray

# Ray workers cannot import this test module (tests/ is not on their path): the functions
# defined here travel by value, as a notebook's do.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    if ray.is_initialized():
        ray.shutdown()
    ray.init(
        num_cpus=2, include_dashboard=False, object_store_memory=200_000_000, log_to_driver=False
    )
    yield
    ray.shutdown()


@pytest.fixture
def sms(local_ray: None) -> gm.Dataset:
    """600 labelled SMS, with a few rows deleted: the rows a job reads have gaps."""
    config = gm.DatasetConfig(
        namespace="local", name="sms", source=gm.JSONSource(filepaths=[str(SMS_SPAM)])
    )
    ds = gm.create_dataset(config, show_progress=False)
    ds.delete_rows(row_ids=[3, 4, 5, 250, 599])
    return ds


@pytest.fixture
def sent_chunks(monkeypatch: pytest.MonkeyPatch) -> list[type]:
    """The type of every chunk the driver hands to the executor."""
    kinds: list[type] = []
    real = _chunks.run_chunks

    def spy(fn: Any, chunks: Any, **options: Any) -> Any:
        def recorded() -> Iterator[Any]:
            for key, items in chunks:
                kinds.append(type(items))
                yield key, items

        return real(fn, recorded(), **options)

    monkeypatch.setattr(_chunks, "run_chunks", spy)
    return kinds


def _column(ds: gm.Dataset, column: str) -> list[Any]:
    return [row[column] for row in ds.select_rows([column], include_deleted=True, sort_by=None)]


def _shout(text: str | None) -> str | None:
    return None if text is None else text.upper()


def test_map_on_ray_equals_the_local_run_and_tasks_read_their_rows(
    sms: gm.Dataset, sent_chunks: list[type], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_job, "PROGRESS_WRITE_INTERVAL_S", 0.0)
    sms.map(_shout, input_path="SMS", output_column="local", show_progress=False)
    sent_chunks.clear()
    progress: list[int] = []
    real_write = _chunks._write_chunk

    def watching_progress(*args: Any) -> Any:
        # Before each chunk is committed: what the jobs table says so far.
        [job] = [
            j for j in list_jobs(dataset=sms.full_name) if j.status == "running" and j.kind == "map"
        ]
        progress.append(job.progress)
        return real_write(*args)

    monkeypatch.setattr(_chunks, "_write_chunk", watching_progress)
    result = sms.map(
        _shout,
        input_path="SMS",
        output_column="on_ray",
        num_jobs=2,
        execution_type="ray",
        show_progress=False,
    )
    assert result.num_computed == SMS_ROWS - 5
    assert _column(sms, "on_ray") == _column(sms, "local")
    # Every chunk went out as file paths and a row range, not as the rows' text.
    assert sent_chunks and set(sent_chunks) == {RowSlice}
    [job] = [j for j in list_jobs(dataset=sms.full_name) if "on_ray" in j.description]
    assert (job.status, job.progress, job.total) == ("completed", SMS_ROWS - 5, SMS_ROWS - 5)
    # Progress reached the table chunk by chunk, not only at the end.
    assert len(progress) > 2 and progress == sorted(set(progress)) and progress[0] == 0

    # Whole rows (the rowid included), as the local run gives them.
    def describe(row: dict[str, Any]) -> str:
        return f"{row['__rowid__']}:{row['Label']}:{len(row['SMS'])}:{row['local'][:3]}"

    sms.map(describe, output_column="rows_local", show_progress=False)
    sms.map(
        describe, output_column="rows_ray", num_jobs=2, execution_type="ray", show_progress=False
    )
    assert _column(sms, "rows_ray") == _column(sms, "rows_local")


def test_a_nested_input_is_sent_by_the_driver_and_gives_the_same_result(
    local_ray: None, tmp_path: Path, sent_chunks: list[type]
) -> None:
    path = tmp_path / "chats.jsonl"
    path.write_text(
        "".join(
            f'{{"messages": [{{"content": "hi {i}"}}, {{"content": "{"x" * i}"}}]}}\n'
            for i in range(40)
        ),
        "utf-8",
    )
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="chats", source=gm.JSONSource(filepaths=[path])),
        show_progress=False,
    )
    ds.map(len, input_path="messages.content", output_column="local", show_progress=False)
    sent_chunks.clear()
    ds.map(len, input_path="messages.content", output_column="on_ray", execution_type="ray")
    assert _column(ds, "on_ray") == _column(ds, "local") == [2] * 40
    assert sent_chunks and set(sent_chunks) == {list}


def test_a_signal_and_an_embedding_on_ray_equal_the_local_run(sms: gm.Dataset) -> None:
    stats = gm.TextStatisticsSignal()
    sms.compute_signal(stats, "SMS", output_column="stats_local", show_progress=False)
    sms.compute_signal(stats, "SMS", output_column="stats_ray", num_jobs=2, execution_type="ray")
    assert _column(sms, "stats_ray") == _column(sms, "stats_local")

    # The same rows in a second dataset: one embedding column per text column and model.
    twin = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="twin", source=gm.JSONSource(filepaths=[str(SMS_SPAM)])
        ),
        show_progress=False,
    )
    twin.delete_rows(row_ids=[3, 4, 5, 250, 599])
    sms.compute_embedding("wordllama", "SMS", show_progress=False)
    result = twin.compute_embedding(
        "wordllama", "SMS", num_jobs=2, execution_type="ray", show_progress=False
    )
    assert result.num_computed == SMS_ROWS - 5
    assert _column(twin, "SMS__wordllama") == _column(sms, "SMS__wordllama")
    search = gm.SemanticSearch(path="SMS", query="free prize, call now", embedding="wordllama")
    found = [sms.select_rows(["SMS"], searches=[search], limit=20).to_list() for sms in (sms, twin)]
    assert found[0] == found[1] and len(found[0]) == 20


def test_an_experiments_inference_on_ray_equals_the_local_run(local_ray: None) -> None:
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="eval", name="dialogues", source=gm.JSONSource(filepaths=[str(DIALOGUES)])
        ),
        show_progress=False,
    )
    settings: dict[str, Any] = {"models": ["fake"], "metrics": ["rouge"], "max_samples": 12}
    local = Experiment(ds, "dialogue", DIALOGUE_REFERENCES, name="local", **settings)
    on_ray = Experiment(ds, "dialogue", DIALOGUE_REFERENCES, name="ray", **settings)
    expected = local.run(show_progress=False)
    column = "dialogue__pred__fake"
    answers = _column(ds, column)
    ds.remove_column(column)
    result = on_ray.run(show_progress=False, num_jobs=2, execution_type="ray")
    texts = [a and a["text"] for a in answers]
    on_ray_answers = [a for a in _column(ds, column) if a is not None]
    assert [a and a["text"] for a in _column(ds, column)] == texts
    assert sum(t is not None for t in texts) == len(on_ray_answers) == 12
    # The workers answered from the project's LLM cache, which the local run had filled.
    assert all(a["cached"] for a in on_ray_answers)
    for metric in ("rouge1", "rouge2", "rougeL"):
        assert result.table()[metric].equals(expected.table()[metric])


def test_a_function_error_on_ray_names_the_row_and_a_rerun_resumes(
    sms: gm.Dataset, tmp_path: Path
) -> None:
    fixed = tmp_path / "fixed"

    def fragile(row: dict[str, Any]) -> int:
        if row["__rowid__"] == 400 and not fixed.exists():
            raise ValueError("cannot take it")
        return len(row["SMS"])

    with pytest.raises(MapFunctionError, match="cannot take it") as caught:
        sms.map(fragile, output_column="n", num_jobs=2, execution_type="ray", show_progress=False)
    assert caught.value.row_id == 400
    assert 'raise ValueError("cannot take it")' in (caught.value.remote_traceback or "")
    fixed.touch()
    result = sms.map(
        fragile, output_column="n", num_jobs=2, execution_type="ray", show_progress=False
    )
    assert result.num_resumed > 0 and result.num_resumed + result.num_computed == SMS_ROWS - 5
    deleted = {3, 4, 5, 250, 599}
    assert _column(sms, "n") == [
        None if i in deleted else len(text) for i, text in enumerate(_column(sms, "SMS"))
    ]


def test_a_worker_killed_mid_job_loses_and_duplicates_nothing(
    sms: gm.Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "worker.pid"
    victim = 300

    def slow_once(row: dict[str, Any]) -> int:
        # The task holding the victim row hangs on its first run, telling where it runs.
        if row["__rowid__"] == victim and not pid_file.exists():
            pid_file.write_text(str(os.getpid()))
            time.sleep(120)
        return int(row["__rowid__"]) * 2

    killed: list[int] = []

    def kill_the_worker() -> None:
        deadline = time.monotonic() + 120
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        with contextlib.suppress(ValueError, FileNotFoundError):
            time.sleep(0.2)  # the pid is written before the sleep starts
            pid = int(pid_file.read_text())
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    committed: list[int] = []
    real_write = _chunks._write_chunk

    def counting_write(work: Path, ids: list[int], *args: Any) -> Any:
        committed.extend(ids)
        return real_write(work, ids, *args)

    monkeypatch.setattr(_chunks, "_write_chunk", counting_write)
    killer = threading.Thread(target=kill_the_worker)
    killer.start()
    result = sms.map(
        slow_once, output_column="twice", num_jobs=2, execution_type="ray", show_progress=False
    )
    killer.join()
    assert killed and killed[0] != os.getpid()
    live = [i for i in range(SMS_ROWS) if i not in (3, 4, 5, 250, 599)]
    # Each row committed once by the driver: the retried task's rows were not stored twice.
    assert sorted(committed) == live
    assert result.num_computed == len(live)
    assert _column(sms, "twice") == [i * 2 if i in live else None for i in range(SMS_ROWS)]
