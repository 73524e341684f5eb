"""Path and query parameters shared by the dataset routes."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Depends, Path, Request
from pydantic import TypeAdapter, ValidationError

from gristmill.data.filters import Filter
from gristmill.dataset import Dataset, get_dataset
from gristmill.errors import InvalidFilterError
from gristmill.server._json_values import check_unicode
from gristmill.server._loading import LoadTracker

_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$"
_FILTERS = TypeAdapter(list[Filter])


def dataset_at(
    namespace: Annotated[str, Path(pattern=_NAME)], name: Annotated[str, Path(pattern=_NAME)]
) -> Dataset:
    """The dataset named in the URL (404 in the error shape when there is none)."""
    return get_dataset(namespace, name)


DatasetParam = Annotated[Dataset, Depends(dataset_at)]


def loads_of(request: Request) -> LoadTracker:
    tracker: LoadTracker = request.app.state.loads
    return tracker


def parse_filters(text: str | None) -> list[Filter]:
    """Filters from a query parameter: a JSON list of ``{path, op, value}`` objects."""
    if not text:
        return []
    try:
        parsed = json.loads(text)
        check_unicode(parsed)
        return _FILTERS.validate_python(parsed)
    except (ValueError, ValidationError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise InvalidFilterError(
            f"cannot read the filters parameter: {first}",
            hint='pass a JSON list, e.g. filters=[{"path": "score", "op": "greater", "value": 3}]',
        ) from None
