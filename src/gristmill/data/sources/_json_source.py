"""JSON and JSON Lines files, read by DuckDB with nested objects and lists kept nested."""

from __future__ import annotations

import re
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

import pydantic

from gristmill.data.sources._duckdb_stream import first_line, stream_checked, stream_query
from gristmill.data.sources._filepaths import (
    check_not_empty,
    expand_filepaths,
    normalise_filepaths,
)
from gristmill.data.sources._json_lines import (
    BadLine,
    copy_valid_lines,
    find_first_bad_line,
    is_json_array_file,
    largest_value,
)
from gristmill.data.sources._source import Source, check_column_names, register_source
from gristmill.errors import SourceError

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

# sample_size=-1: infer types from every row, so a field whose type changes after the first 20k
# rows becomes a JSON-text column instead of failing half-way through the load. It also makes
# DuckDB parse everything before the first batch, so malformed input fails before any row is
# handed out. records='true': every row must be an object.
_READ_JSON = (
    "SELECT * FROM read_json(?, sample_size = {sample}, union_by_name = true, records = 'true'"
    "{options})"
)
# The quick read of a load guesses the schema from this many rows per file (DuckDB's default)
# and is checked against the schema of every row, inferred at the same time.
_QUICK_SAMPLE_ROWS = 20_480
# DuckDB holds one JSON value (a line, an array item) at a time, at most this big by default. A
# bigger one is read again with room for it, up to MAX_VALUE_BYTES: past that a single value is
# not a row but a file of its own.
_DUCKDB_OBJECT_BYTES = 16 * 1024 * 1024
MAX_VALUE_BYTES = 1024 * 1024 * 1024
_OVERSIZED_MARKER = "maximum_object_size"
_FILE_IN_MESSAGE = re.compile(r'in file "([^"]+)"')
_READING_FILE = re.compile(r'reading file "([^"]+)"')
_MALFORMED_MARKERS = ("Malformed JSON", "expected records", "non-record JSON")
_LISTED_BAD_LINES = 20
_HOW_TO_SKIP = "or pass on_error='skip' to drop malformed lines"
_SPLIT_VALUES = (
    "split that value over several rows, or keep large data in files and load their paths"
)


@register_source
class JSONSource(Source):
    """Rows from JSON Lines files or JSON arrays of objects (paths, globs and ``~`` accepted).

    Nested objects become struct fields and lists stay lists, so chat data (``messages`` or
    ``conversations`` as lists of ``{role, content}`` / ``{from, value}``) loads as a list of
    structs. A field whose type differs between rows is stored as JSON text. With
    ``on_error='skip'``, lines that are not JSON objects are dropped with a warning, and
    ``skipped_lines`` / ``skipped_examples`` say how many and which.
    """

    source_name: ClassVar[str] = "json"

    filepaths: Annotated[list[str], pydantic.BeforeValidator(normalise_filepaths)]
    on_error: Literal["raise", "skip"] = "raise"

    _skipped: list[BadLine] = pydantic.PrivateAttr(default_factory=list)
    _skipped_count: int = pydantic.PrivateAttr(default=0)

    @property
    def skipped_lines(self) -> int:
        """How many lines the last ``open()`` dropped (``on_error='skip'`` only)."""
        return self._skipped_count

    @property
    def skipped_examples(self) -> list[str]:
        """``file:line: problem`` for the first dropped lines of the last ``open()``."""
        return [str(bad) for bad in self._skipped]

    def open(self) -> pa.RecordBatchReader:
        files = expand_filepaths(self.filepaths, kind="JSON")
        for path in files:
            check_not_empty(path)
        self._skipped, self._skipped_count = [], 0
        malformed: list[bool] = []
        oversized: list[bool] = []

        def translate(error: duckdb.Error) -> SourceError:
            message = first_line(error)
            if _OVERSIZED_MARKER in message:
                oversized.append(True)
                return _too_large(files, message)
            if any(marker in message for marker in _MALFORMED_MARKERS):
                malformed.append(True)
                if self.on_error == "raise":
                    return _locate_malformed(files, message)
            return _read_failure(message)

        object_bytes: int | None = None
        retried = False
        while True:
            try:
                return stream_query(
                    _read_json_sql(object_bytes), [_strs(files)], translate, validate=_check_schema
                )
            except SourceError:
                # One retry with room for the largest value: a second refusal is final.
                if oversized and not retried:
                    retried = True
                    object_bytes = _object_bytes_for(files) or _room_for_whole_files(files)
                    oversized.clear()
                    continue
                if self.on_error == "raise" or not malformed:
                    raise
            return self._open_skipping_bad_lines(files)

    def open_for_load(self) -> pa.RecordBatchReader:
        """One parse with the schema of the first rows, checked against every row's schema.

        ``open()`` infers the schema from every row before it reads any (a full parse of its
        own: 0.25 s CPU of a 100k-row load, 3.7 s of 1M rows); here that inference runs beside
        the read. Anything unusual (a type that changes after the sample, a field first seen
        late, a malformed or oversized line) fails the quick read and the load reads ``open()``.
        """
        files = expand_filepaths(self.filepaths, kind="JSON")
        for path in files:
            check_not_empty(path)
        self._skipped, self._skipped_count = [], 0
        return stream_checked(
            _read_json_sql(None, sample=_QUICK_SAMPLE_ROWS),
            _read_json_sql(None),
            [_strs(files)],
            validate=_check_schema,
        )

    def _open_skipping_bad_lines(self, files: list[Path]) -> pa.RecordBatchReader:
        staging = tempfile.TemporaryDirectory(prefix="gristmill-json-")
        try:
            readable, examples, bad_count = _drop_bad_lines(files, Path(staging.name))
            object_bytes = _object_bytes_for(readable)
        except BaseException:
            staging.cleanup()
            raise
        self._skipped_count = bad_count
        self._skipped = examples
        if bad_count:
            listed = "; ".join(str(bad) for bad in examples[:3])
            more = f" (and {bad_count - 3} more)" if bad_count > 3 else ""
            warnings.warn(
                f"skipped {bad_count} line(s) that are not JSON objects: {listed}{more}",
                UserWarning,
                stacklevel=3,
            )

        def translate(error: duckdb.Error) -> SourceError:
            return _read_failure(first_line(error))

        return stream_query(
            _read_json_sql(object_bytes),
            [_strs(readable)],
            translate,
            on_close=staging.cleanup,
            validate=_check_schema,
        )


def _drop_bad_lines(files: list[Path], staging: Path) -> tuple[list[Path], list[BadLine], int]:
    """Files to read (originals where clean, filtered copies where not), the first dropped
    lines, and how many lines were dropped."""
    readable: list[Path] = []
    examples: list[BadLine] = []
    dropped = 0
    for index, path in enumerate(files):
        if is_json_array_file(path):
            bad = find_first_bad_line(path)
            if bad is not None:
                # One broken array is one broken document: there is no line to drop.
                raise SourceError(
                    f"{bad}",
                    hint="a JSON array cannot be partly skipped: fix the file or convert it to "
                    "JSON Lines (one object per line)",
                )
            readable.append(path)
            continue
        copy = staging / f"{index:05d}.jsonl"
        bad_lines, bad_count, kept = copy_valid_lines(
            path, copy, examples=_LISTED_BAD_LINES - len(examples)
        )
        if not bad_count:
            copy.unlink()
            readable.append(path)
            continue
        examples.extend(bad_lines)
        dropped += bad_count
        if kept:
            readable.append(copy)
    if not readable:
        raise SourceError(
            f"no line of {', '.join(str(p) for p in files)} is a JSON object",
            hint="check that these are JSON Lines files (one JSON object per line)",
        )
    return readable, examples, dropped


def _locate_malformed(files: list[Path], duckdb_message: str) -> SourceError:
    named = _FILE_IN_MESSAGE.search(duckdb_message)
    suspects = sorted(files, key=lambda p: not (named and p.name == Path(named.group(1)).name))
    for path in suspects:
        bad = find_first_bad_line(path)
        if bad is not None:
            if bad.line is None:
                hint = "the file must be a JSON array of one or more objects, or JSON Lines"
            else:
                hint = f"fix or delete line {bad.line}, {_HOW_TO_SKIP}"
            return SourceError(str(bad), hint=hint)
    # Python's parser accepted what DuckDB refused (e.g. NaN); DuckDB's words are the best we have.
    return SourceError(
        f"cannot read the JSON: {duckdb_message}", hint=f"fix the file, {_HOW_TO_SKIP}"
    )


def _read_json_sql(object_bytes: int | None, *, sample: int = -1) -> str:
    """The read; ``sample=-1`` infers types from every row (see the note on _READ_JSON)."""
    options = "" if object_bytes is None else f", maximum_object_size = {int(object_bytes)}"
    return _READ_JSON.format(sample=int(sample), options=options)


def _object_bytes_for(files: list[Path]) -> int | None:
    """Room for the largest value of ``files`` (None: DuckDB's default is enough).

    A line larger than MAX_VALUE_BYTES is a SourceError saying where it is and how big. An
    array's items are not measured (that needs parsing): it gets room up to the limit.
    """
    largest, line, path = max((size, line, p) for p in files for line, size in [largest_value(p)])
    if largest > MAX_VALUE_BYTES and not is_json_array_file(path):
        raise SourceError(
            f"{path}:{line} holds a JSON value of {_megabytes(largest)}; one row may hold at"
            f" most {_megabytes(MAX_VALUE_BYTES)}",
            hint=_SPLIT_VALUES,
        )
    if largest < _DUCKDB_OBJECT_BYTES:
        return None
    # A power of two above the value, as DuckDB's own default is.
    return min(1 << (largest + 1).bit_length(), MAX_VALUE_BYTES)


def _room_for_whole_files(files: list[Path]) -> int:
    # Lines measured small, yet DuckDB found a value too big: one object spread over many lines
    # (a pretty-printed .json file). No value is larger than its file.
    largest = max(path.stat().st_size for path in files)
    return min(1 << (largest + 1).bit_length(), MAX_VALUE_BYTES)


def _too_large(files: list[Path], duckdb_message: str) -> SourceError:
    """A value over the room given: only raised when it is over MAX_VALUE_BYTES as well."""
    named = _READING_FILE.search(duckdb_message)
    where = named.group(1) if named else ", ".join(str(p) for p in files)
    return SourceError(
        f"{where} holds a JSON value larger than {_megabytes(MAX_VALUE_BYTES)}, the most one row"
        " may hold",
        hint=_SPLIT_VALUES,
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _read_failure(message: str) -> SourceError:
    return SourceError(
        f"cannot read the JSON: {message}",
        hint="check that each file is JSON Lines or a JSON array of objects",
    )


def _check_schema(schema: pa.Schema) -> None:
    check_column_names(schema.names, "the JSON data")


def _strs(paths: list[Path]) -> list[str]:
    return [str(p) for p in paths]
