from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Literal

import pyarrow as pa
import pytest

from gristmill import signals
from gristmill.errors import InvalidInputError, NotFoundError
from gristmill.signals import Signal, get_signal, register_signal, signal_registry

BUILT_INS = {
    "text_statistics": signals.TextStatisticsSignal,
    "lang_detection": signals.LangDetectionSignal,
    "pii": signals.PIISignal,
    "exact_duplicates": signals.ExactDuplicateSignal,
    "near_duplicates": signals.NearDuplicateSignal,
    "semantic_duplicates": signals.SemanticDuplicateSignal,
}


def test_built_ins_are_registered_under_their_names() -> None:
    for name, cls in BUILT_INS.items():
        assert signal_registry.get(name) is cls
        assert cls.name == name
    assert signals.NearDuplicateSignal.scope == "dataset"
    assert signals.PIISignal.scope == "row"


class Shouting(Signal):
    name: ClassVar[str] = "test_shouting"
    scope: ClassVar[Literal["row", "dataset"]] = "row"
    min_letters: int = 3

    def output_type(self) -> pa.DataType:
        return pa.bool_()

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        return [
            None if not text else sum(c.isupper() for c in text) >= self.min_letters
            for text in texts
        ]


def test_user_signal_registers_and_runs() -> None:
    try:
        assert register_signal(Shouting) is Shouting
        signal = get_signal("test_shouting", min_letters=2)
        outputs = signal.compute(["HEY you", "quiet", None])
        assert outputs == [True, False, None]
        pa.array(outputs, type=signal.output_type())
        with pytest.raises(InvalidInputError, match="already registered"):
            register_signal(Shouting)
    finally:
        signal_registry.unregister("test_shouting")


def test_register_rejects_incomplete_classes() -> None:
    class NoName(Signal):
        scope: ClassVar[Literal["row", "dataset"]] = "row"

    class BadScope(Signal):
        name: ClassVar[str] = "test_bad_scope"
        scope: ClassVar[Any] = "chunk"

    class NoCompute(Signal):
        name: ClassVar[str] = "test_no_compute"
        scope: ClassVar[Literal["row", "dataset"]] = "row"

        def output_type(self) -> pa.DataType:
            return pa.int64()

    with pytest.raises(InvalidInputError, match="no name"):
        register_signal(NoName)
    with pytest.raises(InvalidInputError, match="scope"):
        register_signal(BadScope)
    with pytest.raises(InvalidInputError, match="compute"):
        register_signal(NoCompute)
    with pytest.raises(InvalidInputError, match="subclass"):
        register_signal(dict)  # type: ignore[type-var]
    assert "test_no_compute" not in signal_registry


def test_unknown_signal_lists_the_known_ones() -> None:
    with pytest.raises(NotFoundError) as error:
        get_signal("sentiment")
    assert "pii" in str(error.value)


def test_bad_parameters_are_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="threshold"):
        get_signal("near_duplicates", threshold=1.5)
    with pytest.raises(InvalidInputError, match="invalid parameters"):
        get_signal("pii", colour="red")


def test_key_is_stable_and_tracks_parameters() -> None:
    first = signals.NearDuplicateSignal(threshold=0.8).key()
    assert first == signals.NearDuplicateSignal(threshold=0.8).key()
    assert first != signals.NearDuplicateSignal(threshold=0.9).key()
    assert first.startswith("near_duplicates@v1")
    assert signals.PIISignal().key() == "pii@v1{}"


def test_non_text_input_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="string column"):
        signals.PIISignal().compute(["ok", 42])  # type: ignore[list-item]


def test_every_built_in_handles_only_missing_input() -> None:
    for name, cls in BUILT_INS.items():
        signal = cls()
        if isinstance(signal, signals.EmbeddingSignal):
            continue
        outputs = signal.compute([None, "", "   \n"])
        assert outputs == [None, None, None], name
        assert signal.compute([]) == []
        pa.array(outputs, type=signal.output_type())


def test_embedding_signal_refuses_text() -> None:
    with pytest.raises(InvalidInputError, match="compute_from_vectors"):
        signals.SemanticDuplicateSignal().compute(["a", "b"])


def test_importing_signals_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, gristmill.signals; "
        "print(sorted(m for m in ('numpy', 'pyarrow', 'py3langid') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
