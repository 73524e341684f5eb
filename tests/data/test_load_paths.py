"""How a load reads and writes: the quick JSON read and its check, the engine it runs on, and
the shards it writes. Each case that the quick read cannot take must still load every value."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

import gristmill as gm
from gristmill.data.engine import cursor
from gristmill.data.sources import JSONSource, QuickReadError
from gristmill.data.sources._duckdb_stream import stream_query
from gristmill.errors import SourceError
from gristmill.jobs import list_jobs

# More rows than the quick read samples (20,480), so what happens after the sample is not seen
# by it and only the check can catch it.
PAST_SAMPLE = 25_000


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _load(path: Path, name: str = "rows") -> gm.Dataset:
    config = gm.DatasetConfig(
        namespace="local", name=name, source=JSONSource(filepaths=[str(path)])
    )
    return gm.create_dataset(config, show_progress=False)


def _careful_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: JSONSource) -> None:
        raise AssertionError("the careful read was used")

    monkeypatch.setattr(JSONSource, "open", refuse)


def test_a_clean_file_loads_from_the_quick_read_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "rows.jsonl", [{"n": i, "text": f"row {i}"} for i in range(100)])
    _careful_never_used(monkeypatch)
    ds = _load(path)
    assert ds.count() == 100
    assert ds.select_rows(["n", "text"], limit=1, offset=99).to_list() == [
        {"n": 99, "text": "row 99"}
    ]


def test_a_field_first_seen_after_the_sample_is_kept(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [{"n": i} for i in range(PAST_SAMPLE)]
    rows[-1]["late"] = "only here"
    path = _write(tmp_path / "late.jsonl", rows)
    # The quick read alone drops the field silently (DuckDB ignores keys its schema lacks):
    # the check against every row's schema is what refuses it.
    with pytest.raises(QuickReadError):
        JSONSource(filepaths=[str(path)]).open_for_load().read_all()
    ds = _load(path)
    assert ds.count(filters=[("late", "equals", "only here")]) == 1
    assert ds.count() == PAST_SAMPLE
    # Read twice, counted once: the careful read's progress starts again from zero.
    (load,) = list_jobs(dataset="local/rows")
    assert load.progress == PAST_SAMPLE


def test_a_type_that_changes_after_the_sample_loads_as_the_careful_read_does(
    tmp_path: Path,
) -> None:
    rows: list[dict[str, Any]] = [{"n": i, "value": i} for i in range(PAST_SAMPLE)]
    rows[-1]["value"] = "text now"
    path = _write(tmp_path / "changes.jsonl", rows)
    careful = JSONSource(filepaths=[str(path)]).open().read_all()
    ds = _load(path)
    loaded = ds.select_rows(["value"]).arrow()
    assert loaded.schema.field("value").type == careful.schema.field("value").type
    assert loaded.column("value").to_pylist() == careful.column("value").to_pylist()


def test_a_malformed_line_after_the_sample_is_reported_where_it_is(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.jsonl", [{"n": i} for i in range(PAST_SAMPLE)])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"n": \n')
    with pytest.raises(SourceError, match=rf"bad\.jsonl:{PAST_SAMPLE + 1}"):
        _load(path)
    assert gm.list_datasets() == []


def _csv(path: Path, values: list[str]) -> gm.Dataset:
    path.write_text("n,value\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values)), "utf-8")
    config = gm.DatasetConfig(
        namespace="local", name=path.stem, source=gm.CSVSource(filepaths=[str(path)])
    )
    return gm.create_dataset(config, show_progress=False)


def test_a_clean_csv_loads_from_the_quick_read_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: gm.CSVSource) -> None:
        raise AssertionError("the careful read was used")

    monkeypatch.setattr(gm.CSVSource, "open", refuse)
    ds = _csv(tmp_path / "clean.csv", [str(i * 2) for i in range(50)])
    assert ds.select_rows(["value"], limit=1, offset=49).to_list() == [{"value": 98}]


def test_a_csv_column_that_turns_to_text_after_the_sample_loads_as_text(tmp_path: Path) -> None:
    values = [str(i) for i in range(PAST_SAMPLE)]
    values[-1] = "not a number"
    ds = _csv(tmp_path / "turns.csv", values)
    assert ds.count(filters=[("value", "equals", "not a number")]) == 1
    assert ds.count(filters=[("value", "equals", "7")]) == 1


def test_source_shards_are_written_uncompressed(tmp_path: Path) -> None:
    ds = _load(_write(tmp_path / "rows.jsonl", [{"text": "some words"}] * 10))
    shards = sorted((ds.store.root / "source").glob("*.parquet"))
    assert shards
    for shard in shards:
        row_group = pq.ParquetFile(shard).metadata.row_group(0)
        codecs = {row_group.column(i).compression for i in range(row_group.num_columns)}
        assert codecs == {"UNCOMPRESSED"}


def test_the_engine_spills_to_the_temp_folder_not_the_working_directory() -> None:
    setting = cursor().execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
    assert Path(setting).parent == Path(tempfile.gettempdir())
    order = cursor().execute("SELECT current_setting('preserve_insertion_order')").fetchall()
    assert order[0][0] is True


def test_sources_read_on_the_engine_under_its_memory_limit() -> None:
    def translate(error: duckdb.Error) -> SourceError:
        return SourceError(str(error))

    reader = stream_query("SELECT current_setting('memory_limit') AS limit_", [], translate)
    seen = reader.read_all().column("limit_").to_pylist()
    engine = cursor().execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    # A connection of its own would have DuckDB's default, 80% of the machine's memory.
    assert seen == [engine]
