"""Title quality (issue 13, item 2): do cluster titles say what the rows are about?

    .venv/bin/python benchmarks/bench_titles.py [emotion|sms|davidson|dialogsum ...]

For each labelled set in ../shared/data the rows are clustered with MiniLM (``ds.cluster``, no
LLM). Each row then gets its cluster's title, and the title is compared, in **wordllama** space (a
different model from the one that clustered), with one written description per label: a row
counts as a hit when its title is closest to the description of its own label. The score is the
share of hits; the baseline is the share of the majority label (what a title pointing every row
at the most common label would score). Two titlers on the same clusters:

- ``keywords``: the c-TF-IDF keyword titles ``ds.cluster`` made before issue 13
  (``keyword_titles`` over each cluster's 200 most central distinct texts, as the old titler did);
- ``phrases``: the titles ``ds.cluster`` makes now.

Descriptions were written once, before any run, and are not tuned. dialogsum's labels are its
free-text topics (``see a doctor``); its description of a label is the topic itself, and only
topics with at least two dialogues are kept. Data is read from ../shared/data and never copied
into the repository; datasets and embeddings live in ``benchmarks/.work/titles`` and are reused.
Results: ``benchmarks/results/titles.md``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
WORK = ROOT / "benchmarks" / ".work" / "titles"
RESULTS = ROOT / "benchmarks" / "results" / "titles.md"
ROWS = 2000

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "emotion": {
        "sadness": "sadness: feeling sad, down, lonely, unhappy or depressed",
        "joy": "joy: feeling happy, glad, cheerful, content or pleased",
        "love": "love: feeling loving, affectionate, caring, tender or romantic",
        "anger": "anger: feeling angry, irritated, annoyed, bitter or resentful",
        "fear": "fear: feeling scared, anxious, nervous, worried or afraid",
        "surprise": "surprise: feeling surprised, amazed, shocked, astonished or curious",
    },
    "sms": {
        "ham": "personal text messages between friends and family: plans, chat, meeting up",
        "spam": "spam: prize offers, free entries, cash to win, call or text this number now",
    },
    "davidson": {
        "0": "hate speech: slurs and attacks on people for their race, religion or sexuality",
        "1": "offensive language: insults, swearing, profanity and vulgar words",
        "2": "ordinary tweets without offensive language: sports, music, news, daily life",
    },
}


def _rows(name: str) -> tuple[list[str], list[str]]:
    def read(path: Path) -> list[dict[str, Any]]:
        with path.open(encoding="utf-8") as file:
            return [json.loads(line) for line in file]

    if name == "emotion":
        rows = read(DATA / "emotion/test.jsonl")[:ROWS]
        return [r["text"] for r in rows], [r["label"] for r in rows]
    if name == "sms":
        rows = read(DATA / "sms_spam/SMSSpamCollection.jsonl")[:ROWS]
        return [r["SMS"] for r in rows], [r["Label"] for r in rows]
    if name == "davidson":
        rows = read(DATA / "davidson_hate_offensive/labeled_data.jsonl")[:ROWS]
        return [r["tweet"] for r in rows], [str(r["class"]) for r in rows]
    rows = read(DATA / "dialogsum/dialogsum.dev.jsonl") + read(
        DATA / "dialogsum/dialogsum.test.jsonl"
    )
    # The test split has three annotators' topics (topic1..3); the first is used.
    topics = [r.get("topic") or r["topic1"] for r in rows]
    counts = Counter(topics)
    kept = [i for i, topic in enumerate(topics) if counts[topic] >= 2]
    return [rows[i]["dialogue"] for i in kept], [topics[i] for i in kept]


def _dataset(name: str, texts: list[str]) -> Any:
    import gristmill as gm
    from gristmill.errors import NotFoundError

    try:
        return gm.get_dataset("local", name)
    except NotFoundError:
        pass
    path = WORK / f"{name}.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name=name, source=gm.JSONSource(filepaths=[str(path)])),
        show_progress=False,
    )


def _keyword_titles(ds: Any, labels: np.ndarray) -> list[str]:
    """The pre-issue-13 titler on these clusters: c-TF-IDF keywords of the central members."""
    from gristmill.cluster import keyword_titles
    from gristmill.cluster._categories import centroids
    from gristmill.cluster._input import choose_embedding, load_row_vectors, read_texts
    from gristmill.cluster._titling import KEYWORD_MEMBERS, _central_members

    data = load_row_vectors(ds, "text", choose_embedding(ds, "text", None), show_progress=False)
    texts = read_texts(ds, "text", data.rowids)
    num = int(labels.max()) + 1
    members = _central_members(data.vectors, labels, centroids(data.vectors, labels, num), texts)
    return keyword_titles([m[:KEYWORD_MEMBERS] for m in members])


def _score(
    titles: list[str], clusters: np.ndarray, truth: list[str], descriptions: dict[str, str]
) -> float:
    from gristmill.embed import get_embedding

    model = get_embedding("wordllama")
    names = sorted(descriptions)
    described = model.embed([descriptions[n] for n in names])
    closest = (model.embed(titles) @ described.T).argmax(axis=1)
    predicted = [names[closest[c]] for c in clusters]
    return sum(p == t for p, t in zip(predicted, truth, strict=True)) / len(truth)


def run(name: str) -> dict[str, Any]:
    texts, truth = _rows(name)
    descriptions = DESCRIPTIONS.get(name) or {t: t for t in sorted(set(truth))}
    ds = _dataset(name, texts)
    started = time.perf_counter()
    result = ds.cluster("text", use_llm=False, overwrite=True, show_progress=False)
    seconds = time.perf_counter() - started
    rows = ds.select_rows(["text__cluster"], sort_by="__rowid__", sort_order="ASC")
    clusters = np.array([r["text__cluster"]["cluster_id"] for r in rows], np.int32)
    new_titles = [""] * (int(clusters.max()) + 1)
    for r in rows:
        new_titles[r["text__cluster"]["cluster_id"]] = r["text__cluster"]["cluster_title"]
    old_titles = _keyword_titles(ds, clusters)
    majority = Counter(truth).most_common(1)[0][1] / len(truth)
    # The best any titler can do on these clusters: every cluster's title pointing at its own
    # majority label (cluster purity). Titles are judged against this, not against 1.0.
    by_cluster: dict[int, Counter[str]] = {}
    for c, t in zip(clusters.tolist(), truth, strict=True):
        by_cluster.setdefault(c, Counter())[t] += 1
    ceiling = sum(counts.most_common(1)[0][1] for counts in by_cluster.values()) / len(truth)
    sizes = np.bincount(clusters)
    largest = [int(c) for c in np.argsort(-sizes, kind="stable")[:5]]
    return {
        "set": name,
        "rows": len(truth),
        "labels": len(descriptions),
        "clusters": result.num_clusters,
        "majority": majority,
        "ceiling": ceiling,
        "keywords": _score(old_titles, clusters, truth, descriptions),
        "phrases": _score(new_titles, clusters, truth, descriptions),
        "examples": [(int(sizes[c]), old_titles[c], new_titles[c]) for c in largest],
        "cluster_seconds": seconds,
        "load": os.getloadavg()[0],
    }


def _report(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Title quality: keyword titles vs phrase titles (issue 13)",
        "",
        "Made by `benchmarks/bench_titles.py` (method in its docstring): clusters from MiniLM,",
        "titles judged in wordllama space against one description per label. Score = share of",
        "rows whose cluster title is closest to their own label's description.",
        "",
        "| set | rows | labels | clusters | majority baseline | ceiling (cluster purity) "
        "| keyword titles (before) | phrase titles (after) | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['set']} | {r['rows']} | {r['labels']} | {r['clusters']} | {r['majority']:.3f}"
            f" | {r['ceiling']:.3f} | {r['keywords']:.3f} | {r['phrases']:.3f} | {r['load']:.1f} |"
        )
    lines += ["", "## Example titles (largest clusters; rows / before / after)", ""]
    for r in results:
        for size, old, new in r["examples"]:
            lines.append(f"- {r['set']} ({size}): `{old}` → **{new}**")
    return "\n".join(lines) + "\n"


def main(names: list[str]) -> None:
    from gristmill.project import set_project_dir

    WORK.mkdir(parents=True, exist_ok=True)
    set_project_dir(WORK / "project")
    results = []
    for name in names or ["emotion", "sms", "davidson", "dialogsum"]:
        outcome = run(name)
        print(json.dumps(outcome), flush=True)
        results.append(outcome)
        # Written after every set: the figures so far survive an interrupted run.
        RESULTS.write_text(_report(results), encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main(sys.argv[1:])
