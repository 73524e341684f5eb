"""Filter values are written into the SQL as literals (no bound parameters, so no pandas import);
a value can never end its literal, and each comes back from DuckDB exactly as given."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

import gristmill as gm
from gristmill.data.sql import SqlParams, Statement, sql_literal

AWKWARD_STRINGS = [
    "",
    "it's",
    "''",
    "'; DROP TABLE t; --",
    "a\\b\\'",
    '"quoted" and ""doubled""',
    "$p0 $p1 getvariable('gm_v0')",
    "line\nbreak\ttab\r",
    "ünïcödé ✓ 漢字",
    "%_like_%",
]


@pytest.mark.parametrize(
    "value",
    [
        *AWKWARD_STRINGS,
        0,
        -1,
        2**63 - 1,
        -(2**63),
        0.1,
        -2.5e-300,
        1e308,
        float("inf"),
        float("-inf"),
        True,
        False,
        None,
        ["a'b", "c"],
        [1, 2, 3],
    ],
)
def test_a_literal_reads_back_as_the_value(value: Any) -> None:
    literal = sql_literal(value)
    assert literal is not None
    (found,) = duckdb.connect().execute(f"SELECT {literal}").fetchone() or (None,)
    assert found == value and type(found) is type(value)


def test_nan_and_values_without_a_literal() -> None:
    (found,) = duckdb.connect().execute(f"SELECT {sql_literal(float('nan'))}").fetchone() or ()
    assert math.isnan(found)
    # No literal: bound as before, so they still work.
    assert sql_literal("nul\x00byte") is None
    assert sql_literal(2**64) is None
    assert sql_literal([]) is None


def test_a_statement_inlines_what_it_can_and_binds_the_rest() -> None:
    params = SqlParams()
    sql = (
        f"SELECT {params.add('$p1 it' + chr(39) + 's')} AS a, {params.add(2**70)} AS b,"
        f" '$p0' AS c, {params.add('x')} AS d, {params.constant('[a-z]+')} AS e"
    )
    row = Statement(sql, params).execute(duckdb.connect()).fetchone()
    # '$p0' inside a string literal of the SQL is text, not a placeholder.
    assert row == ("$p1 it's", 2**70, "$p0", "x", "[a-z]+")


def test_filters_match_exactly_the_values_given(tmp_path: Path) -> None:
    texts = [*AWKWARD_STRINGS, "plain"]
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local",
            name="awkward",
            source=gm.PandasSource(pd.DataFrame({"text": texts, "n": range(len(texts))})),
        ),
        show_progress=False,
    )
    for index, text in enumerate(texts):
        assert ds.count(filters=[("text", "equals", text)]) == 1, text
        rows = ds.select_rows(["n"], filters=[("text", "equals", text)]).to_list()
        assert rows == [{"n": index}]
    assert ds.count(filters=[("text", "ilike", "'")]) == 5
    assert ds.count(filters=[("text", "regex_matches", "^'")]) == 2
    assert ds.count(filters=[("n", "greater", 2.5), ("n", "less_equal", 4)]) == 2


def test_a_first_filtered_count_does_not_import_pandas(project_dir: Path) -> None:
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local",
            name="rows",
            source=gm.PandasSource(pd.DataFrame({"text": ["a b", "c d"], "n": [1, 2]})),
        ),
        show_progress=False,
    )
    assert ds.count() == 2
    script = textwrap.dedent(
        f"""
        import sys
        import gristmill as gm
        gm.set_project_dir({str(project_dir)!r})
        ds = gm.get_dataset("local", "rows")
        assert ds.count(filters=[("text", "equals", "a b"), ("n", "less", 2)]) == 1
        assert ds.count(filters=[("text", "regex_matches", "^c")]) == 1
        print("pandas" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "False", done.stderr
