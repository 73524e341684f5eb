"""The demo job: load the shipped sample, explore, enrich, curate and export it.

It runs on the embedded default only (no network, no model hub) and reports each step through
``say``, so the CLI prints it and tests can capture it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from gristmill.data.datasets import DatasetConfig
from gristmill.data.sources import JSONSource
from gristmill.dataset import Dataset, create_dataset
from gristmill.project import get_project_dir
from gristmill.search import KeywordSearch, SemanticSearch
from gristmill.signals import NearDuplicateSignal, PIISignal

DEMO_NAMESPACE = "demo"
DEMO_NAME = "ultrafeedback"
CODE_BLOCK = re.compile(r"```")


@dataclass
class DemoReport:
    dataset: Dataset
    rows_loaded: int
    rows_with_code: int
    rows_deleted: int
    rows_remaining: int
    export_path: Path


def demo_data_path() -> Path:
    return Path(
        str(
            resources.files("gristmill")
            / "resources"
            / "demo"
            / "ultrafeedback_binarized_500.jsonl"
        )
    )


def summarise_pair(row: dict[str, Any]) -> dict[str, Any]:
    """The first user prompt and the chosen answer of a preference pair, with simple facts."""
    chosen = row.get("chosen") or []
    prompt = next((m["content"] for m in chosen if m.get("role") == "user"), "")
    answer = next((m["content"] for m in chosen if m.get("role") == "assistant"), "")
    return {
        "prompt": prompt,
        "answer": answer,
        "answer_words": len(answer.split()),
        "has_code": bool(CODE_BLOCK.search(answer)),
    }


def run_demo(say: Callable[[str], None], *, show_progress: bool = True) -> DemoReport:
    say(f"Project folder: {get_project_dir()}")
    source = JSONSource(filepaths=[str(demo_data_path())])
    config = DatasetConfig(namespace=DEMO_NAMESPACE, name=DEMO_NAME, source=source)
    ds = create_dataset(config, overwrite=True, show_progress=show_progress)
    loaded = ds.count()
    say(f"\n1. Loaded {loaded} chat preference pairs (UltraFeedback, MIT) into {ds.full_name}.")
    say("   Schema (chats stay nested lists of messages):")
    say("\n".join("     " + line for line in str(ds.manifest().data_schema).splitlines()))

    poems = ds.select_rows(
        ["chosen.*.content"],
        filters=[("chosen.content", "regex_matches", r"(?i)\bpoem\b")],
        limit=3,
    )
    say(f"\n2. Query: {poems.total_num_rows} chats mention a poem; the first prompts:")
    for row in poems:
        say(f"   - {_short(row['chosen.*.content'][0])}")

    say("\n3. map: extracting prompt, answer, word count and code blocks into 'pair' ...")
    ds.map(summarise_pair, output_column="pair", overwrite=True, show_progress=show_progress)
    with_code = ds.count(filters=[("pair.has_code", "equals", True)])
    words = ds.stats("pair.answer_words")
    say(
        f"   {with_code} answers hold code blocks; answers have {words.min_value}-{words.max_value}"
        f" words (mean {words.avg_value:.0f})."
    )
    histogram = ds.select_groups("pair.answer_words", bins=5)
    for label, count in histogram.counts:
        say(f"   {label:>14} words  {'#' * max(1, count // 10) if count else ''} {count}")

    labelled = ds.add_labels("code", filters=[("pair.has_code", "equals", True)])
    deleted = ds.delete_rows(filters=[("pair.answer_words", "less", 5)])
    remaining = ds.count()
    say(
        f"\n4. Curate: labelled {labelled} rows 'code'; deleted {deleted} rows whose answer has"
        f" under 5 words (restorable); {remaining} rows remain."
    )

    enrich(ds, say, show_progress=show_progress)

    export_path = get_project_dir() / "exports" / "ultrafeedback_curated.jsonl"
    export_path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_json(export_path, columns=["pair", "code"])
    say(f"\n6. Exported {remaining} curated rows to {export_path}")
    return DemoReport(ds, loaded, with_code, deleted, remaining, export_path)


def enrich(ds: Dataset, say: Callable[[str], None], *, show_progress: bool = True) -> None:
    """Signals, embeddings, searches and a built-in concept, all on the embedded defaults."""
    say("\n5. Enrich (all offline, on the embedded models):")
    ds.compute_signal(PIISignal(), "pair.answer", show_progress=show_progress)
    pii = ds.count(filters=[("pair_answer__pii.total", "greater", 0)])
    say(f"   PII: {pii} answers contain emails, phone numbers, keys or similar.")
    ds.compute_signal(
        NearDuplicateSignal(threshold=0.8), "pair.prompt", show_progress=show_progress
    )
    dups = ds.count(filters=[("pair_prompt__near_duplicates.cluster_size", "greater", 1)])
    say(f"   Near-duplicate prompts (MinHash, Jaccard >= 0.8): {dups} rows.")
    ds.compute_embedding("minilm", "pair.prompt", show_progress=show_progress)
    say("   Embedded every prompt with MiniLM (int8 ONNX) into a vector index.")
    semantic = SemanticSearch(
        path="pair.prompt", query="translate a sentence into another language"
    )
    for row in ds.select_rows(["pair.prompt"], searches=[semantic], limit=2):
        say(f"   semantic 'translate…': {_short(row['pair.prompt'])}")
    keyword = KeywordSearch(path="pair.prompt", query="python function")
    found = ds.select_rows(["pair.prompt"], searches=[keyword], limit=2)
    say(f"   keyword 'python function' (BM25): {found.total_num_rows} prompts, e.g.")
    for row in found:
        say(f"     {_short(row['pair.prompt'])}")
    ds.compute_concept(
        "gristmill",
        "non-english",
        embedding="minilm",
        path="pair.prompt",
        show_progress=show_progress,
    )
    foreign = ds.count(filters=[("pair_prompt__gristmill_non-english.score", "greater", 0.5)])
    say(f"   Concept gristmill/non-english: {foreign} prompts score over 0.5.")
    clusters = ds.cluster("pair.prompt", min_cluster_size=8, show_progress=show_progress)
    say(
        f"   Clusters: {clusters.num_clusters} clusters in {clusters.num_categories} categories"
        f" (titles from {clusters.titles_from}); the largest:"
    )
    groups = ds.select_groups("pair_prompt__cluster.cluster_title", limit=4)
    for title, count in groups.counts:
        say(f"     {count:>4}  {title}")


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
