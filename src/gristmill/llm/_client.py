"""The LLM client: one object that completes prompts through any provider.

It owns what every provider shares: the response cache and usage log, retries with backoff,
structured output with validate-and-re-ask, batching with a concurrency limit, and token
counting. Providers only turn one call into one reply.

Caching covers every call, temperature > 0 included: a rerun or a resumed job must never pay
twice, and an answer drawn once at temperature 0.7 is as good a draw on the rerun. To draw
several different answers to one prompt, vary ``seed`` (it is part of the key and goes to the
server); to skip the cache, pass ``cache=False``.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from gristmill.errors import InvalidInputError, ProviderError
from gristmill.llm._completion import (
    Completion,
    CompletionRequest,
    Prompt,
    Usage,
    normalize_messages,
)
from gristmill.llm._provider import (
    Provider,
    ProviderCall,
    ProviderReply,
    RetryableProviderError,
)
from gristmill.llm._retry import backoff_delay
from gristmill.llm._schema import InvalidAnswerError, structured_output, with_schema_instruction
from gristmill.llm._settings import LLMSettings
from gristmill.llm._store import LLMStore, ModelUsage, UsageSummary, open_store, request_key

BatchItem = str | list[dict[str, str]] | CompletionRequest


class LLM:
    """A configured LLM. Safe to share between threads; use ``complete_batch`` for many calls."""

    def __init__(
        self,
        settings: LLMSettings,
        provider: Provider,
        *,
        cache: bool = True,
        cache_path: str | os.PathLike[str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.provider = provider
        self.cache = cache
        self._cache_path = Path(cache_path) if cache_path is not None else None
        self._store: LLMStore | None = None
        self._sleep = sleep
        self._lock = threading.Lock()
        self._usage = UsageSummary()

    def __repr__(self) -> str:
        identity = self.provider.identity()
        shown = ", ".join(
            f"{key}={identity[key]!r}"
            for key in ("provider", "model", "base_url")
            if key in identity
        )
        return f"LLM({shown}, cache={self.cache})"

    def __fingerprint__(self) -> dict[str, Any]:
        """What decides this LLM's answers, so a map calling it can resume (data/fingerprint.py);
        its lock, cache and usage counters do not."""
        return {
            "settings": self.settings.model_dump(mode="json"),
            "model": self.provider.identity(),
        }

    def __enter__(self) -> LLM:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.provider.close()

    @property
    def store(self) -> LLMStore:
        """The cache and usage file, opened on first use so building an LLM touches no disk."""
        with self._lock:
            if self._store is None:
                self._store = open_store(self._cache_path)
            return self._store

    def complete(
        self,
        prompt: Prompt,
        *,
        response_format: Any = None,
        system_prompt: str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        seed: int | None = None,
        cache: bool | None = None,
    ) -> Completion:
        """Answer a prompt string or a list of chat messages.

        With ``response_format`` (a pydantic model class or a JSON schema dict) the answer is
        constrained where the backend can, always validated, re-asked with the error up to
        ``structured_retries`` times, and returned parsed in ``Completion.parsed``.
        """
        request = CompletionRequest(
            prompt=prompt,
            response_format=response_format,
            system_prompt=system_prompt,
            temperature=temperature,
            max_tokens=max_tokens,
            seed=seed,
        )
        return self._complete(request, self.cache if cache is None else cache)

    def complete_batch(
        self,
        requests: Sequence[BatchItem],
        *,
        response_format: Any = None,
        concurrency: int = 8,
        return_exceptions: bool = False,
        on_result: Callable[[int, Completion | ProviderError], None] | None = None,
    ) -> list[Any]:
        """Answer many prompts, at most ``concurrency`` at a time, results in input order.

        Each item is a prompt, a message list or a CompletionRequest (its own response_format
        wins over the batch's). On a failure the calls not yet started are dropped and the error
        is raised; every answer finished before it is in the cache, so a rerun resumes for free.
        With ``return_exceptions`` a failed item's ProviderError takes its place in the list.
        ``on_result(index, result)`` is called as each item finishes (for progress bars); an
        exception it raises stops the batch as a failed call does, and is raised.
        """
        if concurrency < 1:
            raise InvalidInputError(
                f"concurrency must be at least 1, got {concurrency}", hint="e.g. concurrency=8"
            )
        prepared = [self._as_request(item, response_format) for item in requests]
        for request in prepared:  # bad input fails before any call is paid for
            normalize_messages(request.prompt, request.system_prompt)
            structured_output(request.response_format)
        results: list[Any] = [None] * len(prepared)
        if not prepared:
            return results

        def run(index: int) -> None:
            try:
                results[index] = self._complete(prepared[index], self.cache)
            except ProviderError as error:
                if not return_exceptions:
                    raise
                results[index] = error
            if on_result is not None:
                on_result(index, results[index])

        with ThreadPoolExecutor(max_workers=min(concurrency, len(prepared))) as pool:
            futures: list[Future[None]] = [pool.submit(run, i) for i in range(len(prepared))]
            _, pending = wait(futures, return_when=FIRST_EXCEPTION)
            for future in pending:
                future.cancel()
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is not None:
                error = future.exception()
                assert error is not None
                finished = sum(result is not None for result in results)
                error.add_note(
                    f"{finished} of {len(prepared)} requests finished and are cached; "
                    "rerunning the batch resumes without paying for them again"
                )
                raise error
        return results

    def count_tokens(self, text: Prompt) -> int:
        """Tokens in a text or in the contents of a message list (the model's tokenizer if
        local, else an estimate; chat-template overhead is not counted)."""
        if isinstance(text, str):
            return self.provider.count_tokens(text)
        return sum(self.provider.count_tokens(message["content"]) for message in text)

    def truncate(self, text: str, max_tokens: int) -> str:
        """The longest start of ``text`` that fits in ``max_tokens`` tokens."""
        if self.provider.count_tokens(text) <= max_tokens:
            return text
        return self.provider.truncate(text, max_tokens)

    def usage(self) -> UsageSummary:
        """Usage of the calls made through this object (``usage_summary()`` has the project's)."""
        with self._lock:
            return self._usage.model_copy(deep=True)

    # -- internals -----------------------------------------------------------------------

    @staticmethod
    def _as_request(item: BatchItem, response_format: Any) -> CompletionRequest:
        if isinstance(item, CompletionRequest):
            if item.response_format is None and response_format is not None:
                return dataclasses.replace(item, response_format=response_format)
            return item
        return CompletionRequest(prompt=item, response_format=response_format)

    def _complete(self, request: CompletionRequest, use_cache: bool) -> Completion:
        settings = self.settings
        messages = normalize_messages(
            request.prompt, request.system_prompt or settings.system_prompt
        )
        spec = structured_output(request.response_format)
        native = spec is not None and settings.structured_output == "auto"
        if spec is not None and not native:
            messages = with_schema_instruction(messages, spec.schema)
        usage, latency, all_cached, last_error = Usage(), 0.0, True, ""
        attempts = (settings.structured_retries + 1) if spec is not None else 1
        for attempt in range(1, attempts + 1):
            call = ProviderCall(
                messages=messages,
                temperature=settings.temperature
                if request.temperature is None
                else request.temperature,
                max_tokens=request.max_tokens or settings.max_tokens,
                top_p=settings.top_p if request.top_p is None else request.top_p,
                top_k=request.top_k,
                min_p=request.min_p,
                template_args=request.template_args,
                seed=settings.seed if request.seed is None else request.seed,
                stop=settings.stop,
                json_schema=spec.schema if native and spec is not None else None,
                schema_name=spec.name if spec is not None else "response",
            )
            reply, cached, seconds = self._call(call, use_cache)
            usage = usage + Usage(
                input_tokens=reply.input_tokens or 0, output_tokens=reply.output_tokens or 0
            )
            latency += seconds
            all_cached = all_cached and cached
            parsed: Any = None
            if spec is not None:
                try:
                    parsed = spec.parse(reply.text)
                except InvalidAnswerError as invalid:
                    last_error = str(invalid)
                    if reply.finish_reason == "length":
                        last_error += f" (the reply was cut off at max_tokens={call.max_tokens})"
                    messages = [
                        *messages,
                        {"role": "assistant", "content": reply.text},
                        {"role": "user", "content": spec.reask(last_error)},
                    ]
                    continue
            cost = settings.cost(usage.input_tokens, usage.output_tokens)
            return Completion(
                text=reply.text,
                parsed=parsed,
                usage=usage,
                latency_s=latency,
                cost=0.0 if all_cached and cost is not None else cost,
                cached=all_cached,
                provider=settings.provider,
                model=self.provider.identity().get("model", settings.model),
                finish_reason=reply.finish_reason,
                attempts=attempt,
            )
        raise ProviderError(
            f"{self._label()} did not return valid structured output in {attempts} attempts; "
            f"last problem: {last_error}",
            hint="try a stronger model, a simpler schema, or a higher structured_retries",
        )

    def _call(self, call: ProviderCall, use_cache: bool) -> tuple[ProviderReply, bool, float]:
        identity = self.provider.identity()
        key = request_key(identity, call.cache_fields())
        started = time.perf_counter()
        if use_cache:
            hit = self.store.get(key)
            if hit is not None:
                self._record(hit, time.perf_counter() - started, cached=True)
                return hit, True, time.perf_counter() - started
        reply = self._generate_with_retries(call)
        if reply.input_tokens is None or reply.output_tokens is None:
            reply = reply.model_copy(
                update={
                    "input_tokens": reply.input_tokens
                    if reply.input_tokens is not None
                    else self.count_tokens(call.messages),
                    "output_tokens": reply.output_tokens
                    if reply.output_tokens is not None
                    else self.provider.count_tokens(reply.text),
                }
            )
        seconds = time.perf_counter() - started
        if use_cache:
            self.store.put(key, identity, reply)
        self._record(reply, seconds, cached=False)
        return reply, False, seconds

    def _generate_with_retries(self, call: ProviderCall) -> ProviderReply:
        settings = self.settings
        for attempt in range(settings.max_retries + 1):
            try:
                return self.provider.generate(call)
            except RetryableProviderError as failure:
                if attempt == settings.max_retries:
                    # Same class as the failure: an unreachable server stays unreachable.
                    raise type(failure.error)(
                        f"{failure.error.message} (gave up after {attempt + 1} attempts)",
                        hint=failure.error.hint,
                    ) from failure
                self._sleep(
                    backoff_delay(
                        attempt,
                        base_s=settings.retry_base_delay_s,
                        max_s=settings.retry_max_delay_s,
                        retry_after_s=failure.retry_after_s,
                    )
                )
        raise AssertionError("unreachable: the loop returns or raises")

    def _record(self, reply: ProviderReply, seconds: float, *, cached: bool) -> None:
        tokens_in, tokens_out = reply.input_tokens or 0, reply.output_tokens or 0
        cost = self.settings.cost(tokens_in, tokens_out)
        if cached and cost is not None:
            cost = 0.0
        model = self.provider.identity().get("model", self.settings.model)
        self.store.record_usage(
            provider=self.settings.provider,
            model=model,
            input_tokens=tokens_in,
            output_tokens=tokens_out,
            latency_s=seconds,
            cost=cost,
            cached=cached,
        )
        with self._lock:
            label = f"{self.settings.provider}/{model}"
            for usage in (self._usage, self._usage.by_model.setdefault(label, ModelUsage())):
                usage.calls += 1
                usage.cached_calls += int(cached)
                if not cached:
                    usage.input_tokens += tokens_in
                    usage.output_tokens += tokens_out
                if cost is not None:
                    usage.cost = (usage.cost or 0.0) + cost
            self._usage.latency_s += seconds

    def _label(self) -> str:
        return f"{self.settings.provider}/{self.provider.identity().get('model', '')}"
