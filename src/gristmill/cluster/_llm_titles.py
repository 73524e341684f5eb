"""Cluster and category titles from an LLM, with phrase titles as the fallback.

Each group is titled from its most central members and its distinctive phrases (its phrase
title). The prompt also names what the nearby groups are about (their phrase titles, each with
one typical member as a contrast example), so the model picks the detail that sets this group
apart rather than the theme it shares with its neighbours: without that, adjacent clusters come
back with the same title. Answers are structured (``{"title": ...}``); the LLM layer re-asks on
malformed output, and a group whose answer is still malformed keeps its phrase title, which is
reported.

Any other failure of the LLM step (the server refused the request, failed, or stayed overloaded
past the retries) stops asking at once: the groups not titled yet keep their keyword titles and
the outcome carries the error to report. Only a server that cannot be reached at all is raised
as it is, since then the address or the server needs fixing and a rerun resumes.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from gristmill.errors import ProviderError, ProviderUnreachableError
from gristmill.llm import LLM, Completion, CompletionRequest

TEXT_TOKENS = 80
MAX_TITLE_CHARS = 80
CONCURRENCY = 4
TITLE_DESCRIPTION = "a short, specific title of two to six words"

_SYSTEM = (
    "You name groups of texts taken from a dataset. Reply with a short, specific title of two "
    "to six words that says what the texts in the group have in common and sets the group apart "
    "from the nearby groups listed. No quotes, no trailing period."
)


# The structured answer asked of the LLM. No class docstring on purpose: pydantic puts it in the
# JSON schema shown to the model, and a small local model (SmolLM2-135M) copied it back as the
# title ("The structured answer asked of the LLM") for a quarter of the emotion clusters.
class GroupTitle(BaseModel):
    title: str = Field(description=TITLE_DESCRIPTION)


@dataclass
class TitleOutcome:
    """Titles in group order, which groups fell back to their keyword title, and the error that
    stopped the LLM step (None when every group got an answer, well formed or not)."""

    titles: list[str]
    fallbacks: list[int] = field(default_factory=list)
    failure: ProviderError | None = None


class _StopAskingError(Exception):
    """Raised from the batch's result callback to drop the calls not started yet."""


def llm_titles(
    llm: LLM,
    members: Sequence[Sequence[str]],
    keyword_titles: Sequence[str],
    neighbours: Sequence[Sequence[int]],
    *,
    what: str,
    seed: int,
    examples: Sequence[str] | None = None,
) -> TitleOutcome:
    """Ask ``llm`` for a title per group; groups without a usable answer keep their
    ``keyword_titles`` (the offline titles). ``examples`` holds one typical member per group,
    shown as contrast for the groups it is near. Raises ProviderUnreachableError when the server
    cannot be reached."""
    requests = [
        CompletionRequest(
            prompt=_prompt(
                llm,
                texts,
                keyword_titles[index],
                [(keyword_titles[j], examples[j] if examples else "") for j in near],
                what,
            ),
            system_prompt=_SYSTEM,
            temperature=0.0,
            max_tokens=48,
            seed=seed,
        )
        for index, (texts, near) in enumerate(zip(members, neighbours, strict=True))
    ]
    answers: dict[int, Completion | ProviderError] = {}
    failures: list[ProviderError] = []
    lock = threading.Lock()

    def collect(index: int, result: Completion | ProviderError) -> None:
        with lock:
            answers[index] = result
            if isinstance(result, ProviderError) and not _is_malformed_output(result):
                failures.append(result)
                # The call already took its retries: asking for the next groups would only
                # repeat the failure, once per group.
                raise _StopAskingError

    with contextlib.suppress(_StopAskingError):
        llm.complete_batch(
            requests,
            response_format=GroupTitle,
            concurrency=CONCURRENCY,
            return_exceptions=True,
            on_result=collect,
        )
    unreachable = [error for error in failures if isinstance(error, ProviderUnreachableError)]
    if unreachable:
        raise unreachable[0]
    titles: list[str] = []
    fallbacks: list[int] = []
    for index in range(len(requests)):
        result = answers.get(index)
        title = "" if result is None or isinstance(result, ProviderError) else _answer(result)
        if not title:
            fallbacks.append(index)
            title = keyword_titles[index]
        titles.append(title)
    failure = failures[0] if failures else None
    return TitleOutcome(_distinguish(titles, keyword_titles), fallbacks, failure)


def _answer(result: Completion) -> str:
    return _clean(result.parsed.title) if isinstance(result.parsed, GroupTitle) else ""


def _prompt(
    llm: LLM, texts: Sequence[str], phrases: str, nearby: Sequence[tuple[str, str]], what: str
) -> str:
    def short(text: str) -> str:
        return llm.truncate(" ".join(text.split()), TEXT_TOKENS)

    shown = "\n".join(f"- {short(t)}" for t in texts)
    lines = [f"{what.capitalize()} members (the most typical first):", shown]
    lines += ["", f"Its distinctive phrases: {phrases}"]
    if nearby:
        lines += ["", f"Nearby {what}s, which get other titles, are about:"]
        lines += [
            f"- {title}" + (f' (e.g. "{short(example)}")' if example else "")
            for title, example in nearby
        ]
    lines += ["", f"Title of this {what}:"]
    return "\n".join(lines)


def _names_the_field(text: str) -> bool:
    """A one-word answer that is (a misspelling of) "title", "cluster" or "category": SmolLM2
    answered "Titlle" for most categories of the emotion set."""
    from difflib import SequenceMatcher

    word = text.lower()
    return " " not in word and any(
        SequenceMatcher(None, word, name).ratio() >= 0.8
        for name in ("title", "cluster", "category")
    )


def _is_malformed_output(error: ProviderError) -> bool:
    # The LLM layer raises a plain ProviderError once its validate-and-re-ask loop gives up: the
    # model answered this group badly, and the next group may well go better. Every other
    # failure names an HTTP status or a transport error, and says the server itself failed.
    return error.__cause__ is None and "valid structured output" in error.message


def _clean(title: Any) -> str:
    text = " ".join(str(title).split()).strip(" \"'`*#.:-")
    # "Title:", "Cluster 1:", "Category 3 -": the model numbering its answer, not the group.
    text = re.sub(r"^(title|cluster|category)(\s*\d+)?\s*[:\-]\s*", "", text, flags=re.IGNORECASE)
    if text.lower() == TITLE_DESCRIPTION or _names_the_field(text):
        return ""  # the schema's wording or the word "title" echoed back: no answer at all
    return text[:MAX_TITLE_CHARS].strip()


def _distinguish(titles: list[str], keyword_titles: Sequence[str]) -> list[str]:
    """Titles that came back identical get their keywords appended, so no two groups share one."""
    seen: dict[str, int] = {}
    for title in titles:
        seen[title.lower()] = seen.get(title.lower(), 0) + 1
    return [
        f"{title} ({keyword_titles[i]})" if seen[title.lower()] > 1 else title
        for i, title in enumerate(titles)
    ]
