"""Evaluation experiments: inference rows/s, metric throughput, a two-model table, a resumed run.

On the first N DialogSum test dialogues (three human references each), in a fresh project under
benchmarks/.work/ (so the LLM cache starts empty):

1. inference rows/s of the fake model and of the embedded local LLM (SmolLM2-135M);
2. metric throughput (pairs/s) of every registered metric on the local model's predictions;
3. the results table of two models (the local LLM with the task's prompt, and with a terse
   system prompt) with bootstrap 95% CIs, and their paired comparison;
4. a resumed run: a child process runs a third configuration and is killed mid-way; the rerun
   is timed and counts the rows it served from the LLM cache.

    .venv/bin/python benchmarks/bench_eval.py [--rows 100] [--max-tokens 60] [--kill-after 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DIALOGSUM = ROOT.parent / "shared/data/dialogsum/dialogsum.test.jsonl"
WORK = ROOT / "benchmarks/.work/eval"
REFS = ["summary1", "summary2", "summary3"]
TERSE = "You write very short summaries: at most 15 words, one sentence."
RESUME_PROMPT = "Summarize the dialogue in one sentence naming who does what."


def setup(rows: int) -> None:
    import gristmill as gm
    from gristmill.data.sources import JSONSource

    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    with DIALOGSUM.open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(rows)]
    (WORK / "dialogsum.jsonl").write_text("".join(lines), encoding="utf-8")
    gm.set_project_dir(WORK / "project")
    source = JSONSource(filepaths=[str(WORK / "dialogsum.jsonl")])
    gm.create_dataset(gm.DatasetConfig(namespace="bench", name="dialogsum", source=source),
                      show_progress=False)  # fmt: skip


def experiment(
    name: str, models: list[object], rows: int, max_tokens: int, metrics: list[str]
) -> Any:
    from gristmill.evals import Experiment

    return Experiment(
        "bench/dialogsum",
        "dialogue",
        REFS,
        models=models,  # type: ignore[arg-type]
        metrics=metrics,
        name=name,
        max_samples=rows,
        max_tokens=max_tokens,
        concurrency=1,
    )


def timed_run(exp: object) -> tuple[object, float]:
    started = time.perf_counter()
    result = exp.run(show_progress=False)  # type: ignore[attr-defined]
    return result, time.perf_counter() - started


def metric_throughput(result: object, model: str) -> dict[str, float | str]:
    from gristmill.evals import LLMJudgeMetric, get_metric, list_metrics
    from gristmill.evals.experiments._scoring import SampleRows, score_metric

    frame = result.per_row(model)  # type: ignore[attr-defined]
    sample = SampleRows(list(frame["__rowid__"]), list(frame["input"]), list(frame["references"]))
    predictions = list(frame["prediction"])
    figures: dict[str, float | str] = {}
    for name in list_metrics():
        metric = LLMJudgeMetric("fake") if name == "llm_judge" else get_metric(name)
        try:
            score_metric(metric, predictions[:2], SampleRows(sample.rowids[:2], sample.inputs[:2],
                                                             sample.references[:2]))  # fmt: skip
            started = time.perf_counter()
            score_metric(metric, predictions, sample)
            figures[name] = len(predictions) / (time.perf_counter() - started)
        except Exception as error:  # a metric whose dependency is missing here
            figures[name] = f"unavailable: {error}"
    return figures


def child(rows: int, max_tokens: int) -> None:
    import gristmill as gm

    gm.set_project_dir(WORK / "project")
    model = {"address": "local", "label": "local-resume", "system_prompt": RESUME_PROMPT}
    exp = experiment("resume", [model], rows, max_tokens, ["rouge"])
    exp.run(show_progress=False)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--local-rows", type=int, default=100, help="rows for the local LLM")
    parser.add_argument("--max-tokens", type=int, default=60)
    parser.add_argument("--kill-after", type=float, default=30.0)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.rows, args.max_tokens)
        return
    setup(args.rows)
    from gristmill.llm import local_llm_available

    report: dict[str, object] = {"rows": args.rows, "max_tokens": args.max_tokens}
    _, fake_s = timed_run(experiment("fake", ["fake"], args.rows, args.max_tokens, ["rouge"]))
    report["fake_experiment_rows_per_s"] = args.rows / fake_s
    if not local_llm_available():
        print(json.dumps(report, indent=2))
        print("the local LLM is not installed: the rest needs it")
        return
    models: list[object] = ["local", {"address": "local", "label": "local-terse",
                                      "system_prompt": TERSE}]  # fmt: skip
    metrics = ["rouge", "bleu", "chrf", "bertscore_minilm", "token_f1", "answer_length"]
    rows = args.local_rows
    report["local_rows"] = rows
    result, both_s = timed_run(experiment("two-models", models, rows, args.max_tokens, metrics))
    report["two_models_experiment_s"] = both_s
    report["local_rows_per_s"] = 2 * rows / both_s
    print(result)
    print(result.compare("local", "local-terse"))  # type: ignore[attr-defined]
    report["table"] = result.format_table()  # type: ignore[attr-defined]
    report["compare"] = str(result.compare("local", "local-terse"))  # type: ignore[attr-defined]
    report["metric_pairs_per_s"] = metric_throughput(result, "local")
    _, cached_s = timed_run(experiment("two-models", models, rows, args.max_tokens, metrics))
    report["rerun_all_done_s"] = cached_s

    env = {**os.environ, "GRISTMILL_PROJECT_DIR": str(WORK / "project")}
    command = [sys.executable, __file__, "--child", "--rows", str(rows), "--max-tokens",
               str(args.max_tokens)]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    time.sleep(args.kill_after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    model = {"address": "local", "label": "local-resume", "system_prompt": RESUME_PROMPT}
    result, resume_s = timed_run(experiment("resume", [model], rows, args.max_tokens,
                                            ["rouge"]))  # fmt: skip
    frame = result.per_row("local-resume")  # type: ignore[attr-defined]
    import gristmill as gm

    ds = gm.get_dataset("bench", "dialogsum")
    cached = ds.count(filters=[("dialogue__pred__local-resume.cached", "equals", True)])
    report["resume"] = {"killed_after_s": args.kill_after, "rerun_s": resume_s,
                        "rows_from_cache": cached, "rows": len(frame)}  # fmt: skip
    print(json.dumps({k: v for k, v in report.items() if k not in ("table", "compare")}, indent=2))
    (WORK / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
