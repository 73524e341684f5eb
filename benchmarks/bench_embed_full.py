"""One embedding over every row of the synthetic set, end to end, as a user runs it.

The enrichment suite embeds a 5k-row slice with MiniLM (all 100k rows take ~12 minutes on 2
cores); this measures the whole set once: a fresh project, ``create_dataset`` from the
synthetic JSONL (untimed), the model loaded (timed apart), then ``compute_embedding`` over
``instruction`` — span splitting, batching, the resumable job and the vector index included.

    .venv/bin/python benchmarks/bench_embed_full.py [--rows 100000] [--embedding minilm]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gristmill as gm
from synthetic import ensure_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--embedding", default="minilm")
    args = parser.parse_args()

    source = ensure_dataset(args.rows)
    with tempfile.TemporaryDirectory(prefix="gristmill-bench-embed-") as folder:
        gm.set_project_dir(folder)
        config = gm.DatasetConfig(
            namespace="bench", name="rows", source=gm.JSONSource(filepaths=[str(source)])
        )
        ds = gm.create_dataset(config, show_progress=False)
        from gristmill.embed import get_embedding

        started = time.perf_counter()
        get_embedding(args.embedding).embed(["warm up the model"])
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        ds.compute_embedding(args.embedding, "instruction", show_progress=False)
        seconds = time.perf_counter() - started
    result = {
        "embedding": args.embedding,
        "rows": args.rows,
        "seconds": round(seconds, 1),
        "rows_per_s": round(args.rows / seconds, 1),
        "model_load_s": round(load_s, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
