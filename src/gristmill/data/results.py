"""The result of ``select_rows``: lazy, streamable, convertible to pandas or dicts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from gristmill.data.engine import cursor
from gristmill.data.sql import Statement

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


class SelectRowsResult:
    """Rows of a query. Nothing runs until you read it; iteration streams in batches."""

    def __init__(
        self,
        statement: Statement,
        count: Callable[[], int],
        finish: Callable[[pa.Table], pa.Table] | None = None,
        *,
        first_try: Statement | None = None,
        first_try_enough: int = 0,
    ) -> None:
        self._statement = statement
        # A cheaper statement giving the same rows whenever it returns at least
        # ``first_try_enough`` of them (a search's page read from its best-ranked rows alone).
        self._first_try = first_try
        self._first_try_enough = first_try_enough
        self._count = count
        self._total: int | None = None
        # Applied to every table or batch returned (e.g. highlights for the returned rows only).
        self._finish = finish

    @property
    def total_num_rows(self) -> int:
        """How many rows match the filters and searches, ignoring limit and offset."""
        if self._total is None:
            self._total = self._count()
        return self._total

    def arrow(self) -> pa.Table:
        table = self._tried()
        if table is None:
            table = self._statement.execute(cursor()).to_arrow_table()
        return self._finish(table) if self._finish else table

    def _tried(self) -> pa.Table | None:
        """The first try's rows when they are the result, else None."""
        if self._first_try is None:
            return None
        table = self._first_try.execute(cursor()).to_arrow_table()
        return table if table.num_rows >= self._first_try_enough else None

    def df(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame; nested values become dicts and lists."""
        # Through Arrow rather than DuckDB's .df(): that one needs pytz for zoned timestamps.
        frame: pd.DataFrame = self.arrow().to_pandas()
        return frame

    def __iter__(self) -> Iterator[dict[str, Any]]:
        import pyarrow as pa

        tried = self._tried()
        if tried is not None:
            yield from (self._finish(tried) if self._finish else tried).to_pylist()
            return
        reader = self._statement.execute(cursor()).to_arrow_reader(8192)
        for batch in reader:
            if self._finish is None:
                yield from batch.to_pylist()
            else:
                yield from self._finish(pa.Table.from_batches([batch])).to_pylist()

    def to_list(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.arrow().to_pylist()
        return rows
