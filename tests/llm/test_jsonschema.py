from __future__ import annotations

from typing import Any

import pytest

from gristmill.llm._jsonschema import schema_errors

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"},
        "count": {"type": "integer", "minimum": 0, "exclusiveMaximum": 10},
        "ratio": {"type": "number"},
        "kind": {"enum": ["a", "b"]},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2},
        "child": {"$ref": "#/$defs/Child"},
        "either": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "required": ["name", "count"],
    "additionalProperties": False,
    "$defs": {"Child": {"type": "object", "properties": {"ok": {"const": True}}}},
}


def test_a_valid_value_has_no_errors() -> None:
    value = {
        "name": "abc",
        "count": 3,
        "ratio": 2,
        "kind": "a",
        "tags": ["x"],
        "child": {"ok": True},
        "either": None,
    }
    assert schema_errors(value, SCHEMA) == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"count": 1}, "missing required property 'name'"),
        ({"name": "a", "count": 1}, "$.name: needs at least 2 characters"),
        ({"name": "abcdef", "count": 1}, "at most 5 characters"),
        ({"name": "AB", "count": 1}, "must match the pattern"),
        ({"name": "ab", "count": 10}, "$.count: must be < 10"),
        ({"name": "ab", "count": -1}, "must be >= 0"),
        ({"name": "ab", "count": True}, "must be of type integer, got boolean"),
        ({"name": "ab", "count": 1.5}, "must be of type integer"),
        ({"name": "ab", "count": 1, "kind": "c"}, "must be one of"),
        ({"name": "ab", "count": 1, "tags": []}, "at least 1 items"),
        ({"name": "ab", "count": 1, "tags": [1]}, "$.tags[0]: must be of type string"),
        ({"name": "ab", "count": 1, "child": {"ok": False}}, "$.child.ok: must be True"),
        ({"name": "ab", "count": 1, "either": 3}, "matches none of the allowed shapes"),
        ({"name": "ab", "count": 1, "extra": 1}, "unexpected property 'extra'"),
        (["not", "an", "object"], "$: must be of type object, got array"),
    ],
)
def test_each_violation_is_reported_with_its_path(value: Any, problem: str) -> None:
    errors = schema_errors(value, SCHEMA)
    assert any(problem in error for error in errors), errors
