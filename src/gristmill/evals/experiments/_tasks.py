"""Tasks: how an example becomes a prompt, and how a model's answer is read back.

A task is a prompt template with ``{input}`` (plus named options such as ``{target_language}``),
a default system prompt, a default answer length and default metrics. Built-ins cover
summarization, question answering, translation and classification; any other string holding
``{input}`` is a custom template. Classification reads the answer back as one of the labels,
so "Label: Positive." and "positive" both count as the label ``positive``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gristmill.errors import InvalidInputError


@dataclass(frozen=True)
class Task:
    """A prompt template with its defaults; ``labels`` only for classification."""

    name: str
    template: str
    system_prompt: str | None
    max_tokens: int
    metrics: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)
    labels: tuple[str, ...] = ()

    def prompt(self, text: str) -> str:
        """The prompt for one example."""
        values = {**self.options, "labels": ", ".join(self.labels), "input": text}
        return self.template.format_map(_Strict(values))

    def read_answer(self, text: str | None) -> str | None:
        """The answer as scored: for classification the label it names, else the text."""
        if text is None or not self.labels:
            return text
        return match_label(text, self.labels)


class _Strict(dict[str, Any]):
    def __missing__(self, key: str) -> Any:
        raise InvalidInputError(
            f"the prompt template uses '{{{key}}}', which no option provides",
            hint=f"pass task_options={{'{key}': ...}}, "
            f"or write '{{{{{key}}}}}' for a literal brace",
        )


BUILTIN_TASKS: dict[str, Task] = {
    "summarization": Task(
        name="summarization",
        template="Summarize the following text in one or two sentences.\n\n{input}\n\nSummary:",
        system_prompt="You write short, faithful summaries. Answer with the summary only.",
        max_tokens=128,
        metrics=("rouge", "bleu"),
    ),
    "question_answering": Task(
        name="question_answering",
        template="Answer the question using the text. Be brief.\n\n{input}\n\nAnswer:",
        system_prompt="You answer questions accurately and briefly. Answer with the answer only.",
        max_tokens=96,
        metrics=("token_f1", "exact_match", "rouge"),
    ),
    "translation": Task(
        name="translation",
        template="Translate the following text into {target_language}.\n\n{input}\n\nTranslation:",
        system_prompt="You are a careful translator. Answer with the translation only.",
        max_tokens=256,
        metrics=("bleu", "chrf"),
        options={"target_language": "English"},
    ),
    "classification": Task(
        name="classification",
        template="Classify the text into exactly one of these labels: {labels}.\n\n"
        "Text: {input}\n\nLabel:",
        system_prompt="You are a precise classifier. Answer with one label only.",
        max_tokens=16,
        metrics=("exact_match",),
    ),
}


def resolve_task(
    task: str,
    options: Mapping[str, Any] | None = None,
    labels: Sequence[str] | None = None,
) -> Task:
    """A built-in task by name, or a custom template holding ``{input}``."""
    if not isinstance(task, str) or not task.strip():
        raise InvalidInputError(
            f"task must be a name or a prompt template, got {task!r}",
            hint=f"use one of {', '.join(BUILTIN_TASKS)} or a template with '{{input}}'",
        )
    if task in BUILTIN_TASKS:
        base = BUILTIN_TASKS[task]
    elif "{input}" in task:
        base = Task(
            name="custom", template=task, system_prompt=None, max_tokens=256, metrics=("rouge",)
        )
    else:
        raise InvalidInputError(
            f"unknown task {task!r}",
            hint=f"use one of {', '.join(BUILTIN_TASKS)}, or a custom prompt template that "
            "contains '{input}', e.g. 'Give a title for: {input}'",
        )
    chosen = tuple(dict.fromkeys(str(label) for label in labels or ()))
    if base.name == "classification" and not chosen:
        raise InvalidInputError(
            "classification needs its labels",
            hint="pass labels=[...], or give a reference column holding the labels",
        )
    resolved = Task(
        name=base.name,
        template=base.template,
        system_prompt=base.system_prompt,
        max_tokens=base.max_tokens,
        metrics=base.metrics,
        options={**base.options, **dict(options or {})},
        labels=chosen if base.name == "classification" else (),
    )
    resolved.prompt("example")  # a template naming an unknown option fails before any call
    return resolved


_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")


def normalize_label(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces: how labels are compared."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())


def match_label(text: str, labels: Sequence[str]) -> str:
    """The label an answer names: an exact (normalised) match first, else the one label it
    mentions as whole words; an answer naming none or several is returned normalised (wrong)."""
    answer = normalize_label(text)
    by_norm = {normalize_label(label): label for label in labels}
    if answer in by_norm:
        return by_norm[answer]
    padded = f" {answer} "
    mentioned = [label for norm, label in by_norm.items() if norm and f" {norm} " in padded]
    # Longer labels contain shorter ones ("very positive" holds "positive"): keep the longest.
    mentioned.sort(key=lambda label: -len(normalize_label(label)))
    if mentioned and all(
        normalize_label(other) in normalize_label(mentioned[0]) for other in mentioned[1:]
    ):
        return mentioned[0]
    return answer
