"""The Signal base class and the one registry of signals.

A signal turns text into one derived value per row. ``scope='row'`` signals see each row on its
own, so a dataset computes them chunk by chunk and resumes after a crash; ``scope='dataset'``
signals (duplicates) need every row at once. Built-in signals are registered with
``register_signal`` exactly as a user's own signal is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

import pydantic

from gristmill.errors import InvalidInputError
from gristmill.registry import Registry

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

SignalScope = Literal["row", "dataset"]


class Signal(pydantic.BaseModel):
    """A computation that adds one derived value per row; subclass it for your own signal.

    Subclasses set the class variables ``name`` and ``scope``, declare their parameters as
    pydantic fields, and implement ``output_type`` and ``compute``. ``compute`` returns one
    Arrow-friendly value (dicts, lists, numbers, strings) per input, and ``None`` where the input
    is ``None`` or blank.
    """

    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str]
    scope: ClassVar[SignalScope]
    # Bump when the algorithm's output changes, so stored results stop matching ``key()``.
    version: ClassVar[int] = 1
    # What a person calls it ('Language detection'); by default the name, spaced and capitalised.
    display_name: ClassVar[str] = ""

    def output_type(self) -> pa.DataType:
        """The Arrow type of one output value, so that even an empty chunk is typed."""
        raise NotImplementedError(f"{type(self).__name__} must implement output_type()")

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        """One output per input, ``None`` for a ``None`` or blank input."""
        raise NotImplementedError(f"{type(self).__name__} must implement compute()")

    @classmethod
    def readable_name(cls) -> str:
        """``display_name``, else ``'text_statistics'`` -> ``'Text statistics'``."""
        return cls.display_name or cls.name.replace("_", " ").capitalize()

    def job_title(self, path: str) -> str:
        """How a job computing this signal over ``path`` reads: 'Language detection of prompt'."""
        return f"{self.readable_name()} of {path}"

    def key(self) -> str:
        """A stable identity of the signal and its parameters, for lineage and reuse checks."""
        params = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return f"{self.name}@v{self.version}{params}"


class EmbeddingSignal(Signal):
    """A signal computed from one embedding vector per row rather than from the text.

    The dataset embeds the rows with the provider named by ``embedding`` and passes the vectors
    to ``compute_from_vectors``.
    """

    embedding: str = "minilm"

    def compute_from_vectors(self, vectors: np.ndarray[Any, Any]) -> list[Any]:
        """One output per row of ``vectors`` (shape ``(n, d)``, L2-normalised)."""
        raise NotImplementedError(f"{type(self).__name__} must implement compute_from_vectors()")

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        raise InvalidInputError(
            f"the signal '{self.name}' works on embeddings, not on raw text",
            hint=(
                "call compute_from_vectors(vectors) with one L2-normalised vector per row, or run "
                f"ds.compute_signal(...), which embeds the texts with '{self.embedding}' first"
            ),
        )


signal_registry: Registry[type[Signal]] = Registry(
    "signal",
    how_to_add="subclass gm.Signal and decorate it with @gm.register_signal",
)

SignalClass = TypeVar("SignalClass", bound=type[Signal])


def register_signal(cls: SignalClass) -> SignalClass:
    """Register a Signal subclass under its ``name``; usable as a class decorator."""
    if not isinstance(cls, type) or not issubclass(cls, Signal):
        raise InvalidInputError(
            f"register_signal() needs a subclass of gm.Signal, got {cls!r}",
            hint="define `class MySignal(gm.Signal)` with `name` and `scope` class variables",
        )
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise InvalidInputError(
            f"the signal class {cls.__name__} has no name",
            hint="add a class variable, e.g. `name: ClassVar[str] = 'my_signal'`",
        )
    scope = getattr(cls, "scope", None)
    if scope not in ("row", "dataset"):
        raise InvalidInputError(
            f"the signal '{name}' has scope {scope!r}",
            hint="set `scope: ClassVar[Literal['row', 'dataset']]` to 'row' or 'dataset'",
        )
    for method in ("output_type", "compute"):
        if getattr(cls, method) is getattr(Signal, method):
            raise InvalidInputError(
                f"the signal '{name}' does not implement {method}()",
                hint=f"define {method}() on {cls.__name__}",
            )
    signal_registry.register(name, cls)
    return cls


def get_signal(name: str, **params: Any) -> Signal:
    """An instance of the registered signal ``name`` built with ``params``."""
    cls = signal_registry.get(name)
    try:
        return cls(**params)
    except pydantic.ValidationError as error:
        raise InvalidInputError(
            f"invalid parameters for the signal '{name}': {error}",
            hint=f"its parameters are: {', '.join(cls.model_fields) or 'none'}",
        ) from error


def present_positions(texts: Sequence[str | None]) -> list[int]:
    """Positions of the inputs a signal computes on: not None and not blank."""
    positions = []
    for i, text in enumerate(texts):
        if text is None:
            continue
        if not isinstance(text, str):
            raise InvalidInputError(
                f"signals compute on text, but input {i} is a {type(text).__name__}: {text!r:.80}",
                hint="run the signal on a string column (or map the column to text first)",
            )
        if text and not text.isspace():
            positions.append(i)
    return positions
