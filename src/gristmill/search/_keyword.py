"""Keyword search: BM25 from DuckDB's full-text-search extension, with highlighted words.

The FTS index of a column lives in its own DuckDB file under ``fts/``, built by the
``keyword_index`` job (``compute_keyword_index``), never by a query: until it exists, and after
the column's files change (a ``map`` rewriting it), a query computes the same BM25 scores by
scanning the column. Labels and deletes leave the column's files as they are, so the index stays
current (deleted rows are filtered by the query). The extension comes from the PyPI package
``duckdb-extension-fts``, so nothing is downloaded at run time.
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
# The index's tokenising; the scan reads the same tokeniser and stopwords from the extension.
_FTS_OPTIONS = "stemmer='porter', stopwords='english', strip_accents=1, lower=1"
# BM25's parameters: the FTS extension's defaults (``match_bm25``'s k and b).
_K1, _B = 1.2, 0.75


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


def index_is_current(ds: BaseDataset, catalog: Catalog, column: str) -> bool:
    """True when ``column``'s FTS database exists and was built from its current files."""
    target = ds.store.fts_path(column)
    meta = target.with_suffix(".json")
    return (
        target.exists()
        and meta.exists()
        and meta.read_text(encoding="utf-8") == _identity(catalog, column)
    )


def build_fts_database(ds: BaseDataset, catalog: Catalog, column: str) -> int:
    """Build ``column``'s FTS database into a staged file, then swap it in; the rows indexed.

    The caller holds the writer lock (``compute_keyword_index``). Queries never call this: a
    query without a current index scans instead (``scan_ranking_table``).
    """
    import duckdb

    target = ds.store.fts_path(column)
    folder, meta = target.parent, target.with_suffix(".json")
    # Taken before the rows are read: if the column changes meanwhile, the index is recorded
    # under the older files and reads as stale, never as current with old text.
    identity = _identity(catalog, column)
    folder.mkdir(parents=True, exist_ok=True)
    docs = _documents(ds, column)
    staging = folder / f".staging-{target.name}"
    staging.unlink(missing_ok=True)
    con = duckdb.connect(str(staging))
    try:
        _load_fts(con)
        con.register("gm_docs", docs)
        con.execute(f"CREATE TABLE docs AS SELECT {ROWID}, text FROM gm_docs")
        con.execute(
            f"PRAGMA create_fts_index('docs', '{ROWID}', 'text', {_FTS_OPTIONS}, overwrite=1)"
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    staging.replace(target)
    atomic_write_text(meta, identity)
    return int(docs.num_rows)


def _documents(ds: BaseDataset, column: str) -> pa.Table:
    """Every row's ``__rowid__`` and ``text``, deleted rows included: deletes are filtered at
    query time, so deleting a row changes neither the index nor any score."""
    docs = ds.select_rows([ROWID, column], include_deleted=True).arrow()
    return docs.rename_columns([ROWID, "text"])


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
        # Literals, not a bound list, for the reason ``_with_query`` gives.
        listed = ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(words))
        rows = _stemmer.execute(
            f"SELECT w, stem(w, 'porter') FROM unnest([{listed}]::VARCHAR[]) AS t(w)"
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
    """``__rowid__``, BM25 ``score`` and the ``text`` of every row matching ``query``: from the
    index when it is current, else from a scan giving the same scores (never building it).

    Highlights are computed later, only for the rows a page returns (see ``highlighter``).
    """
    if not index_is_current(ds, catalog, column):
        return scan_ranking_table(ds, column, query)
    cur = _fts_cursor(ds.store.fts_path(column))
    found = cur.execute(_with_query(_INDEX_SQL, query)).to_arrow_table()
    return _ranking_columns(found)


# ``match_bm25``'s formula over the index's tables in one set query: the macro, called per row
# (``SELECT match_bm25(rowid, q) FROM docs``), re-evaluated its subqueries for every document.
_INDEX_SQL = f"""
WITH q AS (
    SELECT DISTINCT stem(unnest(fts_main_docs.tokenize($query)), 'porter') AS term
), qterms AS (
    SELECT termid, df FROM fts_main_docs.dict AS dict JOIN q USING (term)
), tf AS (
    SELECT docid, termid, count(*) AS tf FROM fts_main_docs.terms
    WHERE termid IN (SELECT termid FROM qterms) GROUP BY docid, termid
), scores AS (
    SELECT tf.docid, sum(
        log(((stats.num_docs - qterms.df + 0.5) / (qterms.df + 0.5)) + 1)
        * ((tf.tf * ({_K1} + 1))
            / (tf.tf + ({_K1} * ((1 - {_B}) + ({_B} * (d.len / stats.avgdl))))))
    ) AS score
    FROM tf JOIN qterms USING (termid) JOIN fts_main_docs.docs AS d USING (docid),
        fts_main_docs.stats AS stats
    GROUP BY tf.docid
)
SELECT d.name AS {ROWID}, scores.score, docs.text
FROM scores JOIN fts_main_docs.docs AS d USING (docid) JOIN docs ON docs.{ROWID} = d.name
"""


def _with_query(template: str, query: str) -> str:
    """``template`` with the query as a SQL string literal. Not a bound parameter: binding any
    parameter makes DuckDB import pandas, half a second of a fresh process's first search."""
    return template.replace("$query", "'" + query.replace("'", "''") + "'")


def scan_ranking_table(ds: BaseDataset, column: str, query: str) -> pa.Table:
    """The same BM25 ranking as the index's, computed by one scan of the column.

    It follows ``match_bm25`` step by step: the extension's tokeniser and English stopwords
    (read from a one-row index built in memory), Porter stems, the index's document count and
    mean length over every row (deleted ones included, as indexed), and its formula. Only the
    words' lengths and the query's stems are counted, so no term table is built.
    """
    docs = _documents(ds, column)
    cur = _scan_cursor()
    cur.register("gm_docs", docs)
    try:
        found = cur.execute(_with_query(_SCAN_SQL, query)).to_arrow_table()
    finally:
        cur.unregister("gm_docs")
        cur.close()
    return _ranking_columns(found)


# ``fts_main_gm_proto`` holds the extension's own ``tokenize`` macro and ``stopwords`` table.
_SCAN_SQL = f"""
WITH q AS (
    SELECT DISTINCT stem(unnest(fts_main_gm_proto.tokenize($query)), 'porter') AS term
), words AS (
    SELECT {ROWID} AS id, unnest(fts_main_gm_proto.tokenize(text)) AS w FROM gm_docs
), kept AS (
    SELECT id, w FROM words
    WHERE w IS NOT NULL AND len(w) > 0 AND w NOT IN (SELECT sw FROM fts_main_gm_proto.stopwords)
), lengths AS (
    SELECT id, count(*) AS len FROM kept GROUP BY id
), stats AS (
    SELECT count(*) AS num_docs,
        (SELECT coalesce(sum(len), 0) FROM lengths) / count(*) AS avgdl
    FROM gm_docs
), matched_words AS (
    SELECT w, term FROM (SELECT DISTINCT w FROM kept) AS d, LATERAL
        (SELECT stem(d.w, 'porter') AS term) WHERE term IN (SELECT term FROM q)
), tf AS (
    SELECT id, term, count(*) AS tf FROM kept JOIN matched_words USING (w) GROUP BY id, term
), df AS (
    SELECT term, count(*) AS df FROM tf GROUP BY term
), scores AS (
    SELECT tf.id, sum(
        log(((stats.num_docs - df.df + 0.5) / (df.df + 0.5)) + 1)
        * ((tf.tf * ({_K1} + 1))
            / (tf.tf + ({_K1} * ((1 - {_B}) + ({_B} * (lengths.len / stats.avgdl))))))
    ) AS score
    FROM tf JOIN df USING (term) JOIN lengths USING (id), stats
    GROUP BY tf.id
)
SELECT scores.id AS {ROWID}, scores.score, gm_docs.text
FROM scores JOIN gm_docs ON gm_docs.{ROWID} = scores.id
"""

_scanner: duckdb.DuckDBPyConnection | None = None
_scanner_lock = threading.Lock()


def _scan_cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on an in-memory connection holding the extension's tokeniser and stopwords."""
    import duckdb

    global _scanner
    with _scanner_lock:
        if _scanner is None:
            con = duckdb.connect()
            _load_fts(con)
            con.execute(f"CREATE TABLE gm_proto AS SELECT 0::BIGINT AS {ROWID}, '' AS text")
            con.execute(f"PRAGMA create_fts_index('gm_proto', '{ROWID}', 'text', {_FTS_OPTIONS})")
            _scanner = con
        return _scanner.cursor()


def _ranking_columns(found: pa.Table) -> pa.Table:
    import pyarrow as pa

    return pa.table(
        {
            ROWID: found.column(ROWID).cast(pa.int64()),
            "score": found.column("score").cast(pa.float64()),
            "text": found.column("text"),
        }
    )
