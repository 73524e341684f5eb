"""What gets clustered: a text column (or text rendered from each row) and one vector per row.

A function (``ds.cluster(fn)`` or ``ds.cluster('conversation', render=fn)``) is first run as a
resumable map into ``<name>__cluster_text``, so the rendered text can be embedded, searched and
reused like any column. Each row's vector is the normalised mean of its span vectors from the
embedding index (``gristmill.embed.row_vectors``); an embedding already computed for the column
is reused, otherwise the default one is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gristmill.cluster._phrases import SHARED_TEXT_SAMPLE, SharedText, find_shared_text
from gristmill.data.dataset import BaseDataset
from gristmill.data.derived import default_column_name, function_name, require_text
from gristmill.data.filters import PathInput
from gristmill.data.mapping import run_map
from gristmill.embed import (
    DEFAULT_EMBEDDING,
    compute_embedding,
    computed_embeddings,
    row_vectors,
)
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

RenderFn = Callable[[Any], str | None]


@dataclass
class ClusterInput:
    """The rows to cluster: rowids (sorted), their unit vectors, and where their text lives."""

    text_column: str
    embedding: str
    rowids: npt.NDArray[np.int64]
    vectors: npt.NDArray[np.float32]


def default_output_column(path: PathInput | None, render: RenderFn | None) -> str:
    if path is not None:
        return default_column_name(path, "cluster")
    name = getattr(render, "__name__", "")
    if not name.isidentifier():
        raise InvalidInputError(
            "clustering an anonymous function needs an output column name",
            hint="pass output_column='my_clusters', or give the function a name with def",
        )
    return f"{name}__cluster"


def text_column_for(
    ds: BaseDataset,
    path: PathInput | None,
    render: RenderFn | None,
    output_column: str,
    *,
    overwrite: bool,
    show_progress: bool,
) -> str:
    """The text column to embed: ``path`` itself, or the rendered text stored as a map column.

    Lines most rows share (a prompt template wrapped around every instruction) would decide the
    clusters as much as what the rows say: when ``path`` has such lines, the rows are clustered
    on their text without them, stored as a map column like rendered text.
    """
    if render is None:
        if path is None:
            raise InvalidInputError(
                "cluster needs a text path or a function", hint="e.g. ds.cluster('question')"
            )
        name = require_text(
            ds,
            path,
            needed_by="cluster",
            hint="pick a string column, or render each row to text:"
            " ds.cluster('column', render=lambda value: str(value))",
        )
        shared = shared_lines(ds, name)
        if not shared:
            return name
        path, render = name, WithoutSharedLines(shared)
    if not callable(render):
        raise InvalidInputError(
            f"render must be a function row -> str, got {type(render).__name__}",
            hint="e.g. render=lambda turns: '\\n'.join(t['content'] for t in turns)",
        )
    column = output_column.removesuffix("__cluster") + "__cluster_text"
    existing = ds.store.read_manifest().derived.get(column)
    same = existing is not None and existing.lineage.producer == function_name(render)
    if overwrite or not same:
        # Recorded as part of the clustering: a step of it, not a column a person asked for.
        run_map(
            ds,
            render,
            input_path=path,
            output_column=column,
            overwrite=existing is not None,
            filters=[],
            num_jobs=1,
            execution_type="threads",
            include_deleted=False,
            show_progress=show_progress,
            part_of=output_column,
        )
    return column


@dataclass(frozen=True)
class WithoutSharedLines:
    """A row's text without the lines most rows share (the map that strips a prompt template).

    The lines are a sorted tuple, so the map's fingerprint is the same in every process and an
    interrupted run resumes.
    """

    lines: tuple[str, ...]

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        return SharedText(frozenset(self.lines), frozenset()).strip(text)


def shared_lines(ds: BaseDataset, text_column: str) -> tuple[str, ...]:
    """The lines more than half of the rows of ``text_column`` contain (a template shows in any
    sample of the rows: the first ``SHARED_TEXT_SAMPLE`` are read)."""
    rows = ds.select_rows([text_column], limit=SHARED_TEXT_SAMPLE).to_list()
    texts = [text for row in rows if isinstance(text := row[text_column], str)]
    return tuple(sorted(find_shared_text(texts).lines))


def choose_embedding(ds: BaseDataset, text_column: str, embedding: str | None) -> str:
    """``embedding`` if given; else one already computed for the column; else the default."""
    if embedding is not None:
        return embedding
    computed = computed_embeddings(ds, text_column)
    if DEFAULT_EMBEDDING in computed or not computed:
        return DEFAULT_EMBEDDING
    return sorted(computed)[0]


def load_row_vectors(
    ds: BaseDataset, text_column: str, embedding: str, *, show_progress: bool
) -> ClusterInput:
    """Compute (or reuse) the embedding; one unit vector per row (the mean of its spans)."""
    compute_embedding(ds, embedding, text_column, show_progress=show_progress)
    rowids, vectors = row_vectors(ds, text_column, embedding, needed_by="cluster")
    return ClusterInput(text_column, embedding, rowids, vectors)


def read_texts(ds: BaseDataset, text_column: str, rowids: npt.NDArray[np.int64]) -> list[str]:
    """The texts of ``rowids`` (in that order), for titles."""
    import numpy as np
    import pyarrow as pa

    table = ds.select_rows(["__rowid__", text_column], sort_by=None, include_deleted=True).arrow()
    ids = table.column("__rowid__").to_numpy()
    position = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, np.int64)
    position[ids] = np.arange(len(ids))
    values = table.column(text_column).combine_chunks()
    picked = values.take(pa.array(position[rowids]))
    return [text or "" for text in picked.to_pylist()]
