"""HuggingFace ``datasets``: a directory saved with ``save_to_disk`` or a name in the local cache.

Gristmill never downloads: hub names load with HuggingFace's offline mode switched on for the
duration of the load, so a dataset that is not cached fails fast with a clear message.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import pydantic

from gristmill.data.sources._source import (
    HF_SPLIT_COLUMN,
    PANDAS_INDEX_PATTERN,
    Source,
    check_column_names,
    register_source,
)
from gristmill.errors import SourceError, missing_dependency

if TYPE_CHECKING:
    import pyarrow as pa

_BATCH_ROWS = 10_000
_SAVED_DATASET_MARKERS = ("dataset_dict.json", "state.json")
_OFFLINE_FLAGS = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")
_offline_lock = threading.Lock()


@register_source
class HuggingFaceSource(Source):
    """Rows of a HuggingFace dataset, split after split, each row tagged with ``__hfsplit__``.

    ``dataset_name`` is a local directory written by ``Dataset.save_to_disk`` /
    ``DatasetDict.save_to_disk`` (detected automatically, or forced with ``load_from_disk=True``),
    a directory of data files, or a hub name already in the local HuggingFace cache
    (``cache_dir``, default ``$HF_DATASETS_CACHE``). ``split`` picks one split (default: all).
    ``sample_size`` keeps the first N rows of each split (not a random sample), as Lilac does.
    """

    source_name: ClassVar[str] = "huggingface"

    dataset_name: str
    config_name: str | None = None
    split: str | None = None
    sample_size: Annotated[int, pydantic.Field(gt=0)] | None = None
    revision: str | None = None
    load_from_disk: bool = False
    cache_dir: str | None = None

    def open(self) -> pa.RecordBatchReader:
        import pyarrow as pa

        splits = self._select_splits(self._load())
        if self.sample_size is not None:
            splits = [(n, d.select(range(min(self.sample_size, len(d))))) for n, d in splits]
        schemas = [_data_schema(dataset) for _, dataset in splits]
        for schema in schemas:
            check_column_names(schema.names, f"the HuggingFace dataset '{self.dataset_name}'")
        try:
            unified = pa.unify_schemas(schemas, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise SourceError(
                f"the splits of '{self.dataset_name}' have incompatible columns: {error}",
                hint="load one split at a time with split='...'",
            ) from None
        schema = unified.append(pa.field(HF_SPLIT_COLUMN, pa.string()))

        def batches() -> Iterator[pa.RecordBatch]:
            for name, dataset in splits:
                for table in dataset.with_format("arrow").iter(batch_size=_BATCH_ROWS):
                    for batch in table.to_batches():
                        yield _conform(batch, unified, name)

        return pa.RecordBatchReader.from_batches(schema, batches())

    def _load(self) -> Any:
        try:
            import datasets
        except ImportError:
            raise missing_dependency("datasets", "hf", "loading a HuggingFace dataset") from None
        path = Path(os.path.expanduser(self.dataset_name))
        if self.load_from_disk or _is_saved_dataset(path):
            if not path.is_dir():
                raise SourceError(
                    f"no dataset directory at '{self.dataset_name}'",
                    hint="pass the folder written by Dataset.save_to_disk(); relative paths start "
                    f"from {os.getcwd()}",
                )
            try:
                with _hub_offline():
                    return datasets.load_from_disk(str(path))
            except (OSError, ValueError) as error:
                raise SourceError(
                    f"cannot load the saved dataset at '{self.dataset_name}': {error}",
                    hint="pass a folder written by Dataset.save_to_disk() or "
                    "DatasetDict.save_to_disk()",
                ) from None
        try:
            with _hub_offline():
                return datasets.load_dataset(
                    self.dataset_name,
                    self.config_name,
                    split=self.split,
                    revision=self.revision,
                    cache_dir=self.cache_dir,
                )
        except Exception as error:  # datasets raises many unrelated types for "not available"
            cache = self.cache_dir or datasets.config.HF_DATASETS_CACHE
            raise SourceError(
                f"the HuggingFace dataset '{self.dataset_name}' could not be loaded offline: "
                f"{type(error).__name__}: {_first_line(error)}",
                hint=f"Gristmill does not download: the dataset must already be in the local "
                f"HuggingFace cache ({cache}) or be a local directory (e.g. written by "
                "save_to_disk); check the name, config_name, split and revision",
            ) from None

    def _select_splits(self, loaded: Any) -> list[tuple[str, Any]]:
        import datasets

        if isinstance(loaded, datasets.DatasetDict):
            available = list(loaded.keys())
            if self.split is None:
                return [(str(name), loaded[name]) for name in available]
            if self.split not in loaded:
                raise SourceError(
                    f"the HuggingFace dataset '{self.dataset_name}' has no split '{self.split}'",
                    hint=f"available splits: {', '.join(map(str, available))}",
                )
            return [(self.split, loaded[self.split])]
        if isinstance(loaded, datasets.Dataset):
            own = str(loaded.split) if loaded.split is not None else None
            if self.split is not None and own is not None and own != self.split:
                raise SourceError(
                    f"'{self.dataset_name}' holds only the split '{own}', not '{self.split}'",
                    hint=f"pass split='{own}' or leave split unset",
                )
            return [(self.split or own or "default", loaded)]
        raise SourceError(
            f"'{self.dataset_name}' loaded as a {type(loaded).__name__}, not a Dataset",
            hint="pass a map-style dataset (streaming datasets are not supported)",
        )


def _is_saved_dataset(path: Path) -> bool:
    return path.is_dir() and any((path / marker).is_file() for marker in _SAVED_DATASET_MARKERS)


def _data_schema(dataset: Any) -> pa.Schema:
    import pyarrow as pa

    schema: pa.Schema = dataset.features.arrow_schema
    return pa.schema([f for f in schema if not re.match(PANDAS_INDEX_PATTERN, f.name)])


def _conform(batch: pa.RecordBatch, schema: pa.Schema, split: str) -> pa.RecordBatch:
    """The batch with ``schema``'s columns (missing ones null) plus the split name."""
    import pyarrow as pa

    columns = []
    for field in schema:
        index = batch.schema.get_field_index(field.name)
        if index < 0:
            columns.append(pa.nulls(batch.num_rows, field.type))
        else:
            columns.append(batch.column(index).cast(field.type))
    columns.append(pa.repeat(pa.scalar(split, pa.string()), batch.num_rows))
    return pa.RecordBatch.from_arrays(
        columns, schema=schema.append(pa.field(HF_SPLIT_COLUMN, pa.string()))
    )


@contextmanager
def _hub_offline() -> Iterator[None]:
    """HuggingFace offline mode for one load, however the process was started.

    Both libraries read ``HF_HUB_OFFLINE`` once at import, so besides the environment variable
    their module-level flags are switched too, then restored.
    """
    import datasets.config
    import huggingface_hub.constants as hub_constants

    with _offline_lock:
        saved_env = {name: os.environ.get(name) for name in _OFFLINE_FLAGS}
        saved_flags = {
            (module, name): getattr(module, name)
            for module in (datasets.config, hub_constants)
            for name in _OFFLINE_FLAGS
            if hasattr(module, name)
        }
        try:
            for name in _OFFLINE_FLAGS:
                os.environ[name] = "1"
            for module, name in saved_flags:
                setattr(module, name, True)
            yield
        finally:
            for name, value in saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            for (module, name), value in saved_flags.items():
                setattr(module, name, value)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""
