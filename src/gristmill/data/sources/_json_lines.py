"""Finding and dropping the lines of a JSON file that are not JSON objects.

DuckDB reads good files fast but reports a bad line vaguely (a byte offset, sometimes the line
after the real culprit). Only when it fails do we scan in Python, which gives the exact
``file:line`` and the parser's reason, and lets ``on_error='skip'`` drop just those lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

_BOM = b"\xef\xbb\xbf"
_PEEK_BYTES = 4096
_SCAN_BYTES = 1 << 20


@dataclass(frozen=True)
class BadLine:
    """One line that could not become a row, and why."""

    path: Path
    line: int | None  # None when the problem has no single line (an item of a JSON array)
    problem: str

    def __str__(self) -> str:
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.problem}"


def is_json_array_file(path: Path) -> bool:
    """Whether the file is one JSON array (``[...]``) rather than JSON Lines."""
    with path.open("rb") as handle:
        while chunk := handle.read(_PEEK_BYTES):
            stripped = chunk.removeprefix(_BOM).lstrip()
            if stripped:
                return stripped.startswith(b"[")
    return False


def line_problem(raw: bytes) -> str | None:
    """Why this line cannot be a row, or None if it can (blank lines are ignored, not bad)."""
    text = raw.strip()
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return f"malformed JSON ({error.msg} at column {error.colno})"
    except UnicodeDecodeError:
        return "not valid UTF-8 text"
    if not isinstance(value, dict):
        return f"a JSON {type(value).__name__} where each line must be a JSON object"
    return None


def find_first_bad_line(path: Path) -> BadLine | None:
    """The first line of ``path`` that is not a JSON object, if any."""
    if is_json_array_file(path):
        return _array_problem(path)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            problem = line_problem(raw.removeprefix(_BOM) if number == 1 else raw)
            if problem is not None:
                return BadLine(path, number, problem)
    return None


def copy_valid_lines(
    path: Path, destination: Path, *, examples: int
) -> tuple[list[BadLine], int, int]:
    """Copy the good lines of a JSON Lines file.

    Returns the first ``examples`` bad lines, how many lines were bad, and how many were kept.
    """
    bad: list[BadLine] = []
    bad_count = 0
    kept = 0
    with path.open("rb") as source, destination.open("wb") as target:
        for number, raw in enumerate(source, start=1):
            line = raw.removeprefix(_BOM) if number == 1 else raw
            problem = line_problem(line)
            if problem is not None:
                bad_count += 1
                if len(bad) < examples:
                    bad.append(BadLine(path, number, problem))
            elif line.strip():
                target.write(line if line.endswith(b"\n") else line + b"\n")
                kept += 1
    return bad, bad_count, kept


def largest_value(path: Path) -> tuple[int, int]:
    """``(line, bytes)`` of the longest line of ``path``; a JSON array counts as one value.

    Bounds the JSON object DuckDB must hold at once. Lines are measured chunk by chunk, so a
    line of gigabytes is never held in memory.
    """
    if is_json_array_file(path):
        # An item's size is unknown without parsing; it is at most the whole file.
        return 1, path.stat().st_size
    longest, longest_line, current, number = 0, 1, 0, 1
    with path.open("rb") as handle:
        while chunk := handle.read(_SCAN_BYTES):
            pieces = chunk.split(b"\n")
            for piece in pieces[:-1]:
                current += len(piece)
                if current > longest:
                    longest, longest_line = current, number
                current = 0
                number += 1
            current += len(pieces[-1])
    if current > longest:
        longest, longest_line = current, number
    return longest_line, longest


def _array_problem(path: Path) -> BadLine | None:
    # Only reached after DuckDB failed on the file, so reading it whole here is acceptable.
    try:
        value = json.loads(path.read_bytes().removeprefix(_BOM))
    except json.JSONDecodeError as error:
        return BadLine(path, error.lineno, f"malformed JSON ({error.msg} at column {error.colno})")
    except UnicodeDecodeError:
        return BadLine(path, 1, "not valid UTF-8 text")
    if value == []:
        return BadLine(path, None, "the JSON array is empty")
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                kind = type(item).__name__
                return BadLine(path, None, f"array item {index} is a JSON {kind}, not an object")
    return None
