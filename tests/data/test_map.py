"""map: derived columns, nested outputs, errors with row ids, processes, and crash resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import gristmill as gm
from gristmill.errors import AlreadyExistsError, InvalidInputError, MapFunctionError

from .conftest import ROWS


def test_map_input_path_into_derived_column(small_ds: gm.Dataset) -> None:
    result = small_ds.map(len, input_path="instruction", output_column="n", show_progress=False)
    assert result.num_computed == 5
    assert list(result) == [26, 17, 22, 30, 19]
    manifest = small_ds.manifest()
    lineage = manifest.derived_columns[0].lineage
    assert (lineage.kind, lineage.producer, lineage.input_path) == (
        "map",
        "builtins.len",
        "instruction",
    )
    assert "n: int64" in str(manifest.data_schema)
    assert small_ds.count(filters=[("n", "greater", 25)]) == 2
    top = small_ds.select_rows(["n"], sort_by=["n"], sort_order="DESC", limit=1).to_list()
    assert top == [{"n": 30}]


def format_row(row: dict[str, Any]) -> dict[str, Any] | None:
    text = row["output"]
    if not text:
        return None
    return {"answer": text.upper(), "has_edit": "```" in text}


def test_map_rows_with_nested_output_and_none(small_ds: gm.Dataset) -> None:
    small_ds.map(format_row, output_column="answer_formatted", show_progress=False)
    schema = str(small_ds.manifest().data_schema)
    assert "answer_formatted:\n  answer: string\n  has_edit: boolean" in schema
    edited = small_ds.select_rows(
        ["answer_formatted.answer"], filters=[("answer_formatted.has_edit", "equals", True)]
    ).to_list()
    assert len(edited) == 1 and edited[0]["answer_formatted.answer"].startswith("```PYTHON")
    assert small_ds.count(filters=[("answer_formatted", "not_exists")]) == 1


def test_map_filters_overwrite_and_name_checks(small_ds: gm.Dataset) -> None:
    small_ds.map(
        lambda r: r["score"] * 2,
        output_column="double",
        filters=[("score", "greater", 3)],
        show_progress=False,
    )
    assert [r["double"] for r in small_ds.select_rows(["double"])] == [10, None, 8, None, None]
    with pytest.raises(AlreadyExistsError, match="overwrite=True"):
        small_ds.map(lambda r: 0, output_column="double", show_progress=False)
    small_ds.map(
        lambda r: r["score"] * 3, output_column="double", overwrite=True, show_progress=False
    )
    assert [r["double"] for r in small_ds.select_rows(["double"])] == [15, 9, 12, 3, 6]
    with pytest.raises(InvalidInputError, match="source column"):
        small_ds.map(len, input_path="output", output_column="score", show_progress=False)
    with pytest.raises(InvalidInputError, match="output_column"):
        small_ds.map(len)
    small_ds.remove_column("double")
    assert small_ds.manifest().derived_columns == []


def fails_on_translate(row: dict[str, Any]) -> int:
    if "Translate" in row["instruction"]:
        raise ValueError("cannot handle translations")
    return 1


@pytest.mark.parametrize("execution_type", ["threads", "processes"])
def test_error_names_row_and_keeps_original_traceback(
    small_ds: gm.Dataset, execution_type: str
) -> None:
    with pytest.raises(MapFunctionError) as info:
        small_ds.map(
            fails_on_translate,
            output_column="one",
            num_jobs=2 if execution_type == "processes" else 1,
            execution_type=execution_type,  # type: ignore[arg-type]
            show_progress=False,
        )
    err = info.value
    assert err.row_id == 3
    assert "row 3" in str(err) and "cannot handle translations" in str(err)
    if execution_type == "threads":
        assert isinstance(err.__cause__, ValueError)
    else:
        assert err.remote_traceback and "fails_on_translate" in err.remote_traceback
    # the dataset is as it was: no half column
    assert small_ds.manifest().derived_columns == []
    assert small_ds.count() == 5


def test_map_with_processes_and_lambdas(small_ds: gm.Dataset) -> None:
    small_ds.map(
        lambda text: len(text or ""),
        input_path="output",
        output_column="out_len",
        num_jobs=-1,
        execution_type="processes",
        show_progress=False,
    )
    expected = [len(row["output"] or "") for row in ROWS]
    assert [r["out_len"] for r in small_ds.select_rows(["out_len"])] == expected


CRASHING_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    import gristmill as gm
    gm.set_project_dir(sys.argv[1])

    def slow_len(text):
        # Both runs must be the same computation for the second to resume the first: the crash
        # point is read from sys.argv here (a global holding it would differ between the runs),
        # and the file opened per call (an open file cannot be fingerprinted).
        crash_at = int(sys.argv[3])
        with open(sys.argv[2], "a") as calls:
            calls.write("x\\n")
        if crash_at and sum(1 for _ in open(sys.argv[2])) == crash_at:
            os.kill(os.getpid(), signal.SIGKILL)  # like a power cut: no cleanup at all
        return len(text)

    ds = gm.get_dataset("local", "big")
    ds.map(slow_len, input_path="text", output_column="text_len", show_progress=False)
    """
)


def test_killed_map_resumes_without_recomputing(tmp_path: Path, project_dir: Path) -> None:
    import pandas as pd

    n = 3000
    frame = pd.DataFrame({"text": [f"text number {i}" for i in range(n)]})
    gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="big", source=gm.PandasSource(frame)),
        show_progress=False,
    )
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_SCRIPT, encoding="utf-8")
    calls = tmp_path / "calls.txt"
    env = {**os.environ, "PYTHONPATH": str(Path(gm.__file__).parents[1])}
    first = subprocess.run(
        [sys.executable, str(script), str(project_dir), str(calls), "1500"], env=env, check=False
    )
    assert first.returncode == -signal.SIGKILL
    ds = gm.get_dataset("local", "big")
    assert ds.count() == n  # still readable, without the unfinished column
    assert "text_len" not in ds.manifest().data_schema.fields
    calls_before = len(calls.read_text().splitlines())
    assert calls_before == 1500
    saved = _rows_in_finished_chunks(project_dir / "datasets/local/big/work/map-text_len")
    assert 0 < saved < 1500
    second = subprocess.run(
        [sys.executable, str(script), str(project_dir), str(calls), "0"], env=env, check=False
    )
    assert second.returncode == 0
    recomputed = len(calls.read_text().splitlines()) - calls_before
    # Exactly the rows not in a finished chunk are computed again.
    assert recomputed == n - saved
    values = [r["text_len"] for r in gm.get_dataset("local", "big").select_rows(["text_len"])]
    assert values == [len(f"text number {i}") for i in range(n)]
    assert not (project_dir / "datasets/local/big/work").exists() or not any(
        (project_dir / "datasets/local/big/work").iterdir()
    )


def _rows_in_finished_chunks(work: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.read_metadata(p).num_rows for p in work.glob("chunk-*.parquet"))


def test_cancelled_map_keeps_finished_chunks_and_resumes(tmp_path: Path, project_dir: Path) -> None:
    import threading
    import time

    import pandas as pd

    from gristmill.errors import JobCancelledError

    frame = pd.DataFrame({"text": [f"row {i}" for i in range(2000)]})
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="cancel", source=gm.PandasSource(frame)),
        show_progress=False,
    )
    # Calls are counted in a file: a list the function appends to would be part of what it
    # computes (its fingerprint), so the rerun would not be the same computation.
    calls_file = tmp_path / "calls.txt"
    calls_file.touch()

    def slow(text: str) -> int:
        with calls_file.open("a") as calls:
            calls.write(text + "\n")
        time.sleep(0.001)
        return len(text)

    def count_calls() -> int:
        return len(calls_file.read_text().splitlines())

    def cancel_when_started() -> None:
        while count_calls() < 300:
            time.sleep(0.01)
        (running,) = [j for j in gm.list_jobs() if j.kind == "map"]
        gm.cancel_job(running.id)

    canceller = threading.Thread(target=cancel_when_started)
    canceller.start()
    with pytest.raises(JobCancelledError):
        ds.map(slow, input_path="text", output_column="n", show_progress=False)
    canceller.join()
    (job,) = [j for j in gm.list_jobs() if j.kind == "map"]
    assert str(job.status) == "cancelled"
    assert "n" not in ds.manifest().data_schema.fields
    first_run = count_calls()
    assert first_run < 2000
    result = ds.map(slow, input_path="text", output_column="n", show_progress=False)
    assert result.num_resumed > 0
    assert result.num_computed == 2000 - result.num_resumed
    assert count_calls() - first_run == result.num_computed
    assert [r["n"] for r in ds.select_rows(["n"])] == [len(f"row {i}") for i in range(2000)]
