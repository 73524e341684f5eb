"""Arrow arrays built from numpy buffers, never from Python values through ``pa.array``.

``pa.array`` asks whether its input is a pandas object first, which imports pandas: half a
second of a process's first search. The arrays a search hands back are built here instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa


def span_scores_type() -> pa.DataType:
    """The type of a search result's ``spans``: where in the text it matched, and how well."""
    import pyarrow as pa

    return pa.list_(
        pa.struct([("start", pa.int32()), ("end", pa.int32()), ("score", pa.float64())])
    )


def numpy_array(values: npt.NDArray[Any], arrow_type: pa.DataType) -> pa.Array:
    """A primitive Arrow array over ``values``, whose numpy type is ``arrow_type``'s."""
    import numpy as np
    import pyarrow as pa

    data = np.ascontiguousarray(values)
    if data.dtype.itemsize * 8 != arrow_type.bit_width:
        raise TypeError(f"numpy {data.dtype} values cannot be read as Arrow {arrow_type}")
    return pa.Array.from_buffers(arrow_type, len(data), [None, pa.py_buffer(data)])


def span_scores_array(rows: list[Any]) -> pa.Array:
    """Each row's spans (dicts of ``start``, ``end``, ``score``) as a ``span_scores_type``
    array; a row's empty list stays empty."""
    import numpy as np
    import pyarrow as pa

    counts = np.fromiter((len(spans) for spans in rows), dtype=np.int32, count=len(rows))
    offsets = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    flat = [span for spans in rows for span in spans]

    def column(key: str, arrow_type: pa.DataType, dtype: type[np.generic]) -> pa.Array:
        values = np.fromiter((span[key] for span in flat), dtype=dtype, count=len(flat))
        return numpy_array(values, arrow_type)

    items = pa.StructArray.from_arrays(
        [
            column("start", pa.int32(), np.int32),
            column("end", pa.int32(), np.int32),
            column("score", pa.float64(), np.float64),
        ],
        fields=list(span_scores_type().value_type),
    )
    return pa.ListArray.from_buffers(
        span_scores_type(), len(rows), [None, pa.py_buffer(offsets)], children=[items]
    )
