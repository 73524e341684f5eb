"""The ``Source`` contract, the source registry, and re-creating a source from its stored config."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pydantic

from gristmill.errors import InvalidInputError, SourceError
from gristmill.registry import Registry
from gristmill.validation import InputModel

if TYPE_CHECKING:
    import pyarrow as pa

# The store adds columns such as ``__rowid__`` and ``__deleted__``; a source column with the same
# prefix could shadow them, so the whole prefix is reserved.
RESERVED_PREFIX = "__"
HF_SPLIT_COLUMN = "__hfsplit__"
# pandas stores a non-default index as '__index_level_N__': bookkeeping, not data, and its name
# collides with the reserved prefix, so the Parquet and HuggingFace sources leave it out.
PANDAS_INDEX_PATTERN = "^__index_level_[0-9]+__$"

source_registry: Registry[type[Source]] = Registry(
    "source",
    how_to_add="subclass gm.Source, set source_name and decorate it with @gm.register_source",
)

S = TypeVar("S", bound="type[Source]")


class QuickReadError(Exception):
    """A source's quick read (``open_for_load``) did not stand: read ``open()`` instead.

    Never reaches a user: the loader catches it and starts again with the careful read, whose
    errors (a malformed line, a bad file) are the ones a user sees.
    """


class Source(InputModel):
    """Where a dataset's rows come from.

    A subclass sets ``source_name`` (its key in the registry and in stored manifests), declares its
    settings as pydantic fields, and implements ``open``. ``to_dict`` and ``source_from_dict``
    round-trip the settings, so the manifest records exactly how a dataset was loaded.
    """

    model_config = pydantic.ConfigDict(extra="forbid")

    source_name: ClassVar[str]
    input_error: ClassVar[type[InvalidInputError]] = SourceError

    def open(self) -> pa.RecordBatchReader:
        """Stream the rows, in source order, as Arrow record batches (bounded memory)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement open()")

    def open_for_load(self) -> pa.RecordBatchReader:
        """The reader a load writes from: ``open()`` unless the source has a quicker read.

        A quicker read may end in ``QuickReadError`` (even after its last batch); the load then
        throws away what it wrote and reads ``open()`` instead, so only a read that stood is
        ever committed.
        """
        return self.open()

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable settings, including ``source_name``, as stored in the manifest."""
        return {"source_name": self.source_name, **self.model_dump(mode="json")}

    @classmethod
    def from_dict(cls, settings: dict[str, Any]) -> Source:
        """Re-create the source from ``to_dict()`` output (without ``source_name``).

        Settings it cannot take are a SourceError naming the field (see ``InputModel``).
        """
        return cls.model_validate(settings)


def register_source(cls: S) -> S:
    """Class decorator: make a ``Source`` subclass loadable by its ``source_name``.

    Built-in sources are registered with this same decorator.
    """
    name = getattr(cls, "source_name", None)
    if not isinstance(name, str) or not name:
        raise SourceError(
            f"{cls.__name__} has no source_name",
            hint="set a class attribute, e.g. source_name: ClassVar[str] = 'my_source'",
        )
    source_registry.register(name, cls)
    return cls


def source_from_dict(settings: dict[str, Any]) -> Source:
    """The inverse of ``Source.to_dict()``: look the class up by ``source_name`` and validate."""
    if not isinstance(settings, dict) or not isinstance(settings.get("source_name"), str):
        raise SourceError(
            "a stored source config needs a 'source_name' string",
            hint="pass what Source.to_dict() returned; known sources: "
            + ", ".join(source_registry.names()),
        )
    rest = dict(settings)
    cls = source_registry.get(rest.pop("source_name"))
    return cls.from_dict(rest)


def check_column_names(names: Iterable[str], where: str, *, allowed: Iterable[str] = ()) -> None:
    """Reject column names the store reserves (``__`` prefix), naming them and the fix."""
    allowed_set = set(allowed)
    reserved = [n for n in names if n.startswith(RESERVED_PREFIX) and n not in allowed_set]
    if reserved:
        listed = ", ".join(f"'{n}'" for n in reserved)
        raise SourceError(
            f"{where} has columns {listed}; names starting with '{RESERVED_PREFIX}' are reserved "
            "for Gristmill's own columns",
            hint="rename those fields in the data (drop the leading underscores) and load again",
        )
