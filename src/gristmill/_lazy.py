"""Names a package exports but imports only on first use (PEP 562 module ``__getattr__``).

``import gristmill`` and ``import gristmill.jobs`` stay cheap this way: worker processes and
short scripts do not pay for SQLAlchemy, pydantic or DuckDB until they touch them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: each name in ``homes`` is imported from
    its module on first use and kept in ``namespace`` (the package's globals) after that."""

    def get_attribute(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(home)
        # A home named after the package and the name is a subpackage exported whole (gm.clio).
        value = module if home == f"{package}.{name}" else getattr(module, name)
        namespace[name] = value
        return value

    def list_names() -> list[str]:
        return sorted({*namespace, *homes})

    return get_attribute, list_names
