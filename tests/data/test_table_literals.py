"""Small Arrow tables go into a statement as literal rows (no pandas import), read back by
DuckDB exactly as the table holds them; any other table is registered as before."""

from __future__ import annotations

import math
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

import gristmill as gm
from gristmill.data import table_literals
from gristmill.data.arrays import numpy_array, span_scores_array, span_scores_type
from gristmill.data.sql import SqlParams, Statement
from gristmill.data.table_literals import table_select_sql
from tests.data.test_sql_literals import AWKWARD_STRINGS
from tests.fixtures import TASKS


def _through_duckdb(table: pa.Table) -> pa.Table:
    """The table as a statement reads it (registered here: this process has pandas)."""
    params = SqlParams()
    name = params.table(table)
    return Statement(f"SELECT * FROM {name}", params).execute(duckdb.connect()).to_arrow_table()


def _as_literals(table: pa.Table) -> pa.Table:
    select = table_select_sql(table)
    assert select is not None
    return duckdb.connect().execute(select).to_arrow_table()


def _spans(rng: random.Random) -> list[dict[str, object]] | None:
    if rng.random() < 0.1:
        return None
    return [
        {"start": rng.randint(0, 500), "end": rng.randint(0, 2**31 - 1), "score": rng.random()}
        for _ in range(rng.randint(0, 3))
    ]


def test_a_table_of_every_plain_type_reads_back_as_it_is() -> None:
    rng = random.Random(3)
    floats = [0.1, -0.0, 1e-300, 1.7976931348623157e308, math.inf, -math.inf, 1 / 3]
    rows = 40
    table = pa.table(
        {
            "__rowid__": pa.array([rng.randint(-(2**63), 2**63 - 1) for _ in range(rows)]),
            "score": pa.array([rng.choice(floats) for _ in range(rows)], pa.float64()),
            "small": pa.array([rng.randint(-(2**31), 2**31 - 1) for _ in range(rows)], pa.int32()),
            "flag": pa.array([rng.choice([True, False, None]) for _ in range(rows)]),
            "text": pa.array([rng.choice([*AWKWARD_STRINGS, None]) for _ in range(rows)]),
            "spans": pa.array([_spans(rng) for _ in range(rows)], span_scores_type()),
            "tags": pa.array([[rng.choice(AWKWARD_STRINGS)] for _ in range(rows)]),
        }
    )
    back = _as_literals(table)
    assert back.schema == table.schema
    assert back.to_pylist() == table.to_pylist()


def test_nan_an_empty_table_and_an_odd_column_name() -> None:
    nan = _as_literals(pa.table({"x": pa.array([math.nan], pa.float64())}))
    assert math.isnan(nan.column("x")[0].as_py())
    empty = pa.table({'we"ird name': pa.array([], pa.int64()), "s": pa.array([], pa.string())})
    back = _as_literals(empty)
    assert back.schema == empty.schema and back.num_rows == 0


@pytest.mark.parametrize(
    "table",
    [
        pa.table({"text": ["a control \x01 character"]}),
        pa.table({"when": pa.array([1], pa.timestamp("s"))}),
        pa.table({"n": pa.array([1], pa.uint64())}),
        pa.table({"n": list(range(table_literals.MAX_ROWS + 1))}),
    ],
    ids=["control character", "timestamp", "unsigned", "too many rows"],
)
def test_other_tables_are_registered_and_read_back_alike(table: pa.Table) -> None:
    assert table_select_sql(table) is None
    assert _through_duckdb(table).to_pylist() == table.to_pylist()


def test_span_arrays_from_numpy_equal_those_from_python_values() -> None:
    rng = random.Random(5)
    rows = [[s for s in _spans(rng) or []] for _ in range(200)] + [[]]
    built = span_scores_array(rows)
    assert built.type == span_scores_type()
    assert built.to_pylist() == pa.array(rows, span_scores_type()).to_pylist()
    assert span_scores_array([]).to_pylist() == []


def test_a_numpy_array_must_have_the_arrow_types_width() -> None:
    import numpy as np

    assert numpy_array(np.arange(3, dtype=np.int64), pa.int64()).to_pylist() == [0, 1, 2]
    with pytest.raises(TypeError, match="int32"):
        numpy_array(np.arange(3, dtype=np.int32), pa.int64())


def test_a_first_search_of_each_kind_does_not_import_pandas(project_dir: Path) -> None:
    # A process's first keyword search (by scan, then on the index) and first semantic search:
    # pandas (half a second) is never imported, from a registration or a pa.array alike.
    source = gm.JSONSource(filepaths=[str(TASKS)])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="seed", source=source), show_progress=False
    )
    script = textwrap.dedent(
        f"""
        import sys
        import gristmill as gm
        from gristmill.embed import FakeEmbedding, register_embedding

        register_embedding("words", FakeEmbedding())
        gm.set_project_dir({str(project_dir)!r})
        ds = gm.get_dataset("local", "seed")
        mode = sys.argv[1]
        if mode == "keyword":
            search = gm.KeywordSearch(path="instruction", query="write a python function")
        else:
            search = gm.SemanticSearch(path="instruction", query="sort a list", embedding="words")
        rows = ds.select_rows(["*"], searches=[search], limit=3).to_list()
        ranked = [k for k in rows[0] if k.startswith(f"instruction.{{search.type}}_search")]
        assert len(rows) == 3 and len(ranked) == 1 and all(r[ranked[0]] for r in rows), rows
        print("pandas" in sys.modules)
        """
    )

    def first_search(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, mode],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert first_search("keyword") == "False"  # by scan: no index yet
    ds.compute_keyword_index("instruction", show_progress=False)
    assert first_search("keyword") == "False"
    from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

    register_embedding("words", FakeEmbedding())
    try:
        ds.compute_embedding("words", "instruction", show_progress=False)
    finally:
        unregister_embedding("words")
    assert first_search("semantic") == "False"


def test_search_pages_read_through_literal_rows_equal_registered_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A process without pandas writes the rankings as literal rows: the same pages either way.
    source = gm.JSONSource(filepaths=[str(TASKS)])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="seed", source=source), show_progress=False
    )
    ds.delete_rows(row_ids=[3, 4])
    searches = [
        gm.KeywordSearch(path="instruction", query="write a python function"),
        gm.KeywordSearch(path="instruction", query="the list of numbers sentence"),
    ]
    asked: list[dict[str, object]] = [{"limit": 5}, {"limit": 4, "offset": 3}, {}]

    def pages() -> list[list[dict[str, object]]]:
        return [
            ds.select_rows(["*"], searches=[search], **options).to_list()
            for search in searches
            for options in asked
        ]

    registered = pages()
    monkeypatch.delitem(sys.modules, "pandas")
    assert pages() == registered
    assert all(registered)
