"""Two processes writing one dataset never lose or mix data: they serialise or fail clearly.

Each cross-process test runs real Python processes on the test's project folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import gristmill as gm
from gristmill.data import locks
from gristmill.data.store import DatasetStore, now
from gristmill.errors import ConflictError
from gristmill.schema import Lineage

NUM_ROWS = 300
# Ample for a child Python to start and do its part on a busy machine; only reached on failure.
PATIENCE_S = 60.0

# ds.map of a function that, on its first row, says it started and then waits for the file `go`.
MAP_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    import gristmill as gm
    from gristmill.errors import ConflictError

    GO, STARTED = sys.argv[2], sys.argv[3]

    def shout(text):
        if not os.path.exists(GO):
            Path(STARTED).touch()
            while not os.path.exists(GO):
                time.sleep(0.02)
        return text.upper()

    gm.set_project_dir(sys.argv[1])
    ds = gm.get_dataset("local", "rows")
    try:
        ds.map(shout, input_path="text", output_column="loud", show_progress=False)
    except ConflictError as exc:
        print(exc, file=sys.stderr)
        sys.exit(5)
    """
)

# create_dataset from a source that yields 50 rows every `delay` seconds, once `go` exists.
LOAD_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from typing import ClassVar
    import pyarrow as pa
    import gristmill as gm
    from gristmill.errors import AlreadyExistsError

    class SlowRows(gm.Source):
        source_name: ClassVar[str] = "slow_rows"
        rows: int
        delay: float
        marker: str

        def open(self):
            schema = pa.schema([("text", pa.string())])

            def batches():
                for start in range(0, self.rows, 50):
                    if start:
                        Path(self.marker).touch()  # a batch is being written
                    time.sleep(self.delay)
                    texts = [f"row {i}" for i in range(start, min(start + 50, self.rows))]
                    yield pa.record_batch([pa.array(texts)], schema=schema)

            return pa.RecordBatchReader.from_batches(schema, batches())

    project, go, ready, marker = sys.argv[1:5]
    gm.set_project_dir(project)
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.01)
    source = SlowRows(rows=300, delay=0.2, marker=marker)
    config = gm.DatasetConfig(namespace="local", name="race", source=source)
    try:
        gm.create_dataset(config, show_progress=False)
    except AlreadyExistsError as exc:
        print(exc, file=sys.stderr)
        sys.exit(3)
    """
)

# Labels one row at a time and deletes every third, each call a read-modify-write of one file.
CURATE_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import gristmill as gm

    project, go, parity, ready = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    gm.set_project_dir(project)
    ds = gm.get_dataset("local", "rows")
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.01)
    for row in range(parity, 60, 2):
        ds.add_labels("seen", row_ids=[row])
        if row % 3 == 0:
            ds.delete_rows(row_ids=[row])
    """
)


def rows_dataset() -> gm.Dataset:
    import pandas as pd

    frame = pd.DataFrame({"text": [f"row {i}" for i in range(NUM_ROWS)]})
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="rows", source=gm.PandasSource(frame)),
        show_progress=False,
    )


def start(script: Path, *args: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(gm.__file__).parents[1])}
    return subprocess.Popen(
        [sys.executable, str(script), *map(str, args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"the child ended ({process.returncode}): {process.communicate()[1]}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the child never created {path.name}")
        time.sleep(0.02)


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, err = process.communicate(timeout=PATIENCE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        pytest.fail(f"the child did not finish: {err}")
    return process.returncode, err


def script_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"script_{abs(hash(text))}.py"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_second_map_into_the_same_column_fails_at_once_naming_the_first(
    tmp_path: Path, project_dir: Path
) -> None:
    rows_dataset()
    script = script_file(tmp_path, MAP_SCRIPT)
    go = tmp_path / "go"
    first = start(script, project_dir, go, tmp_path / "started-1")
    try:
        wait_for(tmp_path / "started-1", first)
        second = start(script, project_dir, go, tmp_path / "started-2")
        code, err = finish(second)  # the first still waits for `go`: the two overlap
        assert code == 5, err
        assert "map into 'loud' of dataset 'local/rows' is already running (job " in err
        assert f"pid {first.pid})" in err
        assert not (tmp_path / "started-2").exists()  # refused before computing anything
    finally:
        go.touch()
        code, err = finish(first)
    assert code == 0, err
    loud = [r["loud"] for r in gm.get_dataset("local", "rows").select_rows(["loud"])]
    assert loud == [f"ROW {i}" for i in range(NUM_ROWS)]


def test_the_lock_of_a_killed_map_is_taken_over(tmp_path: Path, project_dir: Path) -> None:
    ds = rows_dataset()
    first = start(script_file(tmp_path, MAP_SCRIPT), project_dir, tmp_path / "go", tmp_path / "s")
    wait_for(tmp_path / "s", first)
    first.kill()
    first.wait()
    ds.map(str.title, input_path="text", output_column="loud", show_progress=False)
    assert [r["loud"] for r in ds.select_rows(["loud"])] == [f"Row {i}" for i in range(NUM_ROWS)]


def test_loads_and_deletes_wait_for_no_map_and_name_it(
    tmp_path: Path, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks, "BRIEF_WAIT_SECONDS", 0.2)
    import pandas as pd

    rows_dataset()
    go = tmp_path / "go"
    mapper = start(script_file(tmp_path, MAP_SCRIPT), project_dir, go, tmp_path / "started")
    try:
        wait_for(tmp_path / "started", mapper)
        replacement = gm.DatasetConfig(
            namespace="local", name="rows", source=gm.PandasSource(pd.DataFrame({"text": ["x"]}))
        )
        with pytest.raises(ConflictError, match=rf"map into 'loud' \(job \w+, pid {mapper.pid}\)"):
            gm.create_dataset(replacement, overwrite=True, show_progress=False)
        with pytest.raises(ConflictError, match="map into 'loud'"):
            gm.delete_dataset("local", "rows")
    finally:
        go.touch()
        code, err = finish(mapper)
    assert code == 0, err
    ds = gm.get_dataset("local", "rows")
    assert ds.count() == NUM_ROWS
    assert ds.count(filters=[("loud", "equals", "ROW 7")]) == 1


def test_two_loads_of_one_name_exactly_one_succeeds(tmp_path: Path, project_dir: Path) -> None:
    script = script_file(tmp_path, LOAD_SCRIPT)
    go = tmp_path / "go"
    loads = [
        start(script, project_dir, go, tmp_path / f"ready-{n}", tmp_path / "m") for n in (1, 2)
    ]
    for n, load in enumerate(loads, start=1):
        wait_for(tmp_path / f"ready-{n}", load)
    go.touch()  # both check the name within moments of each other; each load takes ~1 s
    outcomes = sorted(finish(load) for load in loads)
    assert [code for code, _ in outcomes] == [0, 3], outcomes
    assert "'local/race'" in outcomes[1][1]
    assert gm.get_dataset("local", "race").count() == NUM_ROWS
    assert [p.name for p in (project_dir / "datasets" / "local").iterdir()] == ["race"]


def test_a_killed_load_leaves_nothing_once_the_name_is_loaded_again(
    tmp_path: Path, project_dir: Path
) -> None:
    import pandas as pd

    go = tmp_path / "go"
    go.touch()
    load = start(
        script_file(tmp_path, LOAD_SCRIPT), project_dir, go, tmp_path / "r", tmp_path / "m"
    )
    wait_for(tmp_path / "m", load)
    namespace = project_dir / "datasets" / "local"
    assert [p.name.startswith(".staging-race-") for p in namespace.iterdir()] == [True]
    load.kill()
    load.wait()
    frame = pd.DataFrame({"text": ["a", "b"]})
    config = gm.DatasetConfig(namespace="local", name="race", source=gm.PandasSource(frame))
    assert gm.create_dataset(config, show_progress=False).count() == 2
    assert [p.name for p in namespace.iterdir()] == ["race"]


def test_two_processes_labelling_and_deleting_keep_every_change(
    tmp_path: Path, project_dir: Path
) -> None:
    ds = rows_dataset()
    script = script_file(tmp_path, CURATE_SCRIPT)
    go = tmp_path / "go"
    curators = [start(script, project_dir, go, n, tmp_path / f"ready-{n}") for n in (0, 1)]
    for n, curator in enumerate(curators):
        wait_for(tmp_path / f"ready-{n}", curator)
    go.touch()  # both start together
    for curator in curators:
        code, err = finish(curator)
        assert code == 0, err
    assert ds.count(filters=[("seen", "exists")], include_deleted=True) == 60
    assert ds.manifest().num_deleted == 20


def test_a_manifest_changed_within_one_clock_tick_is_not_overwritten(
    small_ds: gm.Dataset,
) -> None:
    """Another process's store has the manifest cached; a new manifest with the same mtime
    (coarse file-system clocks) must not make it write back its stale copy."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    other = DatasetStore(small_ds.store.root)
    other.read_manifest()
    manifest = small_ds.store.manifest_path
    stamp = manifest.stat().st_mtime_ns
    small_ds.map(len, input_path="instruction", output_column="a", show_progress=False)
    os.utime(manifest, ns=(stamp, stamp))
    target = other.new_derived_file("b")
    pq.write_table(pa.table({"b": pa.array([1] * 5)}), target)
    lineage = Lineage(kind="map", producer="test", created_at=now(), num_rows=5)
    other.commit_derived("b", target, lineage)
    assert sorted(DatasetStore(small_ds.store.root).read_manifest().derived) == ["a", "b"]


def test_a_column_being_written_cannot_be_removed_from_another_thread(
    small_ds: gm.Dataset,
) -> None:
    small_ds.map(len, input_path="instruction", output_column="n", show_progress=False)
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with locks.hold_column(small_ds.store.root, "n", action="map into 'n'"):
            holding.set()
            release.wait()

    thread = threading.Thread(target=writer)
    thread.start()
    holding.wait()
    try:
        with pytest.raises(
            ConflictError, match=r"map into 'n' of dataset 'local/small' is already"
        ):
            small_ds.remove_column("n")
        with pytest.raises(ConflictError, match="already running"):
            small_ds.map(len, input_path="output", output_column="n", overwrite=True)
    finally:
        release.set()
        thread.join()
    small_ds.remove_column("n")
    assert "n" not in small_ds.manifest().data_schema.fields
