"""Telling why spawned workers died: a script whose top-level code they run again.

A spawned worker imports the parent's main script before its first task, to find the functions
pickled by name. A script that calls ``ds.map(fn, execution_type='processes')`` at its top level,
not under ``if __name__ == '__main__':``, therefore makes every worker call ``ds.map`` again; each
such call fails inside the worker (Python refuses to start processes from a process still
bootstrapping), the worker exits, and the parent sees only a broken pool. This module finds that
case from the parent's own call stack, so the error can say what really happened.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from types import FrameType


def main_guard_error_text(where: str) -> tuple[str, str]:
    """The message and hint of the error for a script without a main guard at ``where``."""
    message = (
        "the worker processes could not start: a script that uses execution_type='processes'"
        f" must put its code under `if __name__ == '__main__':` ({where} runs at the top level,"
        " so every worker process runs it again)"
    )
    return message, "indent the script's code under that line, or use execution_type='threads'"


def unguarded_main_line(frame: FrameType | None = None) -> str | None:
    """``script.py:LINE`` when the calling code runs at the top level of a main script that
    spawned workers run again (outside an ``if __name__ == '__main__':`` block), else None."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    spec_name = getattr(getattr(main, "__spec__", None), "name", None)
    # A package's __main__.py (``python -m pkg``) is not run again by the workers (see
    # multiprocessing.spawn._fixup_main_from_name); a REPL or ``python -c`` has no file.
    if main is None or not path or (spec_name and spec_name.split(".")[-1] == "__main__"):
        return None
    current: FrameType | None = frame or sys._getframe(1)
    while current is not None:
        if current.f_code.co_name == "<module>" and current.f_globals is vars(main):
            line = current.f_lineno
            if line is not None and not _guarded(Path(path), line):
                return f"{Path(path).name}:{line}"
            return None
        current = current.f_back
    return None


def _guarded(path: Path, line: int) -> bool:
    """Whether ``line`` of the script lies inside an ``if __name__ == '__main__':`` branch.

    When the file cannot be read or parsed, it is taken as guarded: nothing is claimed.
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return True
    return _inside_guard(tree.body, line)


def _inside_guard(statements: list[ast.stmt], line: int) -> bool:
    for statement in statements:
        end = statement.end_lineno or statement.lineno
        if not statement.lineno <= line <= end:
            continue
        if isinstance(statement, ast.If):
            sense = _main_test(statement.test)
            if sense is not None:
                # '== "__main__"' guards its body; '!= "__main__"' guards its else branch.
                return _contains(statement.body if sense else statement.orelse, line)
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return False  # the module's frame is at the definition, not in its body
        return any(_inside_guard(block, line) for block in _blocks(statement))
    return False


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists nested directly in a compound statement (if/for/while/with/try)."""
    blocks: list[list[ast.stmt]] = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(statement, name, None)
        if isinstance(value, list) and all(isinstance(s, ast.stmt) for s in value):
            blocks.append(value)
    for handler in getattr(statement, "handlers", []) or []:
        blocks.append(handler.body)
    for case in getattr(statement, "cases", []) or []:
        blocks.append(case.body)
    return blocks


def _contains(statements: list[ast.stmt], line: int) -> bool:
    return any(s.lineno <= line <= (s.end_lineno or s.lineno) for s in statements)


def _main_test(test: ast.expr) -> bool | None:
    """True for ``__name__ == '__main__'``, False for ``!=``, None for any other condition."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    sides = {_name_or_text(test.left), _name_or_text(test.comparators[0])}
    if sides != {"name:__name__", "text:__main__"}:
        return None
    if isinstance(test.ops[0], ast.Eq):
        return True
    if isinstance(test.ops[0], ast.NotEq):
        return False
    return None


def _name_or_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return f"name:{node.id}"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return f"text:{node.value}"
    return None
