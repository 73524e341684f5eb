"""Resolving a caller's column path costs time linear in its length, whatever its length.

Found by the fuzz run (tests/fuzz): a filter whose path had 100,000 parts held a server thread
for minutes, because every prefix of the path was joined and looked up.
"""

from __future__ import annotations

from typing import Any

import pytest

import gristmill as gm
from gristmill.data.query import QueryBuilder
from gristmill.errors import InvalidPathError


class _CountingLookups(dict[str, Any]):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lookups = 0

    def __contains__(self, key: object) -> bool:
        self.lookups += 1
        return super().__contains__(key)


def test_a_long_unknown_path_is_refused_after_a_few_lookups(small_ds: gm.Dataset) -> None:
    catalog = small_ds.catalog()
    relations = _CountingLookups(catalog.relations)
    catalog.relations = relations
    deepest = max(name.count(".") + 1 for name in relations)

    with pytest.raises(InvalidPathError):
        QueryBuilder(catalog).resolve(("instruction", "x", *["y"] * 10_000))
    with pytest.raises(InvalidPathError):
        QueryBuilder(catalog).resolve("z." * 10_000)

    assert relations.lookups <= 2 * deepest


def test_a_long_path_through_the_api_answers_invalid_path(small_ds: gm.Dataset) -> None:
    with pytest.raises(InvalidPathError):
        small_ds.count(filters=[{"path": "instruction." * 100_000, "op": "exists"}])
