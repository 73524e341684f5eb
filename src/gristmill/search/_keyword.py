"""Keyword search: BM25 from DuckDB's full-text-search extension, with highlighted words.

The FTS index of a column lives in its own DuckDB file under ``fts/`` and is rebuilt only when
the column's data changes. The extension comes from the PyPI package ``duckdb-extension-fts``,
so nothing is downloaded at run time.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data.catalog import Catalog
from gristmill.data.dataset import BaseDataset
from gristmill.data.files import atomic_write_text
from gristmill.data.store import ROWID
from gristmill.errors import MissingDependencyError

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

_WORD = re.compile(r"\w+", re.UNICODE)


def _load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the FTS extension from the file the ``duckdb-extension-fts`` wheel ships.

    (``INSTALL fts`` would download it; the wheel's package has no loader of its own.)
    """
    try:
        import duckdb_extension_fts
    except ImportError as exc:
        raise MissingDependencyError(
            "keyword search needs the DuckDB FTS extension package",
            hint="pip install duckdb-extension-fts (a dependency of gristmill)",
        ) from exc
    folder = Path(duckdb_extension_fts.__file__).parent / "extensions"
    found = sorted(folder.glob("*/fts.duckdb_extension"))
    if not found:
        raise MissingDependencyError(
            f"no fts.duckdb_extension file under {folder}",
            hint="reinstall duckdb-extension-fts matching your duckdb version",
        )
    # LOAD takes no parameters; this is our package's own file path, quoted as a literal.
    literal = str(found[-1]).replace("'", "''")
    con.execute(f"LOAD '{literal}'")


def _identity(catalog: Catalog, column: str) -> str:
    """What the index was built from: the files holding the column (they change on rewrite)."""
    top = column.split(".", maxsplit=1)[0]
    relation = catalog.relations.get(top)
    files = relation.files if relation is not None else catalog.source_files
    return json.dumps({"column": column, "files": [Path(f).name for f in files]})


def fts_database(ds: BaseDataset, catalog: Catalog, column: str) -> Path:
    """The FTS database of ``column``, built (or rebuilt) when needed."""
    import duckdb

    target = ds.store.fts_path(column)
    folder, meta = target.parent, target.with_suffix(".json")
    identity = _identity(catalog, column)
    if target.exists() and meta.exists() and meta.read_text(encoding="utf-8") == identity:
        return target
    with ds.store.lock():
        folder.mkdir(parents=True, exist_ok=True)
        docs = ds.select_rows([ROWID, column], include_deleted=True).arrow()
        docs = docs.rename_columns([ROWID, "text"])
        staging = folder / f".staging-{target.name}"
        staging.unlink(missing_ok=True)
        con = duckdb.connect(str(staging))
        try:
            _load_fts(con)
            con.register("gm_docs", docs)
            con.execute(f"CREATE TABLE docs AS SELECT {ROWID}, text FROM gm_docs")
            con.execute(
                f"PRAGMA create_fts_index('docs', '{ROWID}', 'text', stemmer='porter',"
                " stopwords='english', strip_accents=1, lower=1, overwrite=1)"
            )
            con.execute("CHECKPOINT")
        finally:
            con.close()
        staging.replace(target)
        atomic_write_text(meta, identity)
    return target


def query_terms(query: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(query)]


def highlight_spans(
    text: str | None, targets: set[str], stems: dict[str, str]
) -> list[dict[str, Any]]:
    """Character spans of the words in ``text`` whose Porter stem is one of ``targets``."""
    if not text or not targets:
        return []
    return [
        {"start": m.start(), "end": m.end(), "score": 1.0}
        for m in _WORD.finditer(text)
        if stems.get(m.group().lower()) in targets
    ]


_stemmer: duckdb.DuckDBPyConnection | None = None
_stemmer_lock = threading.Lock()


def porter_stems(words: set[str]) -> dict[str, str]:
    """Each lower-case word's Porter stem, from the FTS extension's own ``stem``: a word is
    highlighted exactly when BM25 matched it (``fallacies`` and ``fallacy`` share ``fallaci``)."""
    import duckdb

    global _stemmer
    if not words:
        return {}
    with _stemmer_lock:
        if _stemmer is None:
            _stemmer = duckdb.connect()
            _load_fts(_stemmer)
        rows = _stemmer.execute(
            "SELECT w, stem(w, 'porter') FROM unnest($words) AS t(w)", {"words": sorted(words)}
        ).fetchall()
    return dict(rows)


def highlighter(query: str) -> Callable[[list[str | None]], list[list[dict[str, Any]]]]:
    terms = query_terms(query)

    def spans_for(texts: list[str | None]) -> list[list[dict[str, Any]]]:
        # One stemming query per page: the page's distinct words and the query's.
        words = {w.lower() for text in texts if text for w in _WORD.findall(text)}
        stems = porter_stems(words | set(terms))
        targets = {stems[t] for t in terms}
        return [highlight_spans(text, targets, stems) for text in texts]

    return spans_for


_connections: dict[str, tuple[int, duckdb.DuckDBPyConnection]] = {}
_connections_lock = threading.Lock()


def _fts_cursor(database: Path) -> duckdb.DuckDBPyConnection:
    """A cursor on a cached read-only connection to ``database`` (reopened when it is rebuilt)."""
    import duckdb

    stamp = database.stat().st_mtime_ns
    key = str(database)
    with _connections_lock:
        cached = _connections.get(key)
        if cached is None or cached[0] != stamp:
            if cached is not None:
                cached[1].close()
            con = duckdb.connect(key, read_only=True)
            _load_fts(con)
            cached = (stamp, con)
            _connections[key] = cached
        return cached[1].cursor()


def keyword_ranking_table(ds: BaseDataset, catalog: Catalog, column: str, query: str) -> pa.Table:
    """``__rowid__``, BM25 ``score`` and the ``text`` of every row matching ``query``.

    Highlights are computed later, only for the rows a page returns (see ``highlighter``).
    """
    import pyarrow as pa

    cur = _fts_cursor(fts_database(ds, catalog, column))
    found = cur.execute(
        f"SELECT {ROWID}, score, text FROM (SELECT {ROWID}, text,"
        f" fts_main_docs.match_bm25({ROWID}, $query) AS score FROM docs)"
        " WHERE score IS NOT NULL",
        {"query": query},
    ).to_arrow_table()
    return pa.table(
        {
            ROWID: found.column(ROWID).cast(pa.int64()),
            "score": found.column("score").cast(pa.float64()),
            "text": found.column("text"),
        }
    )
