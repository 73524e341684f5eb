"""Language detection, offline, with py3langid's bundled naive Bayes model (97+ languages).

Confidences are py3langid's normalised probabilities. Texts with fewer than ``min_chars``
non-space characters, or with no letters at all, get ``None``: a guess on "ok" or "1234" is noise.
Only the first ``max_chars`` characters are read, since the model's features saturate long before.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import pydantic

from gristmill.errors import missing_dependency
from gristmill.signals._langid_batch import BatchLanguageIdentifier
from gristmill.signals._signal import Signal, SignalScope, present_positions, register_signal

if TYPE_CHECKING:
    import pyarrow as pa


@register_signal
class LangDetectionSignal(Signal):
    """The language of a text: ``{language: ISO 639 code, confidence: 0..1}``."""

    name: ClassVar[str] = "lang_detection"
    display_name: ClassVar[str] = "Language detection"
    scope: ClassVar[SignalScope] = "row"

    min_chars: int = pydantic.Field(default=12, ge=1)
    max_chars: int = pydantic.Field(default=2000, ge=1)

    def output_type(self) -> pa.DataType:
        import pyarrow as pa

        return pa.struct([("language", pa.string()), ("confidence", pa.float64())])

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        outputs: list[Any] = [None] * len(texts)
        positions = present_positions(texts)
        if not positions:
            return outputs
        kept: list[int] = []
        heads: list[str] = []
        for position in positions:
            text: str = texts[position][: self.max_chars]  # type: ignore[index]
            if len("".join(text.split())) < self.min_chars:
                continue
            if not any(char.isalpha() for char in text):
                continue
            kept.append(position)
            heads.append(text)
        for position, (language, confidence) in zip(kept, _classify(heads), strict=True):
            outputs[position] = {"language": str(language), "confidence": float(confidence)}
        return outputs


def _classify(texts: list[str]) -> list[tuple[str, float]]:
    if not texts:
        return []
    identifier = _identifier()
    if BatchLanguageIdentifier.supports(identifier):
        return _batch_identifier().classify_many(texts)
    return [identifier.classify(text) for text in texts]


@functools.cache
def _batch_identifier() -> BatchLanguageIdentifier:
    return BatchLanguageIdentifier(_identifier())


@functools.cache
def _identifier() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError as error:
        raise missing_dependency("py3langid", "signals", "language detection") from error
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
