"""The PII signal: spans of emails, phones, IPs, cards, IBANs, credentials and secrets.

Each kind's cheap trigger runs over the whole chunk with Arrow's RE2 kernels; the exact Python
regex and its validator run only on the texts a trigger flagged. Overlapping candidates resolve
to the most specific kind (see ``PII_TYPES``). Span offsets are Python string indices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from gristmill.signals._pii_patterns import PII_TYPES, PiiPattern, pii_patterns
from gristmill.signals._signal import Signal, SignalScope, present_positions, register_signal

if TYPE_CHECKING:
    import pyarrow as pa

Span = tuple[int, int, str]


@register_signal
class PIISignal(Signal):
    """Personal data and secrets: ``{spans: [{start, end, type}], counts: {type: n}, total}``."""

    name: ClassVar[str] = "pii"
    display_name: ClassVar[str] = "PII"
    scope: ClassVar[SignalScope] = "row"

    def output_type(self) -> pa.DataType:
        import pyarrow as pa

        span = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("type", pa.string())])
        counts = pa.struct([(kind, pa.int32()) for kind in PII_TYPES])
        return pa.struct([("spans", pa.list_(span)), ("counts", counts), ("total", pa.int32())])

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        outputs: list[Any] = [None] * len(texts)
        positions = present_positions(texts)
        present: list[str] = [texts[i] for i in positions]  # type: ignore[misc]
        for position, spans in zip(positions, find_pii(present), strict=True):
            counts = dict.fromkeys(PII_TYPES, 0)
            for _, _, kind in spans:
                counts[kind] += 1
            outputs[position] = {
                "spans": [{"start": start, "end": end, "type": kind} for start, end, kind in spans],
                "counts": counts,
                "total": len(spans),
            }
        return outputs


def find_pii(texts: list[str]) -> list[list[Span]]:
    """The PII spans of each text, sorted by start, without overlaps."""
    import pyarrow as pa

    if not texts:
        return []
    candidates: list[list[tuple[int, Span]]] = [[] for _ in texts]
    column = pa.array(texts, type=pa.large_string())
    for priority, pattern in enumerate(pii_patterns()):
        for index in _triggered(column, pattern):
            text = texts[index]
            for match in pattern.regex.finditer(text):
                if pattern.validate is None or pattern.validate(text, match):
                    span = (match.start(pattern.group), match.end(pattern.group), pattern.type)
                    candidates[index].append((priority, span))
    return [_resolve_overlaps(found) for found in candidates]


def _triggered(column: pa.Array, pattern: PiiPattern) -> list[int]:
    import numpy as np
    import pyarrow.compute as pc

    mask = pc.match_substring_regex(column, pattern.trigger).to_numpy(zero_copy_only=False)
    return [int(i) for i in np.flatnonzero(mask)]


def _resolve_overlaps(found: list[tuple[int, Span]]) -> list[Span]:
    """Keep the highest-priority (then longest) span where candidates overlap."""
    if not found:
        return []
    kept: list[Span] = []
    for _, span in sorted(found, key=lambda item: (item[0], item[1][0] - item[1][1])):
        start, end, _ = span
        if all(end <= other_start or start >= other_end for other_start, other_end, _ in kept):
            kept.append(span)
    return sorted(kept)
