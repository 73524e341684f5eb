"""Backoff between retries: exponential with jitter, and the server's Retry-After as a floor."""

from __future__ import annotations

import email.utils
import random
import time


def backoff_delay(
    attempt: int,
    *,
    base_s: float,
    max_s: float,
    retry_after_s: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based).

    Jitter (a uniform draw between half and all of the exponential ceiling) spreads out many
    threads or clients hitting the same rate limit while still backing off. A server's
    Retry-After is honoured as a floor, capped at ``max_s`` so a misbehaving server cannot
    stall a job for hours.
    """
    ceiling = min(max_s, base_s * (2**attempt))
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, max_s))
    return delay


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as seconds from now, None if absent/bad."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
