"""One registry per pluggable kind (embeddings, signals, LLM providers, metrics, sources).

Built-ins are registered exactly as a user's plugin is. A built-in whose module pulls in heavy
dependencies registers lazily by import path, so ``import gristmill`` stays fast.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from gristmill.errors import InvalidInputError, NotFoundError

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries of one kind; lookups of unknown names list what is available."""

    def __init__(self, kind: str, *, how_to_add: str = "") -> None:
        self.kind = kind
        self.how_to_add = how_to_add
        self._entries: dict[str, T] = {}
        self._lazy: dict[str, str] = {}
        self._lock = threading.Lock()

    def register(self, name: str, entry: T, *, replace: bool = False) -> T:
        """Add ``entry`` under ``name``. A taken name is an error unless ``replace``."""
        if not name or not isinstance(name, str):
            raise InvalidInputError(f"a {self.kind} needs a non-empty string name, got {name!r}")
        with self._lock:
            if not replace and (name in self._entries or name in self._lazy):
                raise InvalidInputError(
                    f"a {self.kind} named '{name}' is already registered",
                    hint="pass replace=True to replace it",
                )
            self._lazy.pop(name, None)
            self._entries[name] = entry
        return entry

    def register_lazy(self, name: str, target: str) -> None:
        """Register ``'package.module:attribute'``, imported on first lookup."""
        with self._lock:
            self._lazy[name] = target

    def decorator(self, name: str, *, replace: bool = False) -> Callable[[T], T]:
        """``@registry.decorator('name')`` registers the decorated object."""

        def wrap(entry: T) -> T:
            return self.register(name, entry, replace=replace)

        return wrap

    def unregister(self, name: str) -> None:
        with self._lock:
            self._entries.pop(name, None)
            self._lazy.pop(name, None)

    def get(self, name: str) -> T:
        """The entry for ``name``; an unknown name raises NotFoundError listing the known ones."""
        with self._lock:
            if name in self._entries:
                return self._entries[name]
            target = self._lazy.get(name)
        if target is None:
            known = ", ".join(self.names()) or "none"
            hint = f"available: {known}"
            if self.how_to_add:
                hint += f"; {self.how_to_add}"
            raise NotFoundError(f"unknown {self.kind} '{name}'", hint=hint)
        module_name, _, attribute = target.partition(":")
        entry: T = getattr(importlib.import_module(module_name), attribute)
        with self._lock:
            self._entries.setdefault(name, entry)
            self._lazy.pop(name, None)
            return self._entries[name]

    def names(self) -> list[str]:
        with self._lock:
            return sorted({*self._entries, *self._lazy})

    def __contains__(self, name: object) -> bool:
        with self._lock:
            return name in self._entries or name in self._lazy
