"""Built-in concepts: example files shipped in ``gristmill/resources/concepts/``.

They are read-only (the package folder may not be writable, and an upgrade would overwrite
edits); ``concept.fork(namespace, name)`` copies one into a namespace the user owns.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from importlib.resources.abc import Traversable

from pydantic import BaseModel

from gristmill.concepts._schema import BUILTIN_NAMESPACE, ConceptExample, ConceptInfo, ConceptType


class BuiltinConceptFile(BaseModel):
    """The shape of ``resources/concepts/<name>.json``."""

    name: str
    type: ConceptType = "text"
    description: str
    version: int
    examples: list[ConceptExample]


class HeldOutExample(BaseModel):
    text: str
    label: bool
    source: str


def _folder() -> Traversable:
    return resources.files("gristmill") / "resources" / "concepts"


@functools.cache
def builtin_names() -> tuple[str, ...]:
    return tuple(
        sorted(
            entry.name.removesuffix(".json")
            for entry in _folder().iterdir()
            if entry.is_file() and entry.name.endswith(".json")
        )
    )


@functools.cache
def load_builtin(name: str) -> BuiltinConceptFile | None:
    if name not in builtin_names():
        return None
    target = _folder() / f"{name}.json"
    return BuiltinConceptFile.model_validate_json(target.read_bytes())


def builtin_info(name: str) -> ConceptInfo | None:
    loaded = load_builtin(name)
    if loaded is None:
        return None
    positives = sum(1 for x in loaded.examples if x.label)
    return ConceptInfo(
        namespace=BUILTIN_NAMESPACE,
        name=name,
        type=loaded.type,
        description=loaded.description,
        version=loaded.version,
        builtin=True,
        num_positive=positives,
        num_negative=len(loaded.examples) - positives,
    )


def load_held_out(name: str) -> list[HeldOutExample]:
    """Examples kept out of a built-in's training set, to measure it (docs/concepts.md)."""
    target = _folder() / "heldout" / f"{name}.jsonl"
    if not target.is_file():
        return []
    lines = target.read_text(encoding="utf-8").splitlines()
    return [HeldOutExample.model_validate(json.loads(line)) for line in lines if line.strip()]
