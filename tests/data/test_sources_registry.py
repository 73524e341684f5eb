"""The source registry: built-ins and plugins register alike; stored configs round-trip."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import ClassVar

import pyarrow as pa
import pytest

from gristmill.data import sources
from gristmill.data.sources import Source, register_source, source_from_dict, source_registry
from gristmill.errors import NotFoundError, SourceError


class CountingSource(Source):
    """A user's own source: numbers 0..count-1."""

    source_name: ClassVar[str] = "test_counting"
    count: int

    def open(self) -> pa.RecordBatchReader:
        schema = pa.schema([("n", pa.int64())])
        batch = pa.record_batch([pa.array(range(self.count), pa.int64())], schema=schema)
        return pa.RecordBatchReader.from_batches(schema, [batch])


@pytest.fixture
def registered_plugin() -> Iterator[type[CountingSource]]:
    register_source(CountingSource)
    yield CountingSource
    source_registry.unregister(CountingSource.source_name)


def test_built_ins_are_registered_under_lilac_names() -> None:
    assert {"json", "csv", "parquet", "pandas", "huggingface"} <= set(source_registry.names())
    assert source_registry.get("json") is sources.JSONSource
    assert set(sources.__all__) >= {
        "Source",
        "JSONSource",
        "CSVSource",
        "ParquetSource",
        "PandasSource",
        "HuggingFaceSource",
        "source_registry",
        "register_source",
        "source_from_dict",
    }


def test_a_plugin_registers_and_round_trips(registered_plugin: type[CountingSource]) -> None:
    source = registered_plugin(count=3)
    stored = source.to_dict()
    assert stored == {"source_name": "test_counting", "count": 3}
    again = source_from_dict(stored)
    assert again == source
    assert again.open().read_all().column("n").to_pylist() == [0, 1, 2]


def test_registering_the_same_name_twice_is_refused(
    registered_plugin: type[CountingSource],
) -> None:
    with pytest.raises(Exception, match="already registered"):
        register_source(registered_plugin)


def test_a_source_without_a_name_cannot_register() -> None:
    class Nameless(Source):
        pass

    with pytest.raises(SourceError, match="no source_name"):
        register_source(Nameless)


def test_stored_configs_that_cannot_be_read() -> None:
    with pytest.raises(SourceError, match="'source_name'"):
        source_from_dict({"filepaths": ["x.jsonl"]})
    with pytest.raises(NotFoundError, match="unknown source 'excel'") as info:
        source_from_dict({"source_name": "excel"})
    assert "json" in (info.value.hint or "")
    with pytest.raises(SourceError, match="filepaths"):
        source_from_dict({"source_name": "csv"})
    with pytest.raises(SourceError, match="unknown_option"):
        source_from_dict({"source_name": "csv", "filepaths": ["a"], "unknown_option": 1})


def test_base_source_open_is_abstract() -> None:
    with pytest.raises(NotImplementedError):
        Source().open()


def test_importing_sources_loads_no_heavy_package() -> None:
    code = (
        "import sys, gristmill.data.sources\n"
        "heavy = [m for m in ('duckdb', 'pyarrow', 'pandas', 'numpy', 'datasets') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
