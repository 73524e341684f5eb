"""Clustering figures (issue 4): quality vs labels, time per stage at 10k/100k, LLM titles.

    .venv/bin/python benchmarks/bench_cluster.py quality [emotion|davidson]  # vs BERTopic-like
    .venv/bin/python benchmarks/bench_cluster.py scale10k    # davidson tweets, MiniLM, cold+warm
    .venv/bin/python benchmarks/bench_cluster.py scale100k   # synthetic rows, wordllama
    .venv/bin/python benchmarks/bench_cluster.py llm [MIN_CLUSTER_SIZE]  # local LLM titles, rerun

Data comes from ../shared/data (research-only sets: used here, never shipped). Datasets and
embeddings are made once in the project folder (``GRISTMILL_BENCH_CLUSTER_PROJECT``, default
``benchmarks/.work/cluster/project``) and reused. The scale runs cluster in a fresh process, so
their time includes importing umap/hdbscan and numba's JIT: "cold" uses an empty numba cache
folder, "warm" the one the cold run filled. Embedding is timed separately. The 10k rows are the
first 10,000 davidson tweets with their MiniLM vectors (read back from the davidson embedding, so
MiniLM runs once); the 100k rows are ``benchmarks/synthetic.py`` instructions embedded with the
fast ``wordllama`` model (MiniLM on 100k rows takes too long on two shared cores). The machine is
shared, so the load average is printed with every figure.
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
    (min_cluster_size=10, euclidean, eom), then outliers reassigned to the nearest topic
    centroid. Timed warm: a small run first pays numba's JIT compilation."""
    import hdbscan
    import umap

    def run(points: np.ndarray) -> np.ndarray:
        coords = umap.UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
        ).fit_transform(points)
        labels = hdbscan.HDBSCAN(
            min_cluster_size=10, metric="euclidean", cluster_selection_method="eom"
        ).fit_predict(coords)
        if (labels >= 0).any() and (labels < 0).any():
            topics = np.unique(labels[labels >= 0])
            centroids = np.stack([points[labels == t].mean(axis=0) for t in topics])
            centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
            noise = labels < 0
            labels[noise] = topics[(points[noise] @ centroids.T).argmax(axis=1)]
        return np.asarray(labels)

    run(vectors[:500])  # warm-up
    started = time.perf_counter()
    labels = run(vectors)
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
        # A first small run pays the JIT, so both sides are timed warm.
        ds.cluster(column, use_llm=False, overwrite=True, show_progress=False)
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
                    "labels": len(set(by_row.values())),
                    "ours": ours,
                    "ours_total_s": round(total, 1),
                    "ours_reduce_cluster_s": round(
                        result.seconds["reduce"] + result.seconds["cluster"], 1
                    ),
                    "stages_s": {k: round(v, 2) for k, v in result.seconds.items()},
                    "noise_before_assignment": result.num_noise,
                    "bertopic_like": theirs,
                    "bertopic_like_s": round(seconds, 1),
                    "sample_titles": _sample_titles(ds, result.column),
                    "categories": _category_titles(ds, result.column),
                    "load": os.getloadavg()[0],
                }
            ),
            flush=True,
        )


def _sample_titles(ds: Any, column: str, n: int = 8) -> list[str]:
    rows = ds.select_rows([column]).to_list()
    counts = Counter((r[column]["category_title"], r[column]["cluster_title"]) for r in rows)
    return [f"{cat} / {title} ({k})" for (cat, title), k in counts.most_common(n)]


def _category_titles(ds: Any, column: str) -> list[str]:
    rows = ds.select_rows([column]).to_list()
    counts = Counter(r[column]["category_title"] for r in rows)
    return [f"{title} ({k})" for title, k in counts.most_common()]


def _lookup_embedding(base: dict[str, np.ndarray]) -> Any:
    """The davidson MiniLM vector of each text; a text the embedder split into spans (a long or
    multi-line tweet) is not a key, and MiniLM embeds those few for real."""
    from gristmill.embed import get_embedding

    def embed(texts: list[str]) -> np.ndarray:
        out: list[np.ndarray | None] = []
        missing: list[int] = []
        for i, text in enumerate(texts):
            original, _, _copy = text.rpartition(" #copy")
            vector = base.get(original if original else text)
            if vector is None:
                missing.append(i)
            elif original:
                digest = hashlib.sha256(text.encode()).digest()
                noise = np.random.default_rng(int.from_bytes(digest[:8], "big"))
                vector = vector + noise.normal(0, 0.02, vector.shape).astype(np.float32)
            out.append(vector)
        if missing:
            real = get_embedding("minilm").embed([texts[i] for i in missing])
            for i, vector in zip(missing, real, strict=True):
                out[i] = vector
        return np.stack(out)  # type: ignore[arg-type]

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


def _time_scale(name: str, column: str, embedding: str) -> None:
    """In a fresh process: cluster ``name`` (imports and JIT load included)."""
    started = time.perf_counter()
    import gristmill as gm

    _project()
    if embedding == "lookup":
        from gristmill.embed import register_embedding

        # The embedding is already computed; lineage only needs the name to resolve.
        register_embedding(
            "lookup", lambda texts: np.zeros((len(texts), 384)), dim=384, model_id="minilm+jitter"
        )
    ds = gm.get_dataset(NAMESPACE, name)
    result = ds.cluster(
        column, embedding=embedding, use_llm=False, overwrite=True, show_progress=False
    )
    total = time.perf_counter() - started
    print(
        json.dumps(
            {
                "dataset": name,
                "rows": result.num_rows,
                "embedding": embedding,
                "numba_cache": os.environ.get("BENCH_CACHE_STATE"),
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


def _run_timed(name: str, column: str, embedding: str, cache: Path, state: str) -> None:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "BENCH_CACHE_STATE": state}
    subprocess.run(
        [sys.executable, __file__, "_time", name, column, embedding], check=True, env=env
    )


def scale10k() -> None:
    """10,000 davidson tweets (MiniLM): embedding speed, then clustering cold and warm."""
    import shutil
    import tempfile

    from gristmill.embed import get_embedding

    size = 10_000
    _prepare_scale(size)
    tweets = [
        json.loads(line)["tweet"]
        for line in (DATA / "davidson_hate_offensive/labeled_data.jsonl").open(encoding="utf-8")
    ][:1_000]
    model = get_embedding("minilm")
    model.embed(tweets[:32])  # load the model before timing
    started = time.perf_counter()
    model.embed(tweets)
    rate = len(tweets) / (time.perf_counter() - started)
    print(
        json.dumps(
            {
                "embedding": "minilm",
                "rows_timed": len(tweets),
                "rows_per_s": round(rate, 1),
                "estimated_10k_s": round(size / rate, 1),
                "load": os.getloadavg()[0],
            }
        ),
        flush=True,
    )
    cache = Path(tempfile.mkdtemp(prefix="gristmill-numba-"))
    try:
        _run_timed(f"scale_{size}", "text", "lookup", cache, "cold (empty)")
        _run_timed(f"scale_{size}", "text", "lookup", cache, "warm")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def scale100k() -> None:
    """100,000 synthetic instructions embedded with wordllama, then clustered (sample + assign)."""
    import gristmill as gm
    from gristmill.cluster import numba_cache_dir
    from gristmill.errors import NotFoundError

    _project()
    source = ROOT / "benchmarks/.work/synthetic-v1-seed20240611-100000.jsonl"
    if not source.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks/synthetic.py"), "100000"], check=True
        )
    try:
        ds = gm.get_dataset(NAMESPACE, "synthetic_100k")
    except NotFoundError:
        ds = gm.create_dataset(
            gm.DatasetConfig(
                namespace=NAMESPACE,
                name="synthetic_100k",
                source=gm.JSONSource(filepaths=[str(source)]),
            ),
            show_progress=False,
        )
    started = time.perf_counter()
    ds.compute_embedding("wordllama", "instruction", show_progress=False)
    print(
        json.dumps(
            {
                "embedding": "wordllama",
                "rows": ds.count(),
                "embed_s": round(time.perf_counter() - started, 1),
                "load": os.getloadavg()[0],
            }
        ),
        flush=True,
    )
    _run_timed("synthetic_100k", "instruction", "wordllama", numba_cache_dir(), "warm")


def llm(min_cluster_size: int) -> None:
    from gristmill.llm import local_llm_available

    if not local_llm_available():
        print(json.dumps({"llm": "local LLM not installed"}))
        return
    _project()
    ds = _dataset("emotion", DATA / "emotion/test.jsonl")
    ds.compute_embedding("minilm", "text", show_progress=False)
    for run in ("first", "rerun"):
        started = time.perf_counter()
        result = ds.cluster(
            "text",
            llm="local",
            min_cluster_size=min_cluster_size,
            overwrite=True,
            show_progress=False,
        )
        usage = result.llm_usage
        assert usage is not None
        print(
            json.dumps(
                {
                    "run": run,
                    "clusters": result.num_clusters,
                    "num_categories": result.num_categories,
                    "seconds": round(time.perf_counter() - started, 1),
                    "titles_s": round(result.seconds["titles"] + result.seconds["categories"], 1),
                    "calls": usage.calls,
                    "cached_calls": usage.cached_calls,
                    "cache_hit_rate": round(usage.cached_calls / max(usage.calls, 1), 3),
                    "input_tokens": usage.input_tokens,
                    "output_tokens": usage.output_tokens,
                    # output tokens over the summed call latency (calls may overlap: a floor)
                    "output_tokens_per_call_s": round(usage.output_tokens / usage.latency_s, 1)
                    if usage.latency_s and usage.output_tokens
                    else None,
                    # all tokens processed over the wall time of the two titling stages
                    "tokens_per_wall_s": round(
                        (usage.input_tokens + usage.output_tokens)
                        / max(result.seconds["titles"] + result.seconds["categories"], 1e-9),
                        1,
                    ),
                    "titles_from": result.titles_from,
                    "notes": result.notes,
                    "sample_titles": _sample_titles(ds, result.column, 12),
                    "categories": _category_titles(ds, result.column),
                    "load": os.getloadavg()[0],
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "quality"
    if command == "quality":
        quality(sys.argv[2:])
    elif command == "scale10k":
        scale10k()
    elif command == "scale100k":
        scale100k()
    elif command == "_time":
        _time_scale(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "llm":
        llm(int(sys.argv[2]) if len(sys.argv) > 2 else 5)
    else:
        raise SystemExit(f"unknown command {command!r}: quality, scale10k, scale100k or llm")
