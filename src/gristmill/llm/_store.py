"""The LLM response cache and usage log: one SQLite file in the project folder.

``<project>/cache/llm_cache.sqlite`` holds two tables: ``responses`` (a provider reply per
request key) and ``usage`` (one row per call, cache hits included). The key is a SHA-256 of the
provider's identity (provider, model, base URL), the final messages, every generation parameter
and the response schema, so any change that could change the answer misses the cache. API keys
are never part of a key or a row.

Safety: WAL journaling lets readers and one writer work at once; every thread (and every
process, after a fork) opens its own connection, and SQLite's file locks serialize writers
across processes, with a busy timeout instead of errors under contention.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, computed_field

from gristmill.llm._provider import ProviderReply
from gristmill.project import get_project_dir

CACHE_FILENAME = "llm_cache.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    text TEXT NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    finish_reason TEXT,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS usage (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    latency_s REAL NOT NULL,
    cost REAL,
    cached INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_at ON usage (at);
"""


class ModelUsage(BaseModel):
    calls: int = 0
    cached_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None


class UsageSummary(BaseModel):
    """Calls, cache hits, tokens and cost; tokens and cost count only calls that were paid.

    ``cost`` is None when no call had a price configured.
    """

    calls: int = 0
    cached_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None
    latency_s: float = 0.0
    by_model: dict[str, ModelUsage] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cache_hit_rate(self) -> float:
        return self.cached_calls / self.calls if self.calls else 0.0


def request_key(identity: dict[str, str], call: dict[str, Any]) -> str:
    """The cache key of one provider call."""
    canonical = json.dumps(
        {"identity": identity, "call": call}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class LLMStore:
    """Responses and usage in one SQLite file, safe across threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connection().executescript(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        # A connection must not cross a fork or be shared between threads.
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None or getattr(self._local, "pid", None) != os.getpid():
            connection = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
            self._local.pid = os.getpid()
        return connection

    def get(self, key: str) -> ProviderReply | None:
        row = (
            self._connection()
            .execute(
                "SELECT text, input_tokens, output_tokens, finish_reason FROM responses"
                " WHERE key = ?",
                (key,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return ProviderReply(
            text=row[0], input_tokens=row[1], output_tokens=row[2], finish_reason=row[3]
        )

    def put(self, key: str, identity: dict[str, str], reply: ProviderReply) -> None:
        self._connection().execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                identity.get("provider", ""),
                identity.get("model", ""),
                reply.text,
                reply.input_tokens,
                reply.output_tokens,
                reply.finish_reason,
                time.time(),
            ),
        )

    def record_usage(
        self,
        *,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        latency_s: float,
        cost: float | None,
        cached: bool,
    ) -> None:
        self._connection().execute(
            "INSERT INTO usage (at, provider, model, input_tokens, output_tokens, latency_s,"
            " cost, cached) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (time.time(), provider, model, input_tokens, output_tokens, latency_s, cost, cached),
        )

    def summary(self, *, since: float | None = None) -> UsageSummary:
        """Usage recorded since the ``since`` timestamp (all of it by default)."""
        rows = (
            self._connection()
            .execute(
                "SELECT provider, model, COUNT(*), SUM(cached),"
                " SUM(CASE WHEN cached THEN 0 ELSE input_tokens END),"
                " SUM(CASE WHEN cached THEN 0 ELSE output_tokens END),"
                " SUM(cost), SUM(latency_s)"
                " FROM usage WHERE at >= ? GROUP BY provider, model",
                (since or 0.0,),
            )
            .fetchall()
        )
        summary = UsageSummary()
        for provider, model, calls, cached, tokens_in, tokens_out, cost, latency in rows:
            entry = ModelUsage(
                calls=calls,
                cached_calls=cached or 0,
                input_tokens=tokens_in or 0,
                output_tokens=tokens_out or 0,
                cost=cost,
            )
            summary.by_model[f"{provider}/{model}"] = entry
            summary.calls += entry.calls
            summary.cached_calls += entry.cached_calls
            summary.input_tokens += entry.input_tokens
            summary.output_tokens += entry.output_tokens
            summary.latency_s += latency or 0.0
            if cost is not None:
                summary.cost = (summary.cost or 0.0) + cost
        return summary

    def clear_responses(self) -> int:
        """Forget every cached response (usage is kept); returns how many were removed."""
        return self._connection().execute("DELETE FROM responses").rowcount


_stores: dict[Path, LLMStore] = {}
_stores_lock = threading.Lock()


def open_store(path: Path | None = None) -> LLMStore:
    """The store at ``path`` (default: the project's cache file), shared within the process."""
    if path is None:
        path = get_project_dir() / "cache" / CACHE_FILENAME
    resolved = path.resolve()
    with _stores_lock:
        store = _stores.get(resolved)
        if store is None:
            store = _stores[resolved] = LLMStore(resolved)
        return store


def usage_summary(*, since: float | None = None, path: Path | None = None) -> UsageSummary:
    """Usage of every LLM call recorded in the project (or the cache file at ``path``)."""
    return open_store(path).summary(since=since)
