"""Signals: computations that add one derived value per row (statistics, language, PII, duplicates).

Use a built-in, ``gm.PIISignal().compute(texts)``, or write your own::

    @gm.register_signal
    class Shouting(gm.Signal):
        name: ClassVar[str] = "shouting"
        scope: ClassVar[Literal["row", "dataset"]] = "row"

        def output_type(self) -> pa.DataType:
            return pa.bool_()

        def compute(self, texts):
            return [None if not t else t.isupper() for t in texts]

A dataset runs a signal with ``ds.compute_signal(signal, path)``: row-scope signals chunk by chunk
(resumable), dataset-scope signals (duplicates) over all rows at once. Signals that work on
embeddings (``EmbeddingSignal``) get vectors through ``compute_from_vectors``.
"""

from typing import TYPE_CHECKING

from gristmill._lazy import lazy_exports
from gristmill.signals._exact_duplicates import ExactDuplicateSignal
from gristmill.signals._lang_detection import LangDetectionSignal
from gristmill.signals._near_duplicates import NearDuplicateSignal
from gristmill.signals._pii import PIISignal
from gristmill.signals._pii_patterns import PII_TYPES
from gristmill.signals._semantic_duplicates import SemanticDuplicateSignal
from gristmill.signals._signal import (
    EmbeddingSignal,
    Signal,
    SignalScope,
    get_signal,
    register_signal,
    signal_registry,
)
from gristmill.signals._text_statistics import TextStatisticsSignal

if TYPE_CHECKING:
    from gristmill.signals._dataset import compute_signal

__all__ = [
    "PII_TYPES",
    "EmbeddingSignal",
    "ExactDuplicateSignal",
    "LangDetectionSignal",
    "NearDuplicateSignal",
    "PIISignal",
    "SemanticDuplicateSignal",
    "Signal",
    "SignalScope",
    "TextStatisticsSignal",
    "compute_signal",
    "get_signal",
    "register_signal",
    "signal_registry",
]

# Running a signal over a dataset needs the data engine; a worker process computing a signal's
# chunk imports this package and needs none of it.
__getattr__, __dir__ = lazy_exports(
    __name__, {"compute_signal": "gristmill.signals._dataset"}, globals()
)
