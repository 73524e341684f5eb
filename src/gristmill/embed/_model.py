"""What every embedding model is: ``embed(texts) -> float32 [n, dim]``, L2-normalised.

Callers (datasets, search, concepts, clustering) only see :class:`EmbeddingModel`. ``model_id``
names the exact weights and settings, so stored vectors can be checked against the model
that would embed a query ("same model" checks and lineage).
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gristmill.errors import InvalidInputError, ProviderError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]

EmbedFunction = Callable[[list[str]], Any]


class EmbeddingModel(abc.ABC):
    """An embedding model. Subclass it (or register a plain function) to add your own.

    Subclasses set ``name`` and ``model_id`` and implement ``dim`` and ``_embed``; ``embed``
    validates the input and normalises the output, so every model returns the same shape.
    """

    name: str = ""
    model_id: str = ""

    @property
    @abc.abstractmethod
    def dim(self) -> int:
        """Length of each vector."""

    @abc.abstractmethod
    def _embed(self, texts: list[str]) -> Any:
        """Vectors for ``texts`` (any array-like of shape [len(texts), dim])."""

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        """float32 vectors of shape ``[len(texts), dim]``, each of unit length.

        An empty text gets a zero vector only if the model gives one (it cannot be normalised);
        other models give it whatever their empty input means.
        """
        items = check_texts(texts)
        if not items:
            import numpy as np

            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = as_matrix(self._embed(items), expected_rows=len(items), source=self.name)
        return l2_normalise(vectors)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, model_id={self.model_id!r})"


class FunctionEmbedding(EmbeddingModel):
    """A user's plain function ``list[str] -> array [n, dim]`` made into an EmbeddingModel."""

    def __init__(
        self,
        name: str,
        fn: EmbedFunction,
        *,
        dim: int | None = None,
        model_id: str | None = None,
    ) -> None:
        self.name = name
        self._fn = fn
        self._dim = dim
        module = getattr(fn, "__module__", None) or "unknown"
        qualname = getattr(fn, "__qualname__", None) or type(fn).__qualname__
        # Module + qualified name is stable across processes, unlike id() or repr().
        self.model_id = model_id or f"custom/{name}:{module}.{qualname}"

    @property
    def dim(self) -> int:
        if self._dim is None:
            # The function did not say; one probe call tells (and is cheap next to real work).
            self._dim = int(self.embed(["dimension probe"]).shape[1])
        return self._dim

    def _embed(self, texts: list[str]) -> Any:
        result = self._fn(texts)
        matrix = as_matrix(result, expected_rows=len(texts), source=self.name)
        if self._dim is None:
            self._dim = int(matrix.shape[1])
        elif matrix.shape[1] != self._dim:
            raise ProviderError(
                f"embedding '{self.name}' returned vectors of length {matrix.shape[1]},"
                f" expected {self._dim}",
                hint="make the function return the same vector length on every call",
            )
        return matrix


def check_texts(texts: Sequence[str]) -> list[str]:
    """The texts as a list; anything that is not a string is rejected with the fix."""
    if isinstance(texts, str):
        raise InvalidInputError(
            "embed() takes a sequence of texts, got a single string",
            hint="wrap it in a list: embed([text])",
        )
    items = list(texts)
    for position, text in enumerate(items):
        if not isinstance(text, str):
            raise InvalidInputError(
                f"text #{position} is {type(text).__name__}, not a string",
                hint="skip None values and convert other values to str before embedding",
            )
    return items


def as_matrix(values: Any, *, expected_rows: int, source: str) -> FloatMatrix:
    """``values`` as a C-contiguous float32 matrix with one row per text, or a ProviderError."""
    import numpy as np

    try:
        matrix = np.ascontiguousarray(np.asarray(values, dtype=np.float32))
    except (TypeError, ValueError) as exc:
        raise ProviderError(
            f"embedding '{source}' returned something that is not a numeric array: {exc}",
            hint="return a list of equal-length float lists or a 2-d NumPy array",
        ) from exc
    if matrix.ndim != 2 or matrix.shape[0] != expected_rows:
        raise ProviderError(
            f"embedding '{source}' returned shape {matrix.shape} for {expected_rows} texts",
            hint="return one vector per input text: shape (len(texts), dim)",
        )
    if not np.isfinite(matrix).all():
        raise ProviderError(
            f"embedding '{source}' returned NaN or infinite values",
            hint="check the model's output for these texts",
        )
    return matrix


def l2_normalise(vectors: FloatMatrix) -> FloatMatrix:
    """Rows scaled to unit length; all-zero rows stay zero instead of becoming NaN."""
    import numpy as np

    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.maximum(norms, np.float32(1e-12), out=norms)
    normalised: FloatMatrix = (vectors / norms).astype(np.float32, copy=False)
    return normalised
