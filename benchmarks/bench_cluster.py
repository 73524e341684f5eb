"""Clustering figures (issue 4): quality vs labels, time per stage at 10k/100k, LLM titles.

    .venv/bin/python benchmarks/bench_cluster.py quality        # emotion, davidson vs BERTopic-like
    .venv/bin/python benchmarks/bench_cluster.py scale 10000 100000
    .venv/bin/python benchmarks/bench_cluster.py llm              # titles with the local LLM

Data comes from ../shared/data (research-only sets: used here, never shipped). Datasets and
MiniLM embeddings are made once in ``benchmarks/.work/cluster`` and reused. ``scale`` runs each
size in a fresh process, so its time includes importing umap/hdbscan and loading numba's cache
(the JIT warm-up); embedding is excluded (computed beforehand). Rows beyond the 24,783 davidson
tweets are copies whose vector is the original's MiniLM vector plus small seeded noise, so the
cluster structure is real. Results print as JSON lines; the machine is shared, so the load
average is printed with them.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
WORK = ROOT / "benchmarks" / ".work" / "cluster"
# Another project folder (with datasets already embedded) can be reused.
PROJECT = Path(os.environ.get("GRISTMILL_BENCH_CLUSTER_PROJECT", WORK / "project"))
NAMESPACE = "local"


def _project() -> None:
    from gristmill.project import set_project_dir

    WORK.mkdir(parents=True, exist_ok=True)
    set_project_dir(PROJECT)


def _dataset(name: str, path: Path, limit: int | None = None) -> Any:
    import gristmill as gm
    from gristmill.errors import NotFoundError

    try:
        return gm.get_dataset(NAMESPACE, name)
    except NotFoundError:
        pass
    source_path = path
    if limit is not None:
        source_path = WORK / f"{name}.jsonl"
        source_path.parent.mkdir(parents=True, exist_ok=True)
        with path.open(encoding="utf-8") as src, source_path.open("w", encoding="utf-8") as out:
            for _, line in zip(range(limit), src, strict=False):
                out.write(line)
    source = gm.JSONSource(filepaths=[str(source_path)])
    return gm.create_dataset(
        gm.DatasetConfig(namespace=NAMESPACE, name=name, source=source), show_progress=False
    )


def _scores(labels: list[Any], clusters: list[int]) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score

    pairs = Counter(zip(clusters, labels, strict=True))
    best: dict[int, int] = {}
    for (cluster, _), count in pairs.items():
        best[cluster] = max(best.get(cluster, 0), count)
    return {
        "purity": round(sum(best.values()) / len(labels), 3),
        "ari": round(float(adjusted_rand_score(labels, clusters)), 3),
        "clusters": len(best),
    }


def _bertopic_like(vectors: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    """BERTopic's defaults on the same vectors: UMAP(15 neighbours, 5 dims, cosine), HDBSCAN
    (min_cluster_size=10, eom), then outliers reassigned to the nearest topic centroid."""
    import hdbscan
    import umap

    started = time.perf_counter()
    coords = umap.UMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
    ).fit_transform(vectors)
    labels = hdbscan.HDBSCAN(min_cluster_size=10, cluster_selection_method="eom").fit_predict(
        coords
    )
    if (labels >= 0).any() and (labels < 0).any():
        topics = np.unique(labels[labels >= 0])
        centroids = np.stack([vectors[labels == t].mean(axis=0) for t in topics])
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        noise = labels < 0
        labels[noise] = topics[(vectors[noise] @ centroids.T).argmax(axis=1)]
    return labels, time.perf_counter() - started


def quality(names: list[str]) -> None:
    from gristmill.cluster._input import load_row_vectors

    _project()
    sets = [
        ("emotion", DATA / "emotion/test.jsonl", None, "text", "label"),
        ("davidson", DATA / "davidson_hate_offensive/labeled_data.jsonl", None, "tweet", "class"),
    ]
    for name, path, limit, column, label in sets:
        if names and name not in names:
            continue
        ds = _dataset(name, path, limit)
        ds.compute_embedding("minilm", column, show_progress=False)
        started = time.perf_counter()
        result = ds.cluster(column, use_llm=False, overwrite=True, show_progress=False)
        total = time.perf_counter() - started
        rows = ds.select_rows(
            ["__rowid__", label, result.column], sort_by="__rowid__", sort_order="ASC"
        ).to_list()
        ours = _scores([r[label] for r in rows], [r[result.column]["cluster_id"] for r in rows])
        data = load_row_vectors(ds, column, "minilm", show_progress=False)
        by_row = {r["__rowid__"]: r[label] for r in rows}
        baseline, seconds = _bertopic_like(data.vectors, 42)
        theirs = _scores([by_row[int(i)] for i in data.rowids], baseline.tolist())
        print(
            json.dumps(
                {
                    "set": name,
                    "rows": len(rows),
                    "ours": ours,
                    "ours_s": round(total, 1),
                    "stages_s": {k: round(v, 2) for k, v in result.seconds.items()},
                    "bertopic_like": theirs,
                    "bertopic_like_s": round(seconds, 1),
                    "sample_titles": _sample_titles(ds, result.column),
                    "load": os.getloadavg()[0],
                }
            ),
            flush=True,
        )


def _sample_titles(ds: Any, column: str, n: int = 8) -> list[str]:
    rows = ds.select_rows([column]).to_list()
    counts = Counter((r[column]["category_title"], r[column]["cluster_title"]) for r in rows)
    return [f"{cat} / {title} ({k})" for (cat, title), k in counts.most_common(n)]


def _lookup_embedding(base: dict[str, np.ndarray]) -> Any:
    def embed(texts: list[str]) -> np.ndarray:
        out = []
        for text in texts:
            original, _, _copy = text.rpartition(" #copy")
            vector = base[original if original else text]
            if original:
                digest = hashlib.sha256(text.encode()).digest()
                noise = np.random.default_rng(int.from_bytes(digest[:8], "big"))
                vector = vector + noise.normal(0, 0.02, vector.shape).astype(np.float32)
            out.append(vector)
        return np.stack(out)

    return embed


def _prepare_scale(size: int) -> None:
    """Make bench/scale_<size> with its embedding (not timed)."""
    import gristmill as gm
    from gristmill.cluster._input import load_row_vectors
    from gristmill.embed import register_embedding

    _project()
    dav = _dataset("davidson", DATA / "davidson_hate_offensive/labeled_data.jsonl")
    dav.compute_embedding("minilm", "tweet", show_progress=False)
    data = load_row_vectors(dav, "tweet", "minilm", show_progress=False)
    tweets = [r["tweet"] for r in dav.select_rows(["tweet"], sort_by="__rowid__", sort_order="ASC")]
    base = {tweets[int(i)]: v for i, v in zip(data.rowids, data.vectors, strict=True)}
    register_embedding("lookup", _lookup_embedding(base), dim=384, model_id="minilm+jitter")
    name = f"scale_{size}"
    try:
        ds = gm.get_dataset(NAMESPACE, name)
    except Exception:
        path = WORK / f"{name}.jsonl"
        keys = list(base)
        with path.open("w", encoding="utf-8") as out:
            for i in range(size):
                text = keys[i % len(keys)]
                if i >= len(keys):
                    text = f"{text} #copy{i // len(keys)}"
                out.write(json.dumps({"text": text}) + "\n")
        ds = gm.create_dataset(
            gm.DatasetConfig(
                namespace=NAMESPACE, name=name, source=gm.JSONSource(filepaths=[str(path)])
            ),
            show_progress=False,
        )
    ds.compute_embedding("lookup", "text", show_progress=False)


def _time_scale(size: int) -> None:
    """In a fresh process: cluster bench/scale_<size> (imports and JIT load included)."""
    started = time.perf_counter()
    import gristmill as gm

    _project()
    from gristmill.embed import register_embedding

    # The embedding is already computed; lineage only needs the name to resolve.
    register_embedding(
        "lookup", lambda texts: np.zeros((len(texts), 384)), dim=384, model_id="minilm+jitter"
    )
    ds = gm.get_dataset(NAMESPACE, f"scale_{size}")
    result = ds.cluster(
        "text", embedding="lookup", use_llm=False, overwrite=True, show_progress=False
    )
    total = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": size,
                "total_s_including_imports": round(total, 1),
                "stages_s": {k: round(v, 2) for k, v in result.seconds.items()},
                "clusters": result.num_clusters,
                "categories": result.num_categories,
                "noise_in_fit": result.num_noise,
                "load": os.getloadavg()[0],
            }
        ),
        flush=True,
    )


def scale(sizes: list[int]) -> None:
    for size in sizes:
        _prepare_scale(size)
        subprocess.run([sys.executable, __file__, "_time", str(size)], check=True)


def llm() -> None:
    from gristmill.llm import local_llm_available

    if not local_llm_available():
        print(json.dumps({"llm": "local LLM not installed"}))
        return
    _project()
    ds = _dataset("emotion", DATA / "emotion/test.jsonl")
    ds.compute_embedding("minilm", "text", show_progress=False)
    for run in ("first", "rerun"):
        started = time.perf_counter()
        result = ds.cluster("text", llm="local", overwrite=True, show_progress=False)
        usage = result.llm_usage
        assert usage is not None
        print(
            json.dumps(
                {
                    "run": run,
                    "seconds": round(time.perf_counter() - started, 1),
                    "titles_s": round(result.seconds["titles"] + result.seconds["categories"], 1),
                    "calls": usage.calls,
                    "cached_calls": usage.cached_calls,
                    "cache_hit_rate": round(usage.cached_calls / max(usage.calls, 1), 3),
                    "output_tokens": usage.output_tokens,
                    "tokens_per_s": round(usage.output_tokens / usage.latency_s, 1)
                    if usage.latency_s and usage.output_tokens
                    else None,
                    "notes": result.notes,
                    "sample_titles": _sample_titles(ds, result.column),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "quality"
    if command == "quality":
        quality(sys.argv[2:])
    elif command == "scale":
        scale([int(s) for s in sys.argv[2:]] or [10_000, 100_000])
    elif command == "_time":
        _time_scale(int(sys.argv[2]))
    elif command == "llm":
        llm()
    else:
        raise SystemExit(f"unknown command {command!r}: quality, scale or llm")
