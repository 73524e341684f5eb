"""``Dataset.cluster``: embed, reduce, cluster, title, categorise; one resumable job.

Stages (each one's output is kept under ``work/cluster-<column>/`` until the column is stored, so
a crash or an unreachable LLM loses nothing done before it):

1. text and vectors — the rendered text (a map column) and the embedding are resumable jobs of
   their own; each row's vector is the mean of its span vectors;
2. reduce — UMAP to 5 dims, fitted on at most ``max_fit_rows`` sampled rows;
3. cluster — HDBSCAN on those, noise points joined to their nearest cluster, other rows given the
   cluster of their nearest fitted neighbours (every row with text gets a cluster);
4. titles — a user function, an LLM, or phrase titles (`_phrases`), from each cluster's members;
5. categories — the cluster centroids grouped and titled the same way.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# The two costly stages are called through their modules, so a test can stand in for one and
# crash or count it (tests/cluster/test_bad_input.py: a crash between stages resumes).
from gristmill import (
    embed,
    jobs,  # names load on first use: importing this needs no SQLAlchemy
)
from gristmill.cluster import _density
from gristmill.cluster._extend import extend_clusters
from gristmill.cluster._input import (
    ClusterInput,
    RenderFn,
    choose_embedding,
    default_output_column,
    load_row_vectors,
    read_texts,
    text_column_for,
)
from gristmill.cluster._settings import ClusterSettings
from gristmill.data.derived import write_dense_column
from gristmill.data.locks import hold_column
from gristmill.data.stages import StageStore
from gristmill.data.store import ROWID, now
from gristmill.embed import get_embedding
from gristmill.errors import AlreadyExistsError, InvalidInputError
from gristmill.project import validate_name
from gristmill.schema import Lineage

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gristmill.data.dataset import BaseDataset
    from gristmill.data.filters import PathInput
    from gristmill.llm import LLM, UsageSummary

logger = logging.getLogger("gristmill.cluster")

PRODUCER = "gristmill.cluster/umap-hdbscan"
STAGES = ("vectors", "reduce", "cluster", "titles", "categories", "store")
# The fields of a cluster column, in Lilac's names and order (readers select them by name).
CLUSTER_FIELDS = (
    "cluster_id",
    "cluster_membership_prob",
    "cluster_title",
    "category_id",
    "category_membership_prob",
    "category_title",
)
TopicFn = Callable[[list[str]], str]


@dataclass
class ClusterResult:
    """What a clustering run did: the column, counts, where titles came from, time per stage."""

    column: str
    num_rows: int
    num_clusters: int
    num_categories: int
    num_noise: int
    titles_from: str
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    resumed: list[str] = field(default_factory=list)
    llm_usage: UsageSummary | None = None


def cluster_dataset(
    ds: BaseDataset,
    path_or_fn: PathInput | RenderFn,
    *,
    render: RenderFn | None = None,
    output_column: str | None = None,
    embedding: str | None = None,
    use_llm: bool | None = None,
    llm: str | dict[str, Any] | LLM | None = None,
    topic_fn: TopicFn | None = None,
    category_fn: TopicFn | None = None,
    overwrite: bool = False,
    settings: ClusterSettings | None = None,
    show_progress: bool = True,
) -> ClusterResult:
    settings = settings or ClusterSettings()
    path: PathInput | None
    if callable(path_or_fn) and not isinstance(path_or_fn, str):
        if render is not None:
            raise InvalidInputError(
                "pass either a function or a path with render=, not both",
                hint="e.g. ds.cluster('conversation', render=to_text)",
            )
        path, render = None, path_or_fn
    else:
        path = path_or_fn
    column = validate_name(output_column or default_output_column(path, render), "output column")
    # The stage folder is the column's: one clustering into it at a time, in any process.
    with hold_column(ds.store.root, column, action=f"cluster into '{column}'") as lock:
        if column in ds.store.read_manifest().derived and not overwrite:
            raise AlreadyExistsError(
                f"column '{column}' already exists",
                hint="pass overwrite=True to recluster, or choose another output_column",
            )
        titler = _titler(use_llm, llm, topic_fn, category_fn)
        seconds: dict[str, float] = {}
        resumed: list[str] = []
        # A rendered text has no path: the job names its output column instead.
        of = column if path is None else path if isinstance(path, str) else ".".join(path)
        with jobs.start_job(
            "cluster",
            description=f"Clusters of {of}",
            dataset=ds.full_name,
            total=len(STAGES),
            params={"column": column, **settings.model_dump()},
            show_progress=show_progress,
        ) as job:
            lock.record(f"cluster into '{column}'", job.id)
            started = time.perf_counter()
            text_column = text_column_for(
                ds, path, render, column, overwrite=overwrite, show_progress=show_progress
            )
            chosen = choose_embedding(ds, text_column, embedding)
            data = load_row_vectors(ds, text_column, chosen, show_progress=show_progress)
            _check_rows(data, text_column, settings)
            seconds["vectors"] = time.perf_counter() - started
            job.advance()
            stages = _stage_store(ds, column, data, settings)
            labels, probabilities, num_noise = _cluster_stages(
                data, settings, stages, seconds, resumed, job
            )
            # Imported here: _titling imports gristmill.llm, which CLI startup must not load.
            from gristmill.cluster._titling import title_everything

            started = time.perf_counter()
            texts = read_texts(ds, text_column, data.rowids)
            titled = title_everything(
                data.vectors,
                labels,
                texts,
                titler,
                stages,
                settings.seed,
                job,
                resumed,
                embed=get_embedding(data.embedding).embed,
            )
            seconds["titles"] = titled.title_seconds
            seconds["categories"] = time.perf_counter() - started - titled.title_seconds
            started = time.perf_counter()
            _store_column(ds, column, data, labels, probabilities, titled, settings, titler)
            stages.remove()
            seconds["store"] = time.perf_counter() - started
            job.advance()
            job.complete(f"{titled.num_clusters} clusters in {titled.num_categories} categories")
    return ClusterResult(
        column=column,
        num_rows=len(data.rowids),
        num_clusters=titled.num_clusters,
        num_categories=titled.num_categories,
        num_noise=num_noise,
        titles_from=titled.source,
        notes=titled.notes,
        seconds=seconds,
        resumed=resumed,
        llm_usage=titler.usage(),
    )


def _titler(
    use_llm: bool | None,
    llm: str | dict[str, Any] | LLM | None,
    topic_fn: TopicFn | None,
    category_fn: TopicFn | None,
) -> Any:
    # Imported here: _titling imports gristmill.llm, which CLI startup must not load.
    from gristmill.cluster._titling import Titler

    return Titler.choose(use_llm=use_llm, llm=llm, topic_fn=topic_fn, category_fn=category_fn)


def _check_rows(data: ClusterInput, text_column: str, settings: ClusterSettings) -> None:
    if len(data.rowids) == 0:
        raise InvalidInputError(
            f"'{text_column}' has no text to cluster (every value is empty or missing)",
            hint="pick a column with text, or render one with ds.cluster(path, render=fn)",
        )
    if len(data.rowids) < settings.min_cluster_size:
        raise InvalidInputError(
            f"'{text_column}' has {len(data.rowids)} rows with text, fewer than"
            f" min_cluster_size={settings.min_cluster_size}",
            hint=f"lower min_cluster_size (at most {max(len(data.rowids), 2)}), or add rows",
        )


def _stage_store(
    ds: BaseDataset, column: str, data: ClusterInput, settings: ClusterSettings
) -> StageStore:
    import hashlib

    signature = {
        "text_column": data.text_column,
        "embedding": data.embedding,
        "rows": hashlib.sha256(data.rowids.tobytes()).hexdigest(),
        "vectors": hashlib.sha256(
            data.vectors[:: max(1, len(data.vectors) // 512)].tobytes()
        ).hexdigest(),
        "settings": settings.model_dump(),
    }
    return StageStore(ds.store.work_dir(f"cluster-{column}"), signature)


def _cluster_stages(
    data: ClusterInput,
    settings: ClusterSettings,
    stages: StageStore,
    seconds: dict[str, float],
    resumed: list[str],
    job: Any,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32], int]:
    import numpy as np

    started = time.perf_counter()
    reduced = stages.load_arrays("reduce")
    if reduced is None:
        fit = embed.fit_sample(len(data.rowids), settings.max_fit_rows, settings.seed)
        unique = len(np.unique(data.vectors[fit].round(5), axis=0))
        coords = (
            embed.reduce_dimensions(
                data.vectors[fit],
                n_components=settings.umap_components,
                n_neighbors=settings.umap_neighbors,
                min_dist=settings.umap_min_dist,
                n_epochs=settings.umap_epochs,
                seed=settings.seed,
                init=settings.umap_init,
            )
            if unique > 1
            else np.zeros((len(fit), 1), np.float32)
        )
        stages.save_arrays("reduce", fit=fit, coords=coords, unique=np.array([unique]))
    else:
        fit, coords, unique = reduced["fit"], reduced["coords"], int(reduced["unique"][0])
        resumed.append("reduce")
    seconds["reduce"] = time.perf_counter() - started
    job.advance()
    started = time.perf_counter()
    clustered = stages.load_arrays("cluster")
    if clustered is None:
        if unique > 1:
            found = _density.find_clusters(
                coords,
                _density.DensitySettings(
                    min_cluster_size=settings.min_cluster_size,
                    min_samples=settings.min_samples,
                    selection_method=settings.selection_method,
                    selection_epsilon=settings.selection_epsilon,
                ),
            )
            fit_labels, fit_probs, num_noise = found.labels, found.probabilities, found.num_noise
        else:  # every text the same: one cluster, nothing to separate
            fit_labels = np.zeros(len(fit), np.int32)
            fit_probs, num_noise = np.ones(len(fit), np.float32), 0
        labels, probabilities = _all_rows(data, fit, fit_labels, fit_probs, settings.seed)
        labels = _by_size(labels)
        stages.save_arrays(
            "cluster", labels=labels, probabilities=probabilities, noise=np.array([num_noise])
        )
    else:
        labels, probabilities = clustered["labels"], clustered["probabilities"]
        num_noise = int(clustered["noise"][0])
        resumed.append("cluster")
    seconds["cluster"] = time.perf_counter() - started
    job.advance()
    return labels, probabilities, num_noise


def _all_rows(
    data: ClusterInput,
    fit: npt.NDArray[np.int64],
    fit_labels: npt.NDArray[np.int32],
    fit_probs: npt.NDArray[np.float32],
    seed: int,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    import numpy as np

    labels = np.zeros(len(data.rowids), np.int32)
    probabilities = np.zeros(len(data.rowids), np.float32)
    labels[fit], probabilities[fit] = fit_labels, fit_probs
    rest = np.setdiff1d(np.arange(len(data.rowids)), fit, assume_unique=True)
    if len(rest):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            labels[rest], probabilities[rest] = extend_clusters(
                data.vectors[fit], fit_labels, fit_probs, data.vectors[rest], seed=seed
            )
    return labels, probabilities


def _by_size(labels: npt.NDArray[np.int32]) -> npt.NDArray[np.int32]:
    """Renumber clusters so 0 is the largest (ties by old id), whatever HDBSCAN's order."""
    import numpy as np

    counts = np.bincount(labels)
    order = sorted(range(len(counts)), key=lambda c: (-counts[c], c))
    order = [c for c in order if counts[c] > 0]
    mapping = np.zeros(len(counts), np.int32)
    mapping[order] = np.arange(len(order), dtype=np.int32)
    return mapping[labels]


def _store_column(
    ds: BaseDataset,
    column: str,
    data: ClusterInput,
    labels: npt.NDArray[np.int32],
    probabilities: npt.NDArray[np.float32],
    titled: Any,
    settings: ClusterSettings,
    titler: Any,
) -> None:
    import pyarrow as pa

    category_of = titled.category_labels[labels]
    values = pa.StructArray.from_arrays(
        [
            pa.array(labels, pa.int32()),
            pa.array(probabilities, pa.float32()),
            pa.array(titled.cluster_titles, pa.string()).take(pa.array(labels)),
            pa.array(category_of, pa.int32()),
            pa.array(titled.category_probabilities[labels], pa.float32()),
            pa.array(titled.category_titles, pa.string()).take(pa.array(category_of)),
        ],
        names=list(CLUSTER_FIELDS),
    )
    lineage = Lineage(
        kind="cluster",
        producer=PRODUCER,
        input_path=data.text_column,
        params={
            **settings.model_dump(),
            "embedding": data.embedding,
            "titles": titled.source,
            "llm": titler.describe(),
            "notes": titled.notes,
        },
        created_at=now(),
        num_rows=len(data.rowids),
    )
    table = pa.table({ROWID: pa.array(data.rowids, pa.int64()), column: values})
    write_dense_column(ds, table, lineage)
