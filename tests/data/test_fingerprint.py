"""The fingerprint of a map function: equal for the same computation, different for any change."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest

from gristmill.data.fingerprint import FingerprintError, fingerprint_function


def compiled(source: str, name: str = "fmt", **namespace: Any) -> Callable[..., Any]:
    """``name`` defined by ``source`` in a fresh module namespace (as a reloaded script would)."""
    scope: dict[str, Any] = {"__name__": "script", **namespace}
    exec(source, scope)
    function: Callable[..., Any] = scope[name]
    return function


def test_the_same_code_in_two_places_has_one_fingerprint() -> None:
    source = "def fmt(text):\n    return 'b:' + text.upper()\n"
    moved = "\n\n\n# a comment\n" + source  # other line numbers, same computation
    assert fingerprint_function(compiled(source)) == fingerprint_function(compiled(moved))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("return 'b:' + text", "return 'B:' + text"),  # a constant
        ("return 'b:' + text", "return text + 'b:'"),  # the bytecode
        ("return text.upper()", "return text.lower()"),  # a name
        ("return [t for t in text]", "return [t * 2 for t in text]"),  # a nested code object
    ],
)
def test_a_changed_body_changes_the_fingerprint(before: str, after: str) -> None:
    first = compiled(f"def fmt(text):\n    {before}\n")
    second = compiled(f"def fmt(text):\n    {after}\n")
    assert fingerprint_function(first) != fingerprint_function(second)


def test_globals_closures_defaults_and_helpers_count_by_value() -> None:
    uses_global = "def fmt(text):\n    return PREFIX + text\n"
    assert fingerprint_function(compiled(uses_global, PREFIX="a")) == fingerprint_function(
        compiled(uses_global, PREFIX="a")
    )
    assert fingerprint_function(compiled(uses_global, PREFIX="a")) != fingerprint_function(
        compiled(uses_global, PREFIX="b")
    )
    with_default = "def fmt(text, suffix={!r}):\n    return text + suffix\n"
    assert fingerprint_function(compiled(with_default.format("x"))) != fingerprint_function(
        compiled(with_default.format("y"))
    )

    def closing_over(threshold: int) -> Callable[[int], bool]:
        return lambda value: value > threshold

    assert fingerprint_function(closing_over(3)) == fingerprint_function(closing_over(3))
    assert fingerprint_function(closing_over(3)) != fingerprint_function(closing_over(4))

    calls_helper = "def fmt(text):\n    return helper(text)\n"
    first = compiled("def helper(text):\n    return text.strip()\n", name="helper")
    second = compiled("def helper(text):\n    return text.lstrip()\n", name="helper")
    assert fingerprint_function(compiled(calls_helper, helper=first)) != fingerprint_function(
        compiled(calls_helper, helper=second)
    )


def test_sets_recursion_modules_and_library_code_are_stable() -> None:
    import json

    source = (
        "def fmt(text):\n"
        "    if text in WORDS:\n"
        "        return json.dumps(fmt(text[1:]))\n"
        "    return functools.reduce(max, [text], '')\n"
    )
    words = {f"word{i}" for i in range(50)}
    reordered = set(sorted(words, reverse=True))
    first = compiled(source, WORDS=words, json=json, functools=functools)
    second = compiled(source, WORDS=reordered, json=json, functools=functools)
    assert fingerprint_function(first) == fingerprint_function(second)
    assert fingerprint_function(len) == fingerprint_function(len)
    assert fingerprint_function(functools.partial(max, 1)) != fingerprint_function(
        functools.partial(max, 2)
    )


def test_an_object_with_state_counts_by_its_state() -> None:
    class Scaler:
        def __init__(self, factor: float) -> None:
            self.factor = factor

        def __call__(self, value: float) -> float:
            return value * self.factor

    assert fingerprint_function(Scaler(2)) == fingerprint_function(Scaler(2))
    assert fingerprint_function(Scaler(2)) != fingerprint_function(Scaler(3))
    assert fingerprint_function(Scaler(2).__call__) != fingerprint_function(Scaler(3).__call__)


def test_an_llm_counts_by_its_settings_not_its_lock() -> None:
    from gristmill.llm import get_llm

    uses_llm = "def fmt(text):\n    return llm.complete(text).text\n"
    fake = get_llm("fake")
    assert fingerprint_function(compiled(uses_llm, llm=fake)) == fingerprint_function(
        compiled(uses_llm, llm=get_llm("fake"))
    )
    other = get_llm("fake", temperature=0.5)
    assert fingerprint_function(compiled(uses_llm, llm=fake)) != fingerprint_function(
        compiled(uses_llm, llm=other)
    )


def test_a_value_that_cannot_be_read_is_named() -> None:
    lock = threading.Lock()
    with pytest.raises(FingerprintError, match=r"the global 'LOCK' of script\.fmt .*lock"):
        fingerprint_function(compiled("def fmt(text):\n    return LOCK\n", LOCK=lock))
