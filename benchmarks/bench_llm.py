"""LLM layer figures: local model tokens/s, structured output, cache hit rate on a rerun, and the
token-count approximation against the local model's tokenizer.

    .venv/bin/python benchmarks/bench_llm.py [--prompts 12]

Needs gristmill[local-llm] for the local-model figures; the cache and approximation parts fall
back to the fake provider without it. Uses a throwaway project folder, never the user's.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from gristmill.llm import (
    LLM,
    approximate_token_count,
    get_llm,
    local_llm_available,
    usage_summary,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "alpaca_subset"
TITLE_SCHEMA = {
    "type": "object",
    "properties": {"title": {"type": "string", "maxLength": 60}},
    "required": ["title"],
}


def load_texts(limit: int) -> list[str]:
    path = DATA / "alpaca_data_5k.jsonl"
    if not path.exists():
        return [f"Explain topic number {i} in two sentences." for i in range(limit)]
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts.append(f"{row['instruction']} {row['input']}".strip())
            if len(texts) == limit:
                break
    return texts


def generation_speed(llm: LLM, prompts: list[str]) -> None:
    llm.complete("warm up", cache=False, max_tokens=4)
    started = time.perf_counter()
    tokens_out = tokens_in = 0
    for prompt in prompts:
        answer = llm.complete(prompt, cache=False, max_tokens=64)
        tokens_out += answer.usage.output_tokens
        tokens_in += answer.usage.input_tokens
    seconds = time.perf_counter() - started
    print(
        f"free text: {len(prompts)} prompts, {tokens_in} tokens in, {tokens_out} out in "
        f"{seconds:.1f} s -> {tokens_out / seconds:.1f} output tokens/s "
        f"({(tokens_in + tokens_out) / seconds:.1f} total tokens/s)"
    )
    started = time.perf_counter()
    valid = 0
    for prompt in prompts:
        answer = llm.complete(
            f"Write a short title for this task: {prompt}",
            response_format=TITLE_SCHEMA,
            cache=False,
            max_tokens=48,
        )
        valid += isinstance(answer.parsed, dict)
    seconds = time.perf_counter() - started
    print(
        f"structured: {valid}/{len(prompts)} schema-valid titles, "
        f"{seconds / len(prompts):.2f} s per title"
    )


def rerun_hit_rate(address: str, prompts: list[str], folder: Path) -> None:
    first = get_llm(address, project_dir=folder, max_tokens=48)
    started = time.perf_counter()
    results = first.complete_batch(
        prompts, response_format=TITLE_SCHEMA, concurrency=4, return_exceptions=True
    )
    cold = time.perf_counter() - started
    failed = sum(not hasattr(result, "parsed") for result in results)
    since = time.time()
    rerun = get_llm(address, project_dir=folder, max_tokens=48)
    started = time.perf_counter()
    rerun.complete_batch(
        prompts, response_format=TITLE_SCHEMA, concurrency=4, return_exceptions=True
    )
    warm = time.perf_counter() - started
    summary = usage_summary(since=since, path=folder / "cache" / "llm_cache.sqlite")
    print(
        f"cache ({address}): first run {cold:.2f} s, rerun {warm:.3f} s, rerun hit rate "
        f"{summary.cache_hit_rate:.0%} ({summary.cached_calls}/{summary.calls} calls), "
        f"{summary.output_tokens} tokens paid on the rerun; {failed} prompts without a valid "
        "answer after re-asks"
    )


def approximation_error(llm: LLM, texts: list[str]) -> None:
    exact = sum(llm.count_tokens(text) for text in texts)
    estimate = sum(approximate_token_count(text) for text in texts)
    print(
        f"token estimate vs {llm.settings.provider} tokenizer on {len(texts)} texts: "
        f"{estimate} vs {exact} ({(estimate - exact) / exact:+.1%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompts", type=int, default=12)
    args = parser.parse_args()
    prompts = load_texts(args.prompts)
    with tempfile.TemporaryDirectory() as folder:
        if local_llm_available():
            local = get_llm("local", project_dir=Path(folder) / "speed")
            generation_speed(local, prompts)
            approximation_error(local, load_texts(2000))
            rerun_hit_rate("local", prompts, Path(folder) / "rerun")
        else:
            print("local LLM not installed (pip install 'gristmill[local-llm]'): using fake")
            rerun_hit_rate("fake", prompts, Path(folder) / "rerun")


if __name__ == "__main__":
    main()
