"""Which failed calls are retried, and the backoff between retries: exponential with jitter,
and the server's Retry-After as a floor."""

from __future__ import annotations

import email.utils
import random
import time

from gristmill.llm._dialects import names_response_format

# Statuses that say "not now" rather than "not this": overload, rate limits, gateways, timeouts.
_TRANSIENT_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})
# Always transient, whatever the body says.
_BUSY_STATUSES = frozenset({408, 425, 429, 503, 529})


def is_transient(status: int, detail: str) -> bool:
    """True when an HTTP error is worth retrying after a pause.

    A 500, 502 or 504 usually is (a crashed worker, a restarting gateway), but not one whose
    message names the request's own fields: llama-cpp-python's server answers a pydantic
    validation error, such as a ``response_format`` it does not know, with HTTP 500, and
    asking the same thing again gets the same answer.
    """
    if status in _BUSY_STATUSES:
        return True
    if status not in _TRANSIENT_STATUSES:
        return False
    return not (names_response_format(detail) or "validation error" in detail.lower())


def transient_hint(status: int) -> str:
    """What a transient failure with this status means, for the error once retries run out."""
    if status == 429:
        return "rate limited: lower the batch concurrency or wait"
    if status in (503, 529):
        return "the server is overloaded: lower the batch concurrency or wait"
    if status in (408, 504):
        return "the server or a gateway timed out: raise timeout_s or lower the concurrency"
    return "the server failed while answering: check its logs; the call was retried"


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
