"""enrich.json and its Markdown report (enrich.md) for the enrichment suite (``enrich.py``)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import report

# Issue 3's goals next to the figures they judge.
LILAC_NEAR_DUP_S, NEAR_DUP_GOAL_S = 36.5, 5.0
LILAC_TRAIN_S, TRAIN_GOAL_S = 16.0, 1.0
SEARCHES = (
    ("keyword (BM25, FTS)", "keyword"),
    ("semantic, wordllama 100k", "semantic_wordllama"),
    ("semantic, minilm 5k", "semantic_minilm_5k"),
    ("concept gristmill/profanity, wordllama 100k", "concept_search_profanity"),
)


def load(path: Path) -> dict[str, Any]:
    if path.exists():
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return loaded
    return {}


def concept_quality(doc: Path) -> list[dict[str, str]]:
    """The held-out quality table of docs/concepts.md (measured by bench_concepts.py evaluate)."""
    rows = []
    for line in doc.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"\d+", cells[1]):
            keys = ("set", "n", "precision", "recall", "f1", "roc_auc")
            rows.append(dict(zip(keys, cells, strict=True)))
    return rows


def write(results: dict[str, Any], ops: Sequence[Any], json_path: Path, md_path: Path) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(results, ops), encoding="utf-8")


def _seconds(results: dict[str, Any], name: str) -> float | None:
    found = results.get("ops", {}).get(name)
    return None if not found or "error" in found else float(found["seconds"])


def _load(values: list[float] | None) -> str:
    return ", ".join(f"{x:.2f}" for x in values or [])


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:.0f}"


def _search_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| search (limit 100) | cold, index built | cold | cold + filter | warm | warm + filter |",
        "|---|---|---|---|---|---|",
    ]
    for label, key in SEARCHES:
        build = _ms(_seconds(results, f"{key}_cold_build"))
        cells = [_ms(_seconds(results, f"{key}_{s}")) for s in ("cold", "cold_filter")]
        cells += [_ms(_seconds(results, f"{key}_{s}")) for s in ("warm", "warm_filter")]
        lines.append(f"| {label} | {build} | " + " | ".join(cells) + " |")
    return lines


def _headline(results: dict[str, Any]) -> list[str]:
    ops = results.get("ops", {})
    lines = []
    wordllama = ops.get("embed_wordllama", {})
    if "seconds" in wordllama:
        info = wordllama["info"]
        lines.append(
            f"- wordllama, all 100k rows: {wordllama['seconds']:.0f} s end to end,"
            f" {info['sentences_per_s']} spans/s ({info['sentences']} spans: every instruction is"
            " under the 512-char span limit, so one span per row);"
            + (
                f" `embed()` alone: {info['model_only_texts_per_s']} texts/s;"
                if "model_only_texts_per_s" in info
                else ""
            )
            + f" peak {wordllama['peak_rss_mib']:.0f} MiB."
        )
    minilm = ops.get("embed_minilm_5k", {})
    if "seconds" in minilm:
        extrapolated = minilm["seconds"] * 20
        lines.append(
            f"- MiniLM ran on rows 0-4999 only: {minilm['info']['sentences_per_s']} sentences/s, "
            f"{minilm['info']['rows_per_s']} rows/s. All 100k rows at that rate: "
            f"~{extrapolated / 60:.0f} min (linear: the rows are shuffled synthetic text, so the "
            "slice has the same length mix)."
        )
    near = _seconds(results, "signal_near_duplicates")
    if near is not None:
        mark = "met" if near <= NEAR_DUP_GOAL_S else "**missed**"
        lines.append(
            f"- near_duplicates on 100k rows: {near:.1f} s (Lilac {LILAC_NEAR_DUP_S} s; goal "
            f"< {NEAR_DUP_GOAL_S:.0f} s {mark})."
        )
    for name in ("concept_train_uncached", "concept_train_cached"):
        train = _seconds(results, name)
        if train is not None:
            mark = "met" if train < TRAIN_GOAL_S else "**missed**"
            lines.append(
                f"- {name}: {train:.2f} s (Lilac ~{LILAC_TRAIN_S:.0f} s; goal < 1 s {mark})."
            )
    quality = ops.get("near_duplicate_quality", {}).get("info")
    if quality:
        lines.append(
            f"- Near-duplicate quality ({quality['texts']} real alpaca outputs with "
            f"{quality['planted']} planted 4%-edited copies): precision {quality['precision']}, "
            f"recall {quality['recall']}."
        )
    return lines


def markdown(results: dict[str, Any], ops: Sequence[Any]) -> str:
    machine = results.get("machine", {})
    run = results.get("run", {})
    lines = [
        "# Enrichment benchmark (embeddings, search, concepts, signals)",
        "",
        "Written by `benchmarks/enrich.py` (also `make bench`); see benchmarks/README.md. Every op"
        " runs in a fresh process; seconds time the op alone (warm searches: the median of 20"
        " after one untimed call; cold ones: a process that imported only gristmill, so index and"
        " model loading are included); peak MiB is that process's peak RSS (ru_maxrss).",
        "",
        f"Machine: {machine.get('nproc')} CPUs ({machine.get('cpu_model')}),"
        f" {machine.get('ram_gib')} GiB RAM; Python {machine.get('python')}; commit"
        f" {machine.get('git_commit') or '?'}; {machine.get('date')}. Load average (1, 5 and"
        f" 15 minutes) {_load(run.get('load_before'))} before, {_load(run.get('load_after'))}"
        " after (each op's load at its end is in enrich.json).",
        "",
        "Data: the 100k synthetic rows (`synthetic.py`); embeddings and searches use"
        " `instruction` (20-300 chars), the text signals `response` (50-3000 chars).",
        "",
        "## Headline",
        "",
        *_headline(results),
        "",
        "## Search latency (ms)",
        "",
        *_search_table(results),
        "",
        "## Every op",
        "",
        "| op | s | peak MiB | what is timed; notes |",
        "|---|---|---|---|",
    ]
    for op in ops:
        result = results.get("ops", {}).get(op.name)
        cells = report._cells(result)
        notes = report._notes(result) if result and "error" not in result else ""
        if result and "error" in result:
            notes = result["error"]
        lines.append(f"| {op.name} | {cells[0]} | {cells[1]} | {op.description}; {notes} |")
    lines += [
        "",
        "## Concept quality (held-out, MiniLM; from docs/concepts.md)",
        "",
        "| concept / held-out set | n | precision | recall | F1 | ROC-AUC |",
        "|---|---|---|---|---|---|",
    ]
    for row in results.get("concept_quality", []):
        lines.append("| " + " | ".join(row.values()) + " |")
    return "\n".join(lines) + "\n"
