"""How a :class:`VectorIndex` lies in its folder.

::

    meta.json                  the commit point: dimension, parameters, which generation is live
    vectors-<gen>.npy          float32 [n, dim]  }  the compacted vectors of generation <gen>,
    keys-<gen>.npy             int64 [n, 3]      }  keys are (rowid, span_start, span_end)
    hnsw-<gen>.faiss           the HNSW graph over them, when the index is large
    chunk-<seq>.npz            keys + vectors appended by ``add()`` since the last compaction

Every file is written atomically. ``add()`` on a folder-bound index writes one chunk file, so a
job that dies keeps every chunk it finished. ``save()`` writes a new generation, then
``meta.json`` (which also records the last chunk folded into it), then deletes what is stale:
a crash at any point leaves a folder that loads to the same vectors.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pydantic import BaseModel, Field, ValidationError

from gristmill.data.files import atomic_write_stream, data_files
from gristmill.errors import InvalidInputError, NotFoundError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    KeyMatrix = npt.NDArray[np.int64]

FORMAT = "gristmill.vector_index"
META_FILE = "meta.json"
_CHUNK_RE = re.compile(r"^chunk-(\d+)\.npz$")
_GENERATION_RE = re.compile(r"^(?:vectors|keys|hnsw)-(\d+)\.(?:npy|faiss)$")


class IndexMeta(BaseModel):
    """The contents of ``meta.json``."""

    format: str = FORMAT
    version: int = 1
    dim: int = Field(gt=0)
    metric: str = "inner_product"
    generation: int = 0
    base_count: int = 0
    merged_through: int = 0
    has_hnsw: bool = False
    hnsw_threshold: int = Field(gt=0)
    hnsw_m: int = Field(gt=1)
    hnsw_ef_construction: int = Field(gt=0)
    hnsw_ef_search: int = Field(gt=0)
    model_id: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


def read_meta(folder: Path) -> IndexMeta:
    path = folder / META_FILE
    if not path.is_file():
        raise NotFoundError(
            f"no vector index in {folder}",
            hint="compute the embedding first (it builds the index), or check the folder",
        )
    try:
        meta = IndexMeta.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise InvalidInputError(
            f"{path} is not a valid vector index description: {exc.errors()[0]['msg']}",
            hint="delete the folder and compute the embedding again",
        ) from exc
    if meta.format != FORMAT:
        raise InvalidInputError(
            f"{path} is not a Gristmill vector index", hint="point at an index folder"
        )
    return meta


def write_meta(folder: Path, meta: IndexMeta) -> None:
    encoded = meta.model_dump_json(indent=2).encode("utf-8")
    atomic_write_stream(folder / META_FILE, lambda handle: handle.write(encoded))


def base_path(folder: Path, kind: str, generation: int) -> Path:
    suffix = "faiss" if kind == "hnsw" else "npy"
    return folder / f"{kind}-{generation:06d}.{suffix}"


def read_base(folder: Path, meta: IndexMeta) -> tuple[KeyMatrix, FloatMatrix]:
    import numpy as np

    if meta.generation == 0:
        return np.zeros((0, 3), dtype=np.int64), np.zeros((0, meta.dim), dtype=np.float32)
    # Mapped, not read: a search touches every vector once anyway, and reading 100 MB of
    # vectors into memory first cost a process's first search ~0.1-0.4 s (a mapped file is
    # served from the page cache, and shared by every process that searches it). A
    # generation's files are never rewritten in place, only replaced by the next one.
    keys = np.load(base_path(folder, "keys", meta.generation), mmap_mode="r")
    vectors = np.load(base_path(folder, "vectors", meta.generation), mmap_mode="r")
    if len(keys) != meta.base_count or vectors.shape != (meta.base_count, meta.dim):
        raise InvalidInputError(
            f"the vector index in {folder} is inconsistent (generation {meta.generation})",
            hint="delete the folder and compute the embedding again",
        )
    return keys, vectors


def write_base(folder: Path, generation: int, keys: KeyMatrix, vectors: FloatMatrix) -> None:
    import numpy as np

    atomic_write_stream(base_path(folder, "keys", generation), lambda handle: np.save(handle, keys))
    atomic_write_stream(
        base_path(folder, "vectors", generation), lambda handle: np.save(handle, vectors)
    )


def write_base_blocks(
    folder: Path,
    generation: int,
    count: int,
    dim: int,
    blocks: Iterable[tuple[KeyMatrix, FloatMatrix]],
) -> None:
    """Write a generation's base files from ``blocks`` of ``(keys, vectors)``, one at a time.

    The same ``.npy`` files as :func:`write_base`, without ever holding them whole: at 10M
    spans the vectors alone are 10 GB. Written through file handles, not a writable memory map,
    whose dirty pages would count against the writer's memory until the kernel flushed them.
    Raises ``InvalidInputError`` when the blocks do not hold exactly ``count`` vectors.
    """
    import numpy as np

    def header(handle: BinaryIO, dtype: Any, shape: tuple[int, int]) -> None:
        described = {
            "descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
            "fortran_order": False,
            "shape": shape,
        }
        np.lib.format.write_array_header_2_0(handle, described)

    def write_both(keys_handle: BinaryIO) -> None:
        def write_vectors(vectors_handle: BinaryIO) -> None:
            header(keys_handle, np.int64, (count, 3))
            header(vectors_handle, np.float32, (count, dim))
            written = 0
            for keys, vectors in blocks:
                written += len(keys)
                if written > count:
                    break
                keys_handle.write(np.ascontiguousarray(keys, dtype=np.int64).tobytes())
                vectors_handle.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
            if written != count:
                raise InvalidInputError(
                    f"expected {count} vectors for the index, got {written} or more",
                    hint="the embedding's stored chunks changed while the index was built;"
                    " compute it again",
                )

        atomic_write_stream(base_path(folder, "vectors", generation), write_vectors)

    atomic_write_stream(base_path(folder, "keys", generation), write_both)


def list_chunks(folder: Path, after: int = 0) -> list[tuple[int, Path]]:
    """``(sequence, path)`` of the chunk files newer than ``after``, oldest first."""
    found = []
    for path in data_files(folder):
        match = _CHUNK_RE.match(path.name)
        if match and int(match.group(1)) > after:
            found.append((int(match.group(1)), path))
    return sorted(found)


def next_chunk_sequence(folder: Path, meta: IndexMeta) -> int:
    chunks = list_chunks(folder)
    return max([meta.merged_through, *(sequence for sequence, _ in chunks)]) + 1


def write_chunk(folder: Path, sequence: int, keys: KeyMatrix, vectors: FloatMatrix) -> None:
    import numpy as np

    atomic_write_stream(
        folder / f"chunk-{sequence:08d}.npz",
        lambda handle: np.savez(handle, keys=keys, vectors=vectors),
    )


def read_chunk(path: Path, dim: int) -> tuple[KeyMatrix, FloatMatrix]:
    import numpy as np

    with np.load(path) as stored:
        keys, vectors = stored["keys"], stored["vectors"]
    if keys.ndim != 2 or keys.shape[1] != 3 or vectors.shape != (len(keys), dim):
        raise InvalidInputError(
            f"{path} does not hold a chunk of {dim}-d vectors",
            hint="delete that file; the rows it held will be embedded again",
        )
    return keys.astype(np.int64, copy=False), vectors.astype(np.float32, copy=False)


def remove_stale(folder: Path, meta: IndexMeta) -> None:
    """Delete generations other than the live one and chunks folded into it."""
    for path in data_files(folder):
        generation = _GENERATION_RE.match(path.name)
        chunk = _CHUNK_RE.match(path.name)
        stale = (generation is not None and int(generation.group(1)) != meta.generation) or (
            chunk is not None and int(chunk.group(1)) <= meta.merged_through
        )
        if stale:
            # PermissionError: Windows refuses to delete a file still mapped (read_base) by a
            # loaded index; the next save removes it.
            with contextlib.suppress(FileNotFoundError, PermissionError):
                path.unlink()
