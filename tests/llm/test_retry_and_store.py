from __future__ import annotations

import multiprocessing
import random
from pathlib import Path

from gristmill.llm._provider import ProviderReply
from gristmill.llm._retry import backoff_delay, parse_retry_after
from gristmill.llm._store import LLMStore


def test_backoff_grows_is_capped_and_honours_retry_after() -> None:
    rng = random.Random(0)
    delays = [backoff_delay(n, base_s=1, max_s=10, rng=rng) for n in range(8)]
    for attempt, delay in enumerate(delays):
        ceiling = min(10, 2**attempt)
        assert ceiling / 2 <= delay <= ceiling
    assert backoff_delay(0, base_s=1, max_s=60, retry_after_s=30, rng=rng) == 30
    assert backoff_delay(0, base_s=1, max_s=60, retry_after_s=3600, rng=rng) == 60


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("12") == 12
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


def _write_many(path: str, worker: int) -> None:
    store = LLMStore(Path(path))
    for index in range(50):
        key = f"{worker}-{index}"
        store.put(key, {"provider": "fake", "model": "m"}, ProviderReply(text=key))
        store.record_usage(
            provider="fake",
            model="m",
            input_tokens=1,
            output_tokens=1,
            latency_s=0.0,
            cost=None,
            cached=False,
        )


def test_the_store_is_safe_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "llm_cache.sqlite"
    LLMStore(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(path), n)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    store = LLMStore(path)
    assert store.summary().calls == 150
    reply = store.get("2-49")
    assert reply is not None and reply.text == "2-49"
    assert store.clear_responses() == 150
    assert store.get("2-49") is None
