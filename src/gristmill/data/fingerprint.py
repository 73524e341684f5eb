"""A stable fingerprint of what a function computes, so a resumed job reuses only its own work.

It covers the function's bytecode, constants and names (through nested functions and lambdas),
its defaults, the values in its closure and the globals it reads, recursively through the user's
own functions and classes. A change that can change the output gives a new fingerprint; moving
the function to another line does not. Values count by content: plain data directly, modules and
library code by name and version, an object that defines ``__fingerprint__()`` by the plain data
it returns (an ``LLM`` returns its provider, model and settings), any other object by its pickle
(or, for an instance of the user's own class, by its attributes).

A value that cannot be read that way (an open file, a lock, a client holding a socket) makes the
function impossible to fingerprint: :class:`FingerprintError`, and the caller reuses nothing
rather than risk mixing the results of two different computations.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import sys
import sysconfig
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

_MAX_DEPTH = 64
_PLAIN = (type(None), bool, int, float, complex, str, bytes, bytearray, range, slice)


class FingerprintError(Exception):
    """The function refers to a value whose content cannot be hashed (the message says which)."""


def fingerprint_function(fn: Callable[..., Any]) -> str:
    """A hex digest of what ``fn`` computes; :class:`FingerprintError` when it cannot tell."""
    hasher = _Hasher()
    hasher.feed(fn, "the function")
    return hasher.digest.hexdigest()


@functools.cache
def _library_folders() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    keys = ("stdlib", "platstdlib", "purelib", "platlib")
    return tuple(str(Path(paths[key]).resolve()) for key in keys if key in paths)


def _is_library(module_name: str | None) -> bool:
    """Code installed with Python or a package (and Gristmill itself): identified by version."""
    if not module_name:
        return False
    top = module_name.partition(".")[0]
    if top in ("__main__", "__mp_main__"):
        return False  # a script, a notebook or `python -c`, with or without a file
    if top in sys.stdlib_module_names or top in sys.builtin_module_names or top == "gristmill":
        return True
    file = getattr(sys.modules.get(module_name), "__file__", None)
    return file is not None and str(Path(file).resolve()).startswith(_library_folders())


def _version_of(module_name: str) -> str:
    top = sys.modules.get(module_name.partition(".")[0])
    return str(getattr(top, "__version__", ""))


class _Hasher:
    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self._seen: dict[int, int] = {}  # id -> order: shared objects once, cycles cut
        self._keep: list[Any] = []  # keeps fed objects alive so their ids stay unique
        self._depth = 0

    def _write(self, tag: str, data: str | bytes = b"") -> None:
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        self.digest.update(f"{tag}:{len(raw)}:".encode())
        self.digest.update(raw)

    def feed(self, value: Any, where: str) -> None:
        if isinstance(value, _PLAIN):
            self._write(type(value).__name__, repr(value))
            return
        key = id(value)
        if key in self._seen:
            self._write("seen", str(self._seen[key]))
            return
        self._seen[key] = len(self._seen)
        self._keep.append(value)
        if self._depth >= _MAX_DEPTH:
            raise FingerprintError(f"{where} nests values more than {_MAX_DEPTH} levels deep")
        self._depth += 1
        try:
            self._feed_object(value, where)
        finally:
            self._depth -= 1

    def _feed_object(self, value: Any, where: str) -> None:
        if isinstance(value, tuple | list):
            self._write(type(value).__name__, str(len(value)))
            for item in value:
                self.feed(item, where)
            return
        if isinstance(value, dict):
            self._write("dict", str(len(value)))
            for key, item in value.items():
                self.feed(key, where)
                self.feed(item, f"{where}[{key!r}]")
            return
        if isinstance(value, set | frozenset):
            # Iteration order of a set of str varies between processes: hash it sorted.
            self._write(type(value).__name__, "".join(sorted(self._apart(v, where) for v in value)))
            return
        if isinstance(value, types.ModuleType):
            self._write("module", f"{value.__name__}=={_version_of(value.__name__)}")
            return
        if isinstance(value, types.FunctionType):
            self._feed_function(value, where)
            return
        if isinstance(value, types.MethodType):
            self._write("method")
            self.feed(value.__func__, where)
            self.feed(value.__self__, f"{where} (its object)")
            return
        if isinstance(value, functools.partial):
            self._write("partial")
            self.feed(value.func, where)
            self.feed(value.args, where)
            self.feed(value.keywords, where)
            return
        if isinstance(value, types.CodeType):
            self._feed_code(value, where)
            return
        if isinstance(value, type):
            self._feed_class(value, where)
            return
        if isinstance(value, staticmethod | classmethod):
            self._write(type(value).__name__)
            self.feed(value.__func__, where)
            return
        if isinstance(value, property):
            self._write("property")
            for accessor in (value.fget, value.fset, value.fdel):
                self.feed(accessor, where)
            return
        self._feed_instance(value, where)

    def _apart(self, value: Any, where: str) -> str:
        """The digest of ``value`` on its own (for order-free collections)."""
        other = _Hasher()
        other._seen, other._keep, other._depth = self._seen, self._keep, self._depth
        other.feed(value, where)
        return other.digest.hexdigest()

    def _feed_function(self, fn: types.FunctionType, where: str) -> None:
        name = f"{fn.__module__}.{fn.__qualname__}"
        if _is_library(fn.__module__) and "<locals>" not in fn.__qualname__:
            self._write("library function", f"{name}=={_version_of(fn.__module__)}")
            return
        self._write("function", fn.__qualname__)
        self._feed_code(fn.__code__, where)
        self.feed(fn.__defaults__, f"a default of {name}")
        self.feed(fn.__kwdefaults__, f"a default of {name}")
        for cell_name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or (), strict=True):
            self._write("closure", cell_name)
            try:
                contents = cell.cell_contents
            except ValueError:  # not assigned yet
                self._write("empty cell")
                continue
            self.feed(contents, f"'{cell_name}' (captured by {name})")
        builtins = fn.__globals__.get("__builtins__", {})
        for global_name in sorted(_global_names(fn.__code__)):
            if global_name in fn.__globals__:
                self._write("global", global_name)
                self.feed(fn.__globals__[global_name], f"the global '{global_name}' of {name}")
            elif global_name in (builtins if isinstance(builtins, dict) else vars(builtins)):
                self._write("builtin", global_name)

    def _feed_code(self, code: types.CodeType, where: str) -> None:
        # Not co_filename, co_firstlineno or the line table: moving a function keeps its result.
        self._write("code", code.co_code)
        self._write("names", " ".join(code.co_names))
        self._write("locals", " ".join(code.co_varnames + code.co_freevars + code.co_cellvars))
        shape = (code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount, code.co_flags)
        self._write("shape", repr(shape))
        self._write("exceptions", getattr(code, "co_exceptiontable", b""))
        self._write("constants", str(len(code.co_consts)))
        for constant in code.co_consts:
            self.feed(constant, where)

    def _feed_class(self, cls: type, where: str) -> None:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if _is_library(cls.__module__) and "<locals>" not in cls.__qualname__:
            self._write("library class", f"{name}=={_version_of(cls.__module__)}")
            return
        self._write("class", cls.__qualname__)
        for base in cls.__bases__:
            self.feed(base, where)
        for attribute, item in sorted(vars(cls).items()):
            # Dunder data is machinery (__dict__, __slots__, a dataclass's or pydantic's tables);
            # dunder methods (__init__, __call__) are code like any other.
            dunder = attribute.startswith("__") and attribute.endswith("__")
            if dunder and not isinstance(item, types.FunctionType | staticmethod | classmethod):
                continue
            self._write("attribute", attribute)
            self.feed(item, f"{name}.{attribute}")

    def _feed_instance(self, value: Any, where: str) -> None:
        cls = type(value)
        self.feed(cls, where)
        if isinstance(value, types.BuiltinFunctionType | types.BuiltinMethodType):
            # A C function (len, math.sqrt) or a C method bound to an object ("x".upper).
            owner = value.__self__
            if owner is None or isinstance(owner, types.ModuleType):
                self._write("builtin", f"{getattr(owner, '__name__', '')}.{value.__qualname__}")
            else:
                self._write("builtin method", value.__name__)
                self.feed(owner, where)
            return
        identify = getattr(cls, "__fingerprint__", None)
        if callable(identify):
            self._write("identity")
            self.feed(identify(value), where)
            return
        wrapped = getattr(value, "__wrapped__", None)
        if isinstance(wrapped, types.FunctionType):
            self._write("wrapper")  # functools.lru_cache and other decorators: the code inside
            self.feed(wrapped, where)
            return
        try:
            state = pickle.dumps(value, protocol=5)
        except Exception as exc:
            if not _is_library(cls.__module__) and hasattr(value, "__dict__"):
                self._write("attributes")
                self.feed(vars(value), where)
                return
            raise FingerprintError(
                f"{where} is a {cls.__module__}.{cls.__qualname__}, which cannot be pickled ({exc})"
            ) from exc
        self._write("pickle", state)


def _global_names(code: types.CodeType) -> set[str]:
    """Every name ``code`` and the functions nested in it may read as a global."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _global_names(constant)
    return names
