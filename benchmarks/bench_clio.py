"""Conversation insights (issue 15): time, memory and LLM calls per stage, and reconstruction.

    .venv/bin/python benchmarks/bench_clio.py speed [--sizes 2000,20000] [--modes free,fake]
    .venv/bin/python benchmarks/bench_clio.py reconstruct [--sources mt_bench,kinds,emotion]
        [--mode free|local] [--limit N]
    .venv/bin/python benchmarks/bench_clio.py concerning [--embeddings minilm,wordllama]
    .venv/bin/python benchmarks/bench_clio.py report        # results/clio.md from the runs kept

**speed**: ``gm.clio.run(chats)`` with the main facets, in a fresh child process per run (peak
RSS is that process's ``ru_maxrss``: interpreter, libraries and models included), LLM-free
(``llm=None``) and with the fake LLM (``get_llm('fake', cache=False)``: instant answers, so the
figures are Gristmill's own overhead and the number of calls). Conversations are real chats from
../shared/data (``_chat_pool``: both sides of UltraFeedback and HH-RLHF, code_alpaca, alpaca,
MT-Bench, DialogSum dialogues, ShareGPT's fixture, emotion texts as one-turn chats), shuffled
with a fixed seed; the first n are taken, so 2,000 and 20,000 have the same mix.

**reconstruct** (the Clio paper's check): conversations whose topic is known, run through
``gm.clio.run``; the Request facet's base clusters and top-level clusters are compared with the
topics (purity: the share of conversations in their cluster's majority topic; ARI:
``sklearn.metrics.adjusted_rand_score``). Sources (nothing in the pipeline was tuned on them):

- ``mt_bench``: MT-Bench's 80 two-turn questions, 8 categories (writing, roleplay, reasoning,
  math, coding, extraction, stem, humanities) as the topics; the user turns only;
- ``kinds``: 200 conversations from each of five labelled sources, the source as the topic:
  code_alpaca (coding requests with their answers), HH-RLHF harmless-base (red-team chats),
  DialogSum (everyday two-person dialogues), emotion (personal one-line posts), SMS spam;
- ``emotion``: 1,200 emotion texts as one-turn chats, the six emotions as the topics (a hard
  set: the texts share a style and differ by feeling, not by subject).

``--mode local`` runs the embedded LLM (SmolLM2-135M) with ``maxConversationTokens=300`` and
``max_tokens=200``, and one sample per naming, categorising and renaming step (the defaults'
five would take hours on 2 cores); answers are cached in ``benchmarks/.work/clio``.

**concerning**: ROC-AUC of the LLM-free Concerning facet (1-5) at telling red-team chats from
ordinary ones, on rows not used to set anything: HH-RLHF harmless-base rows 1000-1599 against
UltraFeedback rows 250-499 (both sides), and Davidson's hate/offensive tweets against its
ordinary ones (600 each, one-turn chats).

Every run writes a JSON into ``benchmarks/.work/clio/``; ``report`` turns them into
``benchmarks/results/clio.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
WORK = ROOT / "benchmarks" / ".work" / "clio"
RESULTS = ROOT / "benchmarks" / "results" / "clio.md"
SEED = 27
GIB = 2**30
# What code ran ("before" for the tree as committed, when run with it on PYTHONPATH).
LABEL = os.environ.get("BENCH_LABEL", "")


def _read(path: str) -> list[dict[str, Any]]:
    with (DATA / path).open(encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def _two_turns(user: str, assistant: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]


def _alpaca_chat(row: dict[str, Any]) -> list[dict[str, str]]:
    asked = row["instruction"] + (f"\n\n{row['input']}" if row.get("input") else "")
    return _two_turns(asked, row.get("output") or row.get("response") or "")


def _dialogue_chat(dialogue: str) -> list[dict[str, str]]:
    """A DialogSum dialogue as a chat: #Person1# speaks as the user, #Person2# answers."""
    turns = []
    for line in dialogue.splitlines():
        speaker, _, said = line.partition(":")
        if said.strip():
            role = "user" if "1" in speaker else "assistant"
            turns.append({"role": role, "content": said.strip()})
    return turns


def _chat_pool() -> list[Any]:
    """Every real chat of ../shared/data in one list (~23,000, shuffled with a fixed seed)."""
    pool: list[Any] = []
    for row in _read("ultrafeedback_binarized/test_prefs.jsonl"):
        pool += [row["chosen"], row["rejected"]]
    for row in _read("hh_rlhf_harmless/harmless-base_test.jsonl"):
        pool += [row["chosen"], row["rejected"]]
    for path in (
        "code_alpaca/code_alpaca_2k.jsonl",
        "code_alpaca/new_codealpaca.jsonl",
        "alpaca_subset/alpaca_data_5k.jsonl",
    ):
        pool += [_alpaca_chat(row) for row in _read(path)]
    for row in _read("mt_bench/question.jsonl"):
        pool.append([{"role": "user", "content": turn} for turn in row["turns"]])
    for path in ("dialogsum/dialogsum.dev.jsonl", "dialogsum/dialogsum.test.jsonl"):
        pool += [_dialogue_chat(row["dialogue"]) for row in _read(path)]
    pool += [
        row["conversations"] for row in _read("sharegpt_format_fixture/dummy_conversation.jsonl")
    ]
    for path in ("emotion/test.jsonl", "emotion/validation.jsonl"):
        pool += [[{"role": "user", "content": row["text"]}] for row in _read(path)]
    random.Random(SEED).shuffle(pool)
    return pool


# -- reconstruction ----------------------------------------------------------------------------


def _labelled(source: str) -> tuple[list[Any], list[str]]:
    """Conversations of ``source`` and each one's known topic."""
    rng = random.Random(SEED)
    if source == "mt_bench":
        rows = _read("mt_bench/question.jsonl")
        chats = [[{"role": "user", "content": turn} for turn in row["turns"]] for row in rows]
        return chats, [row["category"] for row in rows]
    if source == "emotion":
        rows = _read("emotion/validation.jsonl")
        by_label: dict[str, list[str]] = {}
        for row in rows:
            by_label.setdefault(row["label"], []).append(row["text"])
        picked = [
            (text, label) for label, texts in sorted(by_label.items()) for text in texts[:200]
        ]
        rng.shuffle(picked)
        return [[{"role": "user", "content": t}] for t, _ in picked], [lab for _, lab in picked]
    if source == "kinds":
        each = 200
        groups: dict[str, list[Any]] = {
            "coding": [_alpaca_chat(r) for r in _read("code_alpaca/code_alpaca_2k.jsonl")],
            "red-team": [r["chosen"] for r in _read("hh_rlhf_harmless/harmless-base_test.jsonl")],
            "dialogue": [
                _dialogue_chat(r["dialogue"]) for r in _read("dialogsum/dialogsum.dev.jsonl")
            ],
            "feelings": [
                [{"role": "user", "content": r["text"]}] for r in _read("emotion/test.jsonl")
            ],
            "spam": [
                [{"role": "user", "content": r["SMS"]}]
                for r in _read("sms_spam/SMSSpamCollection.jsonl")
                if r["Label"] == "spam"
            ],
        }
        mixed = [(chat, name) for name, chats in groups.items() for chat in chats[:each]]
        rng.shuffle(mixed)
        return [chat for chat, _ in mixed], [name for _, name in mixed]
    raise SystemExit(f"unknown source {source!r}: mt_bench, kinds or emotion")


def _purity(clusters: list[str], truth: list[str]) -> float:
    by_cluster: dict[str, Counter[str]] = {}
    for cluster, topic in zip(clusters, truth, strict=True):
        by_cluster.setdefault(cluster, Counter())[topic] += 1
    return sum(c.most_common(1)[0][1] for c in by_cluster.values()) / len(truth)


def reconstruct(source: str, mode: str, limit: int | None) -> dict[str, Any]:
    from sklearn.metrics import adjusted_rand_score

    import gristmill as gm

    chats, truth = _labelled(source)
    if limit is not None:
        chats, truth = chats[:limit], truth[:limit]
    config = gm.clio.OpenClioConfig(verbose=False)
    llm: Any = None
    if mode == "local":
        from gristmill.llm import get_llm

        config.maxConversationTokens = 300
        config.llmExtraInferenceArgs["max_tokens"] = 200
        config.nNameDescriptionSamplesPerCluster = 1
        config.nCategorizeSamples = 1
        config.nRenameSamples = 1
        WORK.mkdir(parents=True, exist_ok=True)
        llm = get_llm("local", cache_path=WORK / "local-llm-cache.sqlite", structured_retries=0)
    load = os.getloadavg()
    started = time.perf_counter()
    result = gm.clio.run(chats, config=config, llm=llm, show_progress=mode == "local")
    seconds = time.perf_counter() - started
    tree = result.clusters["Request"].tree
    base = result.clusters["Request"].base_ids
    kept = [i for i, b in enumerate(base) if b is not None]
    base_of = [str(base[i]) for i in kept]
    top_of = [_root_of(tree, b) for b in base_of]
    known = [truth[i] for i in kept]
    majority = Counter(known).most_common(1)[0][1] / len(known)
    # The level whose width is closest to the number of topics (the top level has at most
    # minTopLevelSize clusters, whatever the number of topics).
    widths = [len(level) for level in tree.levels()]
    level = min(range(len(widths)), key=lambda k: (abs(widths[k] - len(set(known))), -widths[k]))
    at_level = [_ancestor_at(tree, b, level) for b in base_of]
    return {
        "source": source,
        "mode": result.mode,
        "conversations": len(chats),
        "clustered": len(kept),
        "topics": len(set(truth)),
        "majority": majority,
        "base_clusters": len(set(base_of)),
        "top_clusters": len(set(top_of)),
        "base_purity": _purity(base_of, known),
        "base_ari": float(adjusted_rand_score(known, base_of)),
        "top_purity": _purity(top_of, known),
        "top_ari": float(adjusted_rand_score(known, top_of)),
        "widths": widths,
        "level": level,
        "level_purity": _purity(at_level, known),
        "level_ari": float(adjusted_rand_score(known, at_level)),
        "llm_calls": result.llm_calls,
        "facet_failures": result.values.failures,
        "seconds": seconds,
        "load": [round(x, 2) for x in load + os.getloadavg()],
        "top_names": [node.name for node in tree.roots],
    }


def _ancestor_at(tree: Any, node_id: str, level: int) -> str:
    node = tree.node(node_id)
    while node.level < level and node.parent is not None:
        node = tree.node(node.parent)
    return str(node.id)


def _root_of(tree: Any, node_id: str) -> str:
    node = tree.node(node_id)
    while node.parent is not None:
        node = tree.node(node.parent)
    return str(node.id)


# -- speed -------------------------------------------------------------------------------------


def share_run_vectors() -> None:
    """Make ``gm.clio.run`` share one ``RunVectors`` between the facets and the clustering, as
    the change proposed for ``clio/_run.py`` does (``--shared``; a no-op once it is in)."""
    import gristmill.clio._run as run_module
    from gristmill.clio._vectors import RunVectors

    made: dict[str, Any] = {}
    get_embedding = getattr(run_module, "get_embedding")  # noqa: B009 (not re-exported)
    extract_facets = getattr(run_module, "extract_facets")  # noqa: B009

    def shared_model(name: str) -> Any:
        if name not in made:
            model = get_embedding(name)
            made[name] = model if isinstance(model, RunVectors) else RunVectors(model)
        return made[name]

    def extract(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("shared_embedding", shared_model(run_module.DEFAULT_EMBEDDING))
        return extract_facets(*args, **kwargs)

    setattr(run_module, "get_embedding", shared_model)  # noqa: B010
    setattr(run_module, "extract_facets", extract)  # noqa: B010


def speed_one(size: int, mode: str, shared: bool) -> dict[str, Any]:
    """One timed run (called in a child process: its peak RSS is the run's)."""
    import resource

    import gristmill as gm

    if shared:
        share_run_vectors()
    chats = _chat_pool()
    if size > len(chats):
        raise SystemExit(f"only {len(chats)} chats in the pool")
    chats = chats[:size]
    llm: Any = None
    if mode == "fake":
        from gristmill.llm import get_llm

        llm = get_llm("fake", cache=False)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    load = os.getloadavg()
    cpu = time.process_time()
    started = time.perf_counter()
    result = gm.clio.run(chats, llm=llm, config=gm.clio.OpenClioConfig(verbose=False))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    trees = {
        name: {
            "depth": clusters.tree.depth,
            "widths": [len(level) for level in clusters.tree.levels()],
        }
        for name, clusters in result.clusters.items()
    }
    return {
        "size": size,
        "mode": result.mode,
        "shared": shared,
        "cpu_seconds": cpu,
        "distinct": result.values.distinct,
        "seconds": seconds,
        "stages": result.seconds,
        "facet_calls": result.values.calls,
        "naming_calls": result.naming_calls,
        "calls_per_conversation": result.llm_calls / max(result.values.distinct, 1),
        "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "rss_before_run": rss_before,
        "trees": trees,
        "load": [round(x, 2) for x in load + os.getloadavg()],
    }


def _child(args: list[str], out: Path) -> None:
    command = [sys.executable, __file__, *args, "--out", str(out)]
    subprocess.run(command, check=True)


# -- concerning ---------------------------------------------------------------------------------


def concerning(embedding: str) -> dict[str, Any]:
    """ROC-AUC of the LLM-free Concerning facet (its 1-5 level) and of the probability under
    it (the facet's extractor, with ``concerning_level`` made to pass the probability through)."""
    from sklearn.metrics import roc_auc_score

    import gristmill as gm
    import gristmill.clio._extractive as extractive

    facet = [f for f in gm.clio.mainFacets if f.name == "Concerning"]
    hh = _read("hh_rlhf_harmless/harmless-base_test.jsonl")[1000:1600]
    uf = _read("ultrafeedback_binarized/test_prefs.jsonl")[250:500]
    dav = _read("davidson_hate_offensive/labeled_data.jsonl")
    bad = [[{"role": "user", "content": r["tweet"]}] for r in dav if r["class"] in (0, 1)][:600]
    good = [[{"role": "user", "content": r["tweet"]}] for r in dav if r["class"] == 2][:600]
    level_of = extractive.concerning_level
    found: dict[str, Any] = {"embedding": embedding, "label": LABEL}
    sets = {
        "hh_vs_uf": (
            [r["chosen"] for r in hh],
            [r[side] for r in uf for side in ("chosen", "rejected")],
        ),
        "davidson": (bad, good),
    }
    for name, (positive, negative) in sets.items():
        chats = positive + negative
        started = time.perf_counter()
        extractive.concerning_level = lambda probability: probability  # type: ignore[assignment,return-value]
        try:
            values = gm.clio.extract_facets(
                chats,
                facet,
                gm.clio.OpenClioConfig(verbose=False, dedupData=False),
                extractive_embedding=embedding,
            )
        finally:
            extractive.concerning_level = level_of
        seconds = time.perf_counter() - started
        probabilities = [float(v) if v is not None else 0.0 for v in values["Concerning"]]
        levels = [level_of(p) for p in probabilities]
        truth = [1] * len(positive) + [0] * len(negative)
        found[name] = {
            "auc": float(roc_auc_score(truth, levels)),
            "auc_probability": float(roc_auc_score(truth, probabilities)),
            "n": len(chats),
            "seconds": seconds,
            "positive_levels": dict(sorted(Counter(levels[: len(positive)]).items())),
            "negative_levels": dict(sorted(Counter(levels[len(positive) :]).items())),
        }
    found["load"] = list(os.getloadavg())
    return found


# -- report ------------------------------------------------------------------------------------


def _load(prefix: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(WORK.glob(f"{prefix}-*.json"))]


def report() -> str:
    lines = [
        "# Conversation insights (issue 15): speed and reconstruction",
        "",
        f"Written by `benchmarks/bench_clio.py report` on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}); each figure is from one "
        "run, read it with the load average next to it (1-minute load before / after the run; "
        "the box is shared by other jobs).",
        "",
    ]
    lines += _speed_table(_load("speed"))
    lines += _reconstruct_table(_load("reconstruct"))
    lines += _concerning_table(_load("concerning"))
    return "\n".join(lines) + "\n"


def _speed_table(runs: list[dict[str, Any]]) -> list[str]:
    if not runs:
        return []
    runs.sort(key=lambda r: (r["mode"], r["size"], r.get("label", "")))
    lines = [
        "## Time per stage (`gm.clio.run(chats)`, main facets)",
        "",
        "| code | mode | conversations | total s (CPU s) | facets s | embed s | base clusters s"
        " | hierarchy s | map s | LLM calls / conversation | peak RSS GiB"
        " | hierarchy depth, widths (base → top) | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        stages = r["stages"]

        def total(stage: str, stages: dict[str, float] = stages) -> str:
            found = [v for k, v in stages.items() if k.endswith(f": {stage}")]
            return f"{sum(found):.1f}" if found else "-"

        shapes = "; ".join(
            f"{name}: {t['depth']}, {'/'.join(map(str, t['widths']))}"
            for name, t in r["trees"].items()
        )
        lines.append(
            f"| {r.get('label') or 'now'} | {r['mode']} | {r['size']:,} | {r['seconds']:.0f}"
            f" ({r['cpu_seconds']:.0f}) | {stages.get('facets', 0):.1f}"
            f" | {total('embed')} | {total('base clusters')} | {total('hierarchy')}"
            f" | {total('map')} | {r['calls_per_conversation']:.2f}"
            f" ({r['facet_calls']} facet + {r['naming_calls']} naming)"
            f" | {r['peak_rss'] / GIB:.2f} | {shapes} | {r['load'][0]:.1f} / {r['load'][3]:.1f} |"
        )
    lines += [
        "",
        "Code: 'before' is the tree with clio/_extractive.py, _facets.py and _naming.py as"
        " committed (run with that copy on PYTHONPATH); 'after' is with the batched, deduplicated"
        " concerning score and keyphrase naming; 'after + shared' adds one RunVectors shared by"
        " the facets and the clustering (`--shared`: the proposed change to clio/_run.py,"
        " patched in at run time). CPU s is the process's user+system time: on this shared box"
        " it is steadier than the wall time, and with 2 cores wall time cannot go below half"
        " of it.",
        "",
        "Stages are summed over the clustered facets (Request and Task); 'facets' covers "
        "dedup, truncation and every facet's values. Peak RSS is the child process's "
        "(interpreter, libraries and the MiniLM model included). The conversations are real "
        "chats from ../shared/data (see the script's docstring for the mix); both sides of the "
        "UltraFeedback and HH-RLHF pairs are used, so some conversations share their user turns.",
        "",
    ]
    return lines


def _reconstruct_table(runs: list[dict[str, Any]]) -> list[str]:
    if not runs:
        return []
    lines = [
        "## Reconstruction (Request facet; purity and ARI against the known topics)",
        "",
        "| code | source | mode | conversations | topics (majority share) | base clusters: n,"
        " purity,"
        " ARI | level nearest the topic count: level, n, purity, ARI | top-level clusters: n,"
        " purity, ARI | LLM calls | s | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(
        runs, key=lambda r: (r["source"], r["mode"], r["conversations"], r.get("label", ""))
    ):
        lines.append(
            f"| {r.get('label') or 'now'} | {r['source']} | {r['mode']} | {r['conversations']}"
            f" | {r['topics']}"
            f" ({r['majority']:.2f}) | {r['base_clusters']}, {r['base_purity']:.2f},"
            f" {r['base_ari']:.2f} | {r.get('level', '-')}, {_width(r)},"
            f" {_metric(r, 'level_purity')}, {_metric(r, 'level_ari')}"
            f" | {r['top_clusters']}, {r['top_purity']:.2f},"
            f" {r['top_ari']:.2f} | {r['llm_calls']} | {r['seconds']:.0f}"
            f" | {r['load'][0]:.1f} / {r['load'][3]:.1f} |"
        )
    lines += [
        "",
        "For context: the Clio paper reports 94% reconstruction accuracy with a frontier model"
        " (Claude) writing the facets and names, Kura >95% on 190 synthetic conversations; both"
        " are with large LLMs on synthetic conversations written to be about one topic each, and"
        " (as we read them) count conversations placed with their generating topic, which is"
        " closest to our purity at a level with about as many clusters as topics. The rows here"
        " are real, unedited data and no"
        " LLM (extractive) or a 135M-parameter one (llm), so they are not comparable with those"
        " figures, only with each other. ARI is low wherever there are many more clusters than"
        " topics (base clusters: n//10), by construction; the top level has at most"
        " minTopLevelSize (5) clusters whatever the number of topics.",
        "",
    ]
    if any(r["mode"] == "llm" for r in runs):
        lines += [
            "The llm rows used one sample per naming, categorising and renaming step (the"
            " defaults' five would take hours with the embedded model on 2 cores) and cut"
            " conversations to 300 tokens.",
            "",
        ]
    return lines


def _width(run: dict[str, Any]) -> str:
    return str(run["widths"][run["level"]]) if "widths" in run else "-"


def _metric(run: dict[str, Any], key: str) -> str:
    return f"{run[key]:.2f}" if key in run else "-"


def _concerning_table(runs: list[dict[str, Any]]) -> list[str]:
    if not runs:
        return []
    lines = [
        "## The LLM-free Concerning facet (ROC-AUC; data nothing was set on)",
        "",
        "| code | embedding | HH-RLHF red-team vs UltraFeedback: AUC of the level (of the"
        " probability), n, s | Davidson hate+offensive vs ordinary tweets: same |",
        "|---|---|---|---|",
    ]
    for r in sorted(runs, key=lambda r: (r.get("label", ""), r["embedding"])):
        cells = [
            f"{c['auc']:.3f} ({c['auc_probability']:.3f}), {c['n']}, {c['seconds']:.0f} s"
            for c in (r["hh_vs_uf"], r["davidson"])
        ]
        lines.append(f"| {r.get('label') or 'now'} | {r['embedding']} | {cells[0]} | {cells[1]} |")
    lines += [
        "",
        "The facet is the level (1-5, equal bands of the probability); most red-team chats of"
        " HH-RLHF's harmless-base are mild, and below 0.2 they share level 1 with ordinary chats,"
        " hence the gap between the two AUCs. One caveat: a version that read every turn"
        " condensed (as the Request facet is) lost 0.04 on Davidson, which is why a first turn"
        " is read as the Request value only when that value is the whole turn; Davidson thereby"
        " informed that choice, and the rule reads the same text as before otherwise.",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "what", choices=["speed", "speed-one", "reconstruct", "concerning", "report"]
    )
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--modes", default="free,fake")
    parser.add_argument("--sources", default="mt_bench,kinds,emotion")
    parser.add_argument("--mode", default="free")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--embeddings", default="minilm,wordllama")
    parser.add_argument("--out", default=None)
    parser.add_argument("--label", default="", help="what the code was (e.g. 'before')")
    parser.add_argument(
        "--shared", action="store_true", help="share the run's vectors (see share_run_vectors)"
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.what == "speed-one":
        size, mode = (int(args.sizes), args.modes)
        found = speed_one(size, mode, args.shared) | {"label": args.label}
        Path(args.out).write_text(json.dumps(found, indent=1))
    elif args.what == "speed":
        shared = ["--shared"] if args.shared else []
        for mode in args.modes.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                tag = "-shared" if args.shared else ""
                out = WORK / f"speed-{mode}-{size}{tag}.json"
                _child(["speed-one", "--sizes", str(size), "--modes", mode, *shared], out)
                print(out.read_text())
    elif args.what == "reconstruct":
        for source in args.sources.split(","):
            found = reconstruct(source, args.mode, args.limit) | {"label": args.label}
            suffix = f"-{args.limit}" if args.limit else ""
            tag = "-" + "-".join(args.label.split()) if args.label else ""
            out = WORK / f"reconstruct-{source}-{args.mode}{suffix}{tag}.json"
            out.write_text(json.dumps(found, indent=1))
            print(json.dumps(found, indent=1))
    elif args.what == "concerning":
        for embedding in args.embeddings.split(","):
            out = WORK / f"concerning-{embedding}{'-' + LABEL if LABEL else ''}.json"
            out.write_text(json.dumps(concerning(embedding), indent=1))
            print(out.read_text())
    if args.what in ("report", "speed", "reconstruct", "concerning"):
        RESULTS.write_text(report(), encoding="utf-8")


if __name__ == "__main__":
    main()
