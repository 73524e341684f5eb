"""A dataset's folder, and the one place that knows its layout.

Layout of ``<project>/datasets/<namespace>/<name>/``::

    manifest.json                   StoredManifest: source config, row count, derived columns
    source/part-00000.parquet       the source rows, with a dense int64 ``__rowid__`` (0..n-1)
    columns/<column>/<id>.parquet   one derived column: ``__rowid__`` + the column, keyed by rowid
    embeddings/<column>/<id>/       the vector index behind an embedding column
    labels/<label>.parquet          one label: ``__rowid__``, ``label``, ``created``
    deleted.parquet                 the soft-deleted rowids
    fts/<column>.duckdb             a keyword-search index (rebuilt when its column changes)
    work/<job>/                     chunks of an unfinished resumable job
    .lock                           the short lock of read-modify-writes (labels, manifest)

Every path above comes from a ``DatasetStore`` method; the modules that write a kind of file
(``datasets`` the source shards, ``curation`` labels and deletions, ``derived`` columns, the
embedding column its index, keyword search its FTS file) ask the store where it goes.

Names starting with a dot are never data (``files.is_data_name``): temp files a killed writer
left are cleared on open. The writer locks (one job per column, one load per name) live outside,
in ``datasets/.locks/`` (``locks.py``).

Derived data never rewrites source files. The manifest names the current file of each derived
column (and the current folder of its index, if it has one), so replacing a column is: write the
new file or folder, swap the manifest atomically, delete the old. A reader sees the old version or
the new one, never a mix and never nothing.
"""

from __future__ import annotations

import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from gristmill.data.files import atomic_write_text, data_files, locked
from gristmill.data.locks import hold_column
from gristmill.errors import NotFoundError
from gristmill.project import get_project_dir, validate_name
from gristmill.schema import DerivedColumn, Lineage

ROWID = "__rowid__"
MANIFEST_FILENAME = "manifest.json"


class StoredDerivedColumn(BaseModel):
    """A derived column as recorded on disk."""

    name: str
    file: str
    lineage: Lineage
    # The folder of the column's vector index, relative to the dataset (embedding columns).
    index: str | None = None

    def public(self) -> DerivedColumn:
        return DerivedColumn(name=self.name, lineage=self.lineage)


class StoredManifest(BaseModel):
    """The on-disk manifest: what the dataset was made from and which derived files are current."""

    format_version: int = 1
    namespace: str
    name: str
    source: dict[str, Any]
    created_at: datetime
    num_rows: int
    source_files: list[str]
    derived: dict[str, StoredDerivedColumn] = Field(default_factory=dict)


def datasets_root(project_dir: Path | None = None) -> Path:
    return (project_dir or get_project_dir()) / "datasets"


def dataset_dir(namespace: str, name: str, project_dir: Path | None = None) -> Path:
    validate_name(namespace, "namespace")
    validate_name(name, "dataset name")
    return datasets_root(project_dir) / namespace / name


class DatasetStore:
    """Reads and writes the files of one dataset; every write is atomic and under the lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._manifest: StoredManifest | None = None
        self._manifest_version: tuple[int, int, int] | None = None

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_FILENAME

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def read_manifest(self, *, fresh: bool = False) -> StoredManifest:
        """The manifest, re-read only when the file changed (another process may write it).

        A read-modify-write passes ``fresh=True`` under the lock: two writes within one tick of
        the file system's clock can leave the same mtime, and a stale copy would drop the other
        process's change.
        """
        try:
            stat = self.manifest_path.stat()
        except FileNotFoundError:
            raise NotFoundError(
                f"dataset folder {self.root} has no manifest",
                hint="create the dataset first with gm.create_dataset(...)",
            ) from None
        # Every write is a rename of a new file, so the inode changes even when the mtime cannot.
        version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if fresh or self._manifest is None or self._manifest_version != version:
            self._manifest = StoredManifest.model_validate_json(
                self.manifest_path.read_text(encoding="utf-8")
            )
            self._manifest_version = version
        return self._manifest

    def write_manifest(self, manifest: StoredManifest) -> None:
        atomic_write_text(self.manifest_path, manifest.model_dump_json(indent=2))
        self._manifest = manifest
        stat = self.manifest_path.stat()
        self._manifest_version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def lock(self) -> Any:
        return locked(self.root)

    # --- files ---------------------------------------------------------------------------------

    def source_paths(self) -> list[str]:
        return [str(self.root / rel) for rel in self.read_manifest().source_files]

    def derived_path(self, name: str) -> str:
        return str(self.root / self.read_manifest().derived[name].file)

    @property
    def labels_dir(self) -> Path:
        return self.root / "labels"

    def label_path(self, label: str) -> Path:
        return self.labels_dir / f"{validate_name(label, 'label name')}.parquet"

    def label_names(self) -> list[str]:
        return [path.stem for path in data_files(self.labels_dir, "*.parquet")]

    @property
    def deleted_path(self) -> Path:
        return self.root / "deleted.parquet"

    def work_dir(self, job_key: str) -> Path:
        return self.root / "work" / job_key

    def source_dir(self) -> Path:
        """Where the source shards go (a load writes them into a staging dataset's store)."""
        return self.root / "source"

    def fts_path(self, column: str) -> Path:
        """The keyword-search index of ``column`` (a cache, rebuilt when the column changes);
        ``column`` may be a nested path (``messages.*.content``)."""
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", column)
        return self.root / "fts" / f"{slug}.duckdb"

    def index_dir(self, column: str) -> Path | None:
        """The current vector index folder of ``column``, or None when it has none."""
        stored = self.read_manifest().derived.get(column)
        if stored is None:
            return None
        if stored.index is None:
            # Datasets written before indexes were versioned keep theirs here.
            legacy = self.root / "embeddings" / column
            return legacy if legacy.exists() else None
        return self.root / stored.index

    # --- derived columns -----------------------------------------------------------------------

    def new_derived_file(self, name: str) -> Path:
        """A fresh file path for a new version of derived column ``name``."""
        folder = self.root / "columns" / validate_name(name, "column name")
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{uuid.uuid4().hex}.parquet"

    def new_index_dir(self, name: str) -> Path:
        """A fresh folder path (not yet created) for a new version of ``name``'s vector index.

        Its name starts with a dot until ``commit_derived`` adopts it, so a folder a killed
        writer left behind is never taken for an index.
        """
        folder = self.root / "embeddings" / validate_name(name, "column name")
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f".staging-{uuid.uuid4().hex}"

    def commit_derived(
        self, name: str, file: Path, lineage: Lineage, *, index: Path | None = None
    ) -> None:
        """Point the manifest at ``file`` (and ``index``) for column ``name``, then remove the
        previous version: readers see the old column or the new one, never neither."""
        index_rel = None
        if index is not None:
            # Adopt the staged folder under its final name before the manifest points at it.
            final = index.with_name(index.name.removeprefix(".staging-"))
            index.rename(final)
            index_rel = str(final.relative_to(self.root))
        with self.lock():
            manifest = self.read_manifest(fresh=True).model_copy(deep=True)
            previous = manifest.derived.get(name)
            manifest.derived[name] = StoredDerivedColumn(
                name=name, file=str(file.relative_to(self.root)), lineage=lineage, index=index_rel
            )
            self.write_manifest(manifest)
        if previous is not None and previous.file != manifest.derived[name].file:
            (self.root / previous.file).unlink(missing_ok=True)
        if index_rel is not None:
            _keep_only(self.root / index_rel)

    def remove_derived(self, name: str) -> None:
        missing = NotFoundError(
            f"no derived column '{name}'",
            hint="see Dataset.manifest().derived_columns for the existing ones",
        )
        if name not in self.read_manifest().derived:
            raise missing  # (also keeps an unsafe name away from the lock's file path)
        # Under the column's lock: a job writing the column would otherwise put it back, or lose
        # its new file to the rmtree below.
        with hold_column(self.root, name, action=f"removal of '{name}'"):
            with self.lock():
                manifest = self.read_manifest(fresh=True).model_copy(deep=True)
                if manifest.derived.pop(name, None) is None:
                    raise missing
                self.write_manifest(manifest)
            shutil.rmtree(self.root / "columns" / name, ignore_errors=True)
            # Anything stored for the column outside its Parquet file goes with it.
            shutil.rmtree(self.root / "embeddings" / name, ignore_errors=True)


def _keep_only(index: Path) -> None:
    """Remove every other index of the column: the previous version, an unversioned one (its
    files sit directly in the column's folder), one a killed writer adopted but never recorded."""
    for entry in data_files(index.parent):
        if entry == index:
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def now() -> datetime:
    return datetime.now(UTC)
