"""Where a dataset's rows come from: files, DataFrames and HuggingFace datasets.

Every source is a pydantic model whose ``open()`` streams Arrow record batches in source order
and whose ``to_dict()`` is stored in the dataset's manifest; ``source_from_dict`` re-creates it.
Built-in sources register through ``register_source`` exactly as a user's own source does::

    @gm.register_source
    class MySource(gm.Source):
        source_name: ClassVar[str] = 'mine'
        def open(self) -> pa.RecordBatchReader: ...
"""

from gristmill.data.sources._csv_source import CSVSource
from gristmill.data.sources._huggingface_source import HuggingFaceSource
from gristmill.data.sources._json_source import JSONSource
from gristmill.data.sources._pandas_source import PandasSource
from gristmill.data.sources._parquet_source import ParquetSource
from gristmill.data.sources._source import (
    HF_SPLIT_COLUMN,
    QuickReadError,
    Source,
    register_source,
    source_from_dict,
    source_registry,
)

__all__ = [
    "HF_SPLIT_COLUMN",
    "CSVSource",
    "HuggingFaceSource",
    "JSONSource",
    "PandasSource",
    "ParquetSource",
    "QuickReadError",
    "Source",
    "register_source",
    "source_from_dict",
    "source_registry",
]
