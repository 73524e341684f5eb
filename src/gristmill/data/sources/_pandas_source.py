"""A pandas DataFrame held in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import pydantic

from gristmill.data.sources._source import Source, check_column_names, register_source
from gristmill.errors import SourceError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

_BATCH_ROWS = 65_536


@register_source
class PandasSource(Source):
    """Rows of a DataFrame, in its order: ``PandasSource(df)``.

    A named index becomes a column; an unnamed one is dropped. The DataFrame lives only in
    memory, so a dataset made from it records its shape, but the source cannot be re-created
    from the manifest.
    """

    source_name: ClassVar[str] = "pandas"

    _df: Any = pydantic.PrivateAttr()

    def __init__(self, df: pd.DataFrame, **data: Any) -> None:
        import pandas as pd

        super().__init__(**data)
        if not isinstance(df, pd.DataFrame):
            raise SourceError(
                f"PandasSource needs a pandas DataFrame, got {type(df).__name__}",
                hint="pass a DataFrame, e.g. PandasSource(pd.DataFrame(records))",
            )
        self._df = df

    @property
    def df(self) -> pd.DataFrame:
        frame: pd.DataFrame = self._df
        return frame

    def __repr__(self) -> str:
        rows, columns = self.df.shape
        return f"PandasSource(<DataFrame: {rows} rows x {columns} columns>)"

    def to_dict(self) -> dict[str, Any]:
        frame = self.df
        return {
            "source_name": self.source_name,
            "num_rows": len(frame),
            "columns": [str(c) for c in frame.columns],
        }

    @classmethod
    def from_dict(cls, settings: dict[str, Any]) -> Source:
        raise SourceError(
            "a pandas source cannot be re-created from its stored config: the DataFrame only "
            "existed in memory",
            hint="load the DataFrame again and pass it as PandasSource(df)",
        )

    def open(self) -> pa.RecordBatchReader:
        import pyarrow as pa

        frame = _with_named_index_as_columns(self.df)
        check_column_names(list(frame.columns), "the DataFrame")
        try:
            schema = pa.Schema.from_pandas(frame, preserve_index=False).remove_metadata()
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise SourceError(
                f"cannot convert the DataFrame to Arrow: {error}",
                hint="give each column one type, e.g. df[col] = df[col].astype(str)",
            ) from None

        def batches() -> Iterator[pa.RecordBatch]:
            # Slices keep the Arrow copy small next to the DataFrame the user already holds.
            for start in range(0, len(frame), _BATCH_ROWS):
                part = frame.iloc[start : start + _BATCH_ROWS]
                try:
                    # Through a Table: pandas 3's Arrow-backed columns (from concat, read_csv,
                    # ...) arrive chunked, which RecordBatch.from_pandas refuses.
                    table = pa.Table.from_pandas(part, schema=schema, preserve_index=False)
                except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
                    raise SourceError(
                        f"cannot convert rows {start}-{start + len(part) - 1} of the DataFrame: "
                        f"{error}",
                        hint="give each column one type, e.g. df[col] = df[col].astype(str)",
                    ) from None
                yield from table.to_batches()

        return pa.RecordBatchReader.from_batches(schema, batches())


def _with_named_index_as_columns(frame: pd.DataFrame) -> pd.DataFrame:
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    if not all(isinstance(c, str) for c in frame.columns):
        frame = frame.rename(columns=str)
    if frame.columns.duplicated().any():
        duplicated = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise SourceError(
            f"the DataFrame has duplicate column names: {', '.join(duplicated)}",
            hint="rename the columns so each name is unique",
        )
    return frame
