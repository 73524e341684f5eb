"""Schemathesis hooks for the fuzz run (loaded by the CLI through ``SCHEMATHESIS_HOOKS``).

- ``gristmill_error_shape``: every 4xx answers the API's one error shape (5xx are
  ``not_a_server_error``'s to report).
- ``flatmap_case``: half the generated cases with valid path parameters name things that exist
  on the server instead (read from ``GRISTMILL_FUZZ_PATH_PARAMETERS``), so their bodies and
  queries reach past the 404 into the routes.
"""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation

from tests.fuzz.checks import error_shape_problem

PATH_PARAMETERS_ENV = "GRISTMILL_FUZZ_PATH_PARAMETERS"

# 'METHOD /path' -> path parameters naming something that exists
_KNOWN: dict[str, dict[str, str]] = json.loads(os.environ.get(PATH_PARAMETERS_ENV) or "{}")


@schemathesis.check
def gristmill_error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code >= 500:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    problem = error_shape_problem(response.status_code, content_type, response.content)
    if problem is not None:
        raise AssertionError(problem)
    return None


@schemathesis.hook
def flatmap_case(context: Any, case: Any) -> Any:
    known = _KNOWN.get(f"{case.operation.method.upper()} {case.operation.path}", {})
    # Only the operation's own parameters: an extra one would make the case invalid.
    known = {name: value for name, value in known.items() if name in case.path_parameters}
    path = case.meta.components.get(ParameterLocation.PATH) if case.meta is not None else None
    # Only valid path parameters are swapped: invalid ones test their own validation.
    if not known or path is None or path.mode.is_negative:
        return st.just(case)

    def naming_known(use_known: bool) -> Any:
        if use_known:
            # Assigned (not updated in place), so schemathesis revalidates the case.
            case.path_parameters = {**case.path_parameters, **known}
        return case

    return st.booleans().map(naming_known)
