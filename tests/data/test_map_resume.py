"""A map resumes only its own computation: never another function's (or input's) chunks."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import gristmill as gm
from gristmill.errors import AlreadyExistsError

NUM_ROWS = 300
INTERRUPTED_AT = "row 150"  # in the third chunk (16 + 64 rows before it are written)


def rows_dataset() -> gm.Dataset:
    import pandas as pd

    frame = pd.DataFrame({"text": [f"row {i}" for i in range(NUM_ROWS)]})
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="rows", source=gm.PandasSource(frame)),
        show_progress=False,
    )


def script_function(body: str, **namespace: Any) -> Callable[[str], str]:
    """``fmt_b`` with ``body``, as one script defines it before and after an edit: same module,
    same name. While the file ``stop`` exists it is interrupted (Ctrl-C) on INTERRUPTED_AT."""
    source = (
        "import os\n"
        "def fmt_b(text):\n"
        "    if text == INTERRUPTED_AT and os.path.exists(STOP):\n"
        "        raise KeyboardInterrupt\n"
        f"    {body}\n"
    )
    scope: dict[str, Any] = {"__name__": "script", "INTERRUPTED_AT": INTERRUPTED_AT, **namespace}
    exec(source, scope)
    function: Callable[[str], str] = scope["fmt_b"]
    return function


def values(ds: gm.Dataset, column: str) -> list[Any]:
    return [row[column] for row in ds.select_rows([column])]


def test_overwrite_after_an_interrupted_edit_keeps_only_the_final_function(
    tmp_path: Path,
) -> None:
    ds = rows_dataset()
    stop = tmp_path / "stop"
    original = script_function("return 'b:' + text", STOP=str(stop))
    edited = script_function("return 'EDITED:' + text.upper()", STOP=str(stop))
    ds.map(original, input_path="text", output_column="x", show_progress=False)
    stop.touch()
    with pytest.raises(KeyboardInterrupt):
        ds.map(edited, input_path="text", output_column="x", overwrite=True, show_progress=False)
    # A plain rerun says how to resume the interrupted overwrite.
    with pytest.raises(AlreadyExistsError, match="did not finish") as refused:
        ds.map(edited, input_path="text", output_column="x", show_progress=False)
    assert "overwrite=True again to resume" in str(refused.value.hint)
    stop.unlink()
    result = ds.map(original, input_path="text", output_column="x", overwrite=True)
    assert result.num_resumed == 0  # the edited function's chunks are not this computation's
    assert values(ds, "x") == [f"b:row {i}" for i in range(NUM_ROWS)]


def test_an_interrupted_overwrite_resumes_with_overwrite_again(tmp_path: Path) -> None:
    ds = rows_dataset()
    stop = tmp_path / "stop"
    first = script_function("return 'b:' + text", STOP=str(stop))
    second = script_function("return 'c:' + text", STOP=str(stop))
    ds.map(first, input_path="text", output_column="x", show_progress=False)
    stop.touch()
    with pytest.raises(KeyboardInterrupt):
        ds.map(second, input_path="text", output_column="x", overwrite=True, show_progress=False)
    stop.unlink()
    again = script_function("return 'c:' + text", STOP=str(stop))  # the same code, reloaded
    result = ds.map(again, input_path="text", output_column="x", overwrite=True)
    assert result.num_resumed > 0
    assert result.num_computed + result.num_resumed == NUM_ROWS
    assert values(ds, "x") == [f"c:row {i}" for i in range(NUM_ROWS)]


def test_a_function_that_cannot_be_fingerprinted_reuses_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ds = rows_dataset()
    stop = tmp_path / "stop"
    stop.touch()
    # The function reads a lock, whose state no fingerprint can capture.
    source_with_lock = "with LOCK:\n        return 'b:' + text"
    guarded = script_function(source_with_lock, STOP=str(stop), LOCK=threading.Lock())
    with pytest.raises(KeyboardInterrupt):
        ds.map(guarded, input_path="text", output_column="x", show_progress=False)
    stop.unlink()
    with caplog.at_level(logging.WARNING, logger="gristmill.data"):
        result = ds.map(guarded, input_path="text", output_column="x", show_progress=False)
    assert result.num_resumed == 0
    assert "cannot be resumed, because the global 'LOCK'" in caplog.text
    assert values(ds, "x") == [f"b:row {i}" for i in range(NUM_ROWS)]


def test_chunks_computed_from_an_older_input_column_are_not_reused(tmp_path: Path) -> None:
    ds = rows_dataset()
    stop = tmp_path / "stop"
    ds.map(lambda text: text, input_path="text", output_column="source", show_progress=False)
    shout = script_function("return text.upper()", STOP=str(stop))
    stop.touch()
    with pytest.raises(KeyboardInterrupt):
        ds.map(shout, input_path="source", output_column="x", show_progress=False)
    stop.unlink()
    ds.map(
        lambda text: text + "!",
        input_path="text",
        output_column="source",
        overwrite=True,
        show_progress=False,
    )
    result = ds.map(shout, input_path="source", output_column="x", show_progress=False)
    assert result.num_resumed == 0
    assert values(ds, "x") == [f"ROW {i}!" for i in range(NUM_ROWS)]


def test_a_run_killed_after_storing_its_column_finishes_on_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kill lands between the manifest switch and the removal of the chunks."""
    from types import SimpleNamespace

    from gristmill.data import derived

    def killed(path: Path, ignore_errors: bool = False) -> None:
        raise KeyboardInterrupt

    ds = rows_dataset()
    upper = script_function("return text.upper()", STOP=str(tmp_path / "stop"))
    monkeypatch.setattr(derived, "shutil", SimpleNamespace(rmtree=killed))
    with pytest.raises(KeyboardInterrupt):
        ds.map(upper, input_path="text", output_column="x", show_progress=False)
    monkeypatch.undo()
    assert (ds.store.root / "work" / "map-x").exists()
    result = ds.map(upper, input_path="text", output_column="x", show_progress=False)
    assert (result.num_computed, result.num_resumed) == (0, NUM_ROWS)
    assert values(ds, "x") == [f"ROW {i}" for i in range(NUM_ROWS)]
    assert not (ds.store.root / "work" / "map-x").exists()
    with pytest.raises(AlreadyExistsError, match="already exists"):
        ds.map(upper, input_path="text", output_column="x", show_progress=False)
