"""The classifier's training data: texts per class, each tagged with where it came from.

``examples.jsonl`` keeps the seed's format, one line per class and source::

    {"class_name": "correct", "examples": ["Q: What is 2+3? A: The answer is 5."]}
    {"class_name": "correct", "examples": ["..."], "source": "generated"}

A line without ``source`` is real data, so files written by the seed's tool load as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from gristmill.errors import InvalidInputError, NotFoundError, SourceError

ExampleSource = Literal["real", "generated"]
SOURCES: tuple[str, ...] = get_args(ExampleSource)


@dataclass(frozen=True)
class Example:
    """One training text of a class; ``source`` says whether a person or the LLM wrote it."""

    class_name: str
    text: str
    source: ExampleSource = "real"


class ExampleSet:
    """Examples per class, in insertion order, without exact repeats within a class."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, ExampleSource]] = {}

    def __len__(self) -> int:
        return sum(len(texts) for texts in self._items.values())

    def __iter__(self) -> Iterator[Example]:
        for class_name, texts in self._items.items():
            for text, source in texts.items():
                yield Example(class_name, text, source)

    @property
    def class_names(self) -> list[str]:
        return [name for name, texts in self._items.items() if texts]

    def add(self, class_name: str, texts: Iterable[str], source: ExampleSource = "real") -> int:
        """Add texts to a class; returns how many were new. Real wins over generated."""
        check_class_name(class_name)
        bucket = self._items.setdefault(class_name, {})
        added = 0
        for text in texts:
            if not isinstance(text, str) or not text.strip():
                raise InvalidInputError(
                    f"an example of class '{class_name}' is {text!r}, not a non-empty string",
                    hint="pass example texts as non-empty strings",
                )
            if text not in bucket:
                added += 1
                bucket[text] = source
            elif source == "real":
                bucket[text] = "real"
        return added

    def texts(self, class_name: str, source: ExampleSource | None = None) -> list[str]:
        return [
            text
            for text, origin in self._items.get(class_name, {}).items()
            if source is None or origin == source
        ]

    def drop_generated(self, class_names: Iterable[str]) -> None:
        """Forget generated examples of these classes (before generating them afresh)."""
        for name in class_names:
            bucket = self._items.get(name, {})
            self._items[name] = {t: s for t, s in bucket.items() if s == "real"}

    def counts(self) -> dict[str, dict[str, int]]:
        """``{class: {'real': n, 'generated': m}}``."""
        return {
            name: {source: len(self.texts(name, source)) for source in SOURCES}  # type: ignore[arg-type]
            for name in self.class_names
        }

    def as_dict(self) -> dict[str, list[str]]:
        return {name: self.texts(name) for name in self.class_names}

    # -- files ----------------------------------------------------------------------------

    def to_jsonl(self) -> str:
        lines = []
        for name in self.class_names:
            for source in SOURCES:
                texts = self.texts(name, source)  # type: ignore[arg-type]
                if not texts:
                    continue
                record: dict[str, object] = {"class_name": name, "examples": texts}
                if source != "real":
                    record["source"] = source
                lines.append(json.dumps(record, ensure_ascii=False))
        return "".join(line + "\n" for line in lines)

    def read_jsonl(self, text: str, origin: str) -> int:
        """Add the examples of an examples.jsonl text; returns how many were new."""
        added = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{origin}:{number}"
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise SourceError(
                    f"{where} is not valid JSON: {exc}",
                    hint='each line is {"class_name": "...", "examples": ["...", ...]}',
                ) from None
            name, examples, source = _parse_record(record, where)
            added += self.add(name, examples, source)
        return added


def _parse_record(record: object, where: str) -> tuple[str, list[str], ExampleSource]:
    hint = 'each line is {"class_name": "...", "examples": ["...", ...]}'
    if not isinstance(record, dict):
        raise SourceError(f"{where} is not a JSON object", hint=hint)
    name = record.get("class_name")
    examples = record.get("examples")
    source = record.get("source", "real")
    if not isinstance(name, str) or not name.strip():
        raise SourceError(f"{where} has no 'class_name' string", hint=hint)
    if isinstance(examples, str):
        examples = [examples]
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise SourceError(f"{where}: 'examples' must be a list of strings", hint=hint)
    if source not in SOURCES:
        raise SourceError(
            f"{where}: unknown source {source!r}", hint=f"use one of {', '.join(SOURCES)}"
        )
    return name, [e for e in examples if e.strip()], source


def check_class_name(class_name: object) -> str:
    if not isinstance(class_name, str) or not class_name.strip():
        raise InvalidInputError(
            f"class names are non-empty strings, got {class_name!r}",
            hint="e.g. add_data_to_class('spam', 'WIN a prize now!')",
        )
    return class_name


def read_examples_file(examples: ExampleSet, path: Path) -> int:
    if not path.is_file():
        raise NotFoundError(
            f"examples file {path} does not exist",
            hint="set saved_examples_path to an existing examples.jsonl, or save_examples() first",
        )
    return examples.read_jsonl(path.read_text(encoding="utf-8"), str(path))
