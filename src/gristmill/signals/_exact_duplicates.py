"""Exact duplicates after normalisation (case, whitespace, punctuation, Unicode NFKC)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from gristmill.signals._components import dense_groups
from gristmill.signals._normalize import normalized_texts
from gristmill.signals._signal import Signal, SignalScope, present_positions, register_signal

if TYPE_CHECKING:
    import pyarrow as pa


@register_signal
class ExactDuplicateSignal(Signal):
    """Groups of texts equal after normalisation: ``{dup_group_id, dup_count, is_first}``.

    Every present row gets a group (a unique text is a group of 1). Group ids number groups in
    order of their first row; ``is_first`` marks that row, the one to keep when deduplicating.
    Grouping compares the normalised strings themselves (Arrow's hash table), so two different
    texts can never collide.
    """

    name: ClassVar[str] = "exact_duplicates"
    scope: ClassVar[SignalScope] = "dataset"

    def output_type(self) -> pa.DataType:
        import pyarrow as pa

        return pa.struct(
            [("dup_group_id", pa.int64()), ("dup_count", pa.int64()), ("is_first", pa.bool_())]
        )

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        import pyarrow.compute as pc

        outputs: list[Any] = [None] * len(texts)
        positions = present_positions(texts)
        if not positions:
            return outputs
        normalized = normalized_texts([texts[i] for i in positions])  # type: ignore[misc]
        labels = pc.dictionary_encode(normalized).indices.to_numpy(zero_copy_only=False)
        group_id, size, is_first = dense_groups(labels)
        for position, group, count, first in zip(
            positions, group_id.tolist(), size.tolist(), is_first.tolist(), strict=True
        ):
            outputs[position] = {"dup_group_id": group, "dup_count": count, "is_first": first}
        return outputs
