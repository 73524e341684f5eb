"""The allowed range of every number a caller passes in, and the one check that enforces it.

Each ``Bound`` names a parameter and its range. The library checks its arguments with
``Bound.check``; the REST models put the same bound on their fields
(``offset: Annotated[int, ROW_OFFSET]``), checked while the body is read; the CLI passes its
options to the library. So the three interfaces accept the same numbers and refuse the others
with the same one-line ``InvalidInputError`` that names the range (HTTP 400, CLI exit 2).

DuckDB counts rows in signed 64-bit integers (BIGINT): a limit or offset above ``MAX_BIGINT``
cannot reach it. An offset past the last row is in range and returns no rows.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gristmill.errors import InvalidInputError, shown

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler

MAX_BIGINT = 2**63 - 1


@dataclass(frozen=True)
class Bound:
    """An inclusive range of integers (or, with ``integer=False``, of finite numbers)."""

    name: str
    low: int | float
    high: int | float
    integer: bool = True

    def describe(self) -> str:
        if self.integer:
            return f"an integer from {self.low} to {self.high}"
        if math.isinf(self.low) and math.isinf(self.high):
            return "a finite number"
        return f"a number from {self.low} to {self.high}"

    def check(self, value: Any, what: str | None = None) -> Any:
        """``value`` when it is in range (an int when ``integer``), else InvalidInputError."""
        label = what or self.name
        number = _as_number(value, self.integer)
        if number is None or not self.low <= number <= self.high:
            raise InvalidInputError(f"{label} must be {self.describe()}, got {shown(value)}")
        return number

    def check_optional(self, value: Any, what: str | None = None) -> Any:
        """Like ``check``, with None (no limit) allowed."""
        return None if value is None else self.check(value, what)

    # As REST field metadata (``Annotated[int, ROW_OFFSET]``): the range is documented in the
    # schema, and the check raises InvalidInputError rather than ValueError, so pydantic lets it
    # through and the server answers 400 with the same message the library gives.

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: Any, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        json_schema: dict[str, Any] = handler(schema)
        json_schema.update(minimum=self.low, maximum=self.high)
        return json_schema


def _as_number(value: Any, integer: bool) -> int | float | None:
    if isinstance(value, bool):
        return None
    try:
        # operator.index takes int and numpy integers but refuses floats such as 2.5.
        return operator.index(value)
    except TypeError:
        pass
    if integer or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# --- rows: select_rows, count, groups --------------------------------------------------------

ROW_LIMIT = Bound("limit", 0, MAX_BIGINT)
ROW_OFFSET = Bound("offset", 0, MAX_BIGINT)
# One REST page: the UI asks for 50; a bigger page is an export, not a page.
PAGE_ROWS = Bound("limit", 1, 1000)
GROUPS_LIMIT = Bound("limit", 1, MAX_BIGINT)
REST_GROUPS = Bound("limit", 1, 1000)
# The rows an experiment or a ground-truth run answers (a LIMIT, so a BIGINT).
SAMPLE_ROWS = Bound("max_samples", 1, MAX_BIGINT)
# Histogram bins: a count, or edges one more than that. Each bin is a row of the answer.
BINS = Bound("bins", 1, 1000)


def check_bins(bins: int | Sequence[float] | None) -> int | list[float] | None:
    """A bin count in ``BINS``, or at least two and at most ``BINS.high + 1`` finite edges."""
    if bins is None:
        return None
    if isinstance(bins, str) or not isinstance(bins, Iterable):
        checked: int = BINS.check(bins)
        return checked
    edges = list(bins)
    if not 2 <= len(edges) <= int(BINS.high) + 1:
        raise InvalidInputError(
            f"bins must be a bin count or 2 to {int(BINS.high) + 1} edges, got {len(edges)} edges",
            hint="pass e.g. bins=20, or bins=[0, 10, 100]",
        )
    edge = Bound("each bin edge", -math.inf, math.inf, integer=False)
    return [float(edge.check(value)) for value in edges]


__all__ = [
    "BINS",
    "GROUPS_LIMIT",
    "MAX_BIGINT",
    "PAGE_ROWS",
    "REST_GROUPS",
    "ROW_LIMIT",
    "ROW_OFFSET",
    "SAMPLE_ROWS",
    "Bound",
    "check_bins",
]
