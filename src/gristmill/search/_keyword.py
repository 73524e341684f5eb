"""Keyword search: BM25 from DuckDB's full-text-search extension, with highlighted words.

The FTS index of a column lives in its own DuckDB file under ``fts/``, built by the
``keyword_index`` job (``compute_keyword_index``, started after a load, see
``_keyword_background``), never by a query: until it exists, and after the column's files change
(a ``map`` rewriting it), a query computes the same BM25 scores by scanning the column. Labels and
deletes leave the column's files as they are, so the index stays current (deleted rows are
filtered by the query). Both the build and the scan read the column from its Parquet files in
DuckDB, under a memory limit (spilling to disk), never as one table in Python. The extension comes
from the PyPI package ``duckdb-extension-fts``, so nothing is downloaded at run time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data.catalog import Catalog
from gristmill.data.dataset import BaseDataset
from gristmill.data.engine import DEFAULT_MEMORY_LIMIT
from gristmill.data.files import atomic_write_text
from gristmill.data.query import QueryBuilder
from gristmill.data.sql import quote_identifier, sql_literal
from gristmill.data.store import ROWID
from gristmill.errors import JobCancelledError, MissingDependencyError
from gristmill.search._doc_lengths import WordCounter

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

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


# An index build runs beside the process's other queries (in the background after a load),
# so it gets half the engine's default: at 1M rows, 'response' (~80 words a row) peaked at
# 2.0 GiB RSS under the 2 GB limit.
BUILD_MEMORY_LIMIT_ENV = "GRISTMILL_KEYWORD_INDEX_MEMORY_LIMIT"
DEFAULT_BUILD_MEMORY_LIMIT = "1GB"


def _duckdb_config(spill: Path | None = None) -> dict[str, Any]:
    """A memory limit (a big column spills to disk instead of filling memory): the engine's for
    a scan, ``GRISTMILL_KEYWORD_INDEX_MEMORY_LIMIT`` (1 GB) for a build (``spill`` given)."""
    limit = (
        os.environ.get(BUILD_MEMORY_LIMIT_ENV, DEFAULT_BUILD_MEMORY_LIMIT)
        if spill is not None
        else os.environ.get("GRISTMILL_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
    )
    config: dict[str, Any] = {
        "memory_limit": limit,
        # Rows are keyed by rowid: their order inside a table never matters, and keeping it
        # costs memory in a big CREATE TABLE AS.
        "preserve_insertion_order": False,
    }
    if spill is not None:
        config["temp_directory"] = str(spill)
    return config


def documents_sql(catalog: Catalog, column: str) -> str:
    """SQL over the dataset's Parquet files for every row's ``__rowid__`` and ``text``.

    Deleted rows included: deletes are filtered at query time, so deleting a row changes
    neither the index nor any score. Run in another DuckDB connection, it streams the column
    from its files. It has no parameters (no filters), so its text runs as it is.
    """
    builder = QueryBuilder(catalog)
    text = builder.value_sql(builder.resolve(column))
    statement = builder.select(
        [(ROWID, f"src.{quote_identifier(ROWID)}"), ("text", text)], [], include_deleted=True
    )
    assert not statement.params.values and not statement.params.tables
    return statement.sql


@contextlib.contextmanager
def _interrupted_when(
    con: duckdb.DuckDBPyConnection, stop: Callable[[], bool] | None
) -> Iterator[None]:
    """Interrupt ``con``'s statements once ``stop()`` is true (a cancel, the process exiting).

    Polled from a thread of its own: the statements block the thread that runs them.
    """
    if stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        # Again and again: an index build is several statements, each checks the flag anew.
        while not done.wait(0.2):
            if stop():
                con.interrupt()

    watcher = threading.Thread(target=watch, name="gristmill-fts-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def build_fts_database(
    ds: BaseDataset, catalog: Catalog, column: str, *, stop: Callable[[], bool] | None = None
) -> int:
    """Build ``column``'s FTS database into a staged file, then swap it in; the rows indexed.

    The caller holds the writer lock (``compute_keyword_index``). Queries never call this: a
    query without a current index scans instead (``scan_ranking_table``). The staged file and
    the spill folder have dot names (never data); a build killed half-way leaves them for the
    next build of the column to remove. ``stop()`` true interrupts the build: JobCancelledError.
    """
    import duckdb

    target = ds.store.fts_path(column)
    folder, meta = target.parent, target.with_suffix(".json")
    # Taken before the rows are read: if the column changes meanwhile, the index is recorded
    # under the older files and reads as stale, never as current with old text.
    identity = _identity(catalog, column)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".staging-{target.name}"
    spill = folder / f".tmp-spill-{target.stem}"
    _remove_staged(staging, spill)
    con = duckdb.connect(str(staging), config=_duckdb_config(spill))
    try:
        with _interrupted_when(con, stop):
            _load_fts(con)
            con.execute(
                f"CREATE TABLE docs AS SELECT {ROWID}, text FROM ({documents_sql(catalog, column)})"
            )
            (num_rows,) = con.execute("SELECT count(*) FROM docs").fetchone() or (0,)
            con.execute(
                f"PRAGMA create_fts_index('docs', '{ROWID}', 'text', {_FTS_OPTIONS}, overwrite=1)"
            )
            con.execute("CHECKPOINT")
    except duckdb.InterruptException:
        con.close()
        _remove_staged(staging, spill)
        raise JobCancelledError(
            f"the keyword index of '{column}' was stopped before it was complete",
            hint="keyword searches scan the column until ds.compute_keyword_index() builds it",
        ) from None
    except BaseException:
        con.close()
        _remove_staged(staging, spill)
        raise
    con.close()
    shutil.rmtree(spill, ignore_errors=True)
    staging.replace(target)
    atomic_write_text(meta, identity)
    return int(num_rows)


def _remove_staged(staging: Path, spill: Path) -> None:
    staging.unlink(missing_ok=True)
    staging.with_name(staging.name + ".wal").unlink(missing_ok=True)
    shutil.rmtree(spill, ignore_errors=True)


def stem_prefixes(stems: set[str]) -> set[str]:
    """What every word with one of these Porter stems starts with: the stem less two letters.

    Porter rewrites only a word's last letters (a final y to i, a suffix to a shorter one), so
    a word's stem less its last letter is a prefix of the word; two letters leave a margin
    (checked on 65,000 distinct words of real instruction and chat data: one letter was
    enough; ``test_scan_and_index_agree_on_every_kind_of_word`` keeps it true).
    Looking only at words with such a prefix skips stemming every word of every row.
    """
    return {stem[: max(1, len(stem) - 2)] for stem in stems if stem}


def _candidate_words(prefixes: set[str]) -> re.Pattern[str]:
    """The whole ``\\w+`` words starting (in any case) with one of ``prefixes``."""
    listed = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{listed})\w*", re.IGNORECASE)


_stems_lock = threading.Lock()
# Stems already looked up: a page of results repeats most of the previous page's words.
_stems: dict[str, str] = {}
_STEMS_KEPT = 200_000


def porter_stems(words: set[str]) -> dict[str, str]:
    """Each lower-case word's Porter stem, from the FTS extension's own ``stem``: a word is
    highlighted exactly when BM25 matched it (``fallacies`` and ``fallacy`` share ``fallaci``)."""
    with _stems_lock:
        known = {w: _stems[w] for w in words if w in _stems}
    missing = sorted(words - known.keys())
    if not missing:
        return known
    # Literals, not a bound list, for the reason ``_with_query`` gives.
    listed = ", ".join(sql_literal(w) or "NULL" for w in missing)
    cur, _ = _stemming_cursor()
    try:
        rows = cur.execute(
            f"SELECT w, stem(w, 'porter') FROM unnest([{listed}]::VARCHAR[]) AS t(w)"
            " WHERE w IS NOT NULL"
        ).fetchall()
    finally:
        cur.close()
    known.update(rows)
    with _stems_lock:
        if len(_stems) + len(rows) > _STEMS_KEPT:
            _stems.clear()
        _stems.update(rows)
    return known


def query_stems(query: str) -> set[str]:
    """The stems BM25 matches for ``query``: the extension's tokens, less its stopwords."""
    cur, schema = _stemming_cursor()
    try:
        sql = _with_query(
            "SELECT DISTINCT stem(t, 'porter') FROM unnest({schema}.tokenize($query))"
            " AS q(t) WHERE len(t) > 0 AND t NOT IN (SELECT sw FROM {schema}.stopwords)",
            query,
            schema=schema,
        )
        return {row[0] for row in cur.execute(sql).fetchall() if row[0]}
    finally:
        cur.close()


def highlighter(query: str) -> Callable[[list[str | None]], list[list[dict[str, Any]]]]:
    """Spans of the words of each text that BM25 matched: those whose stem is a query stem.

    Only words starting like a query stem (``stem_prefixes``) are looked at and stemmed: one
    regex scan per text in C instead of a Python step per word (100k matching rows: 3.3 s).
    """

    def spans_for(texts: list[str | None]) -> list[list[dict[str, Any]]]:
        targets = query_stems(query)
        if not targets:
            return [[] for _ in texts]
        candidate = _candidate_words(stem_prefixes(targets))
        found = [list(candidate.finditer(text)) if text else [] for text in texts]
        stems = porter_stems({m.group().lower() for matches in found for m in matches})
        return [
            [
                {"start": m.start(), "end": m.end(), "score": 1.0}
                for m in matches
                if stems.get(m.group().lower()) in targets
            ]
            for matches in found
        ]

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
        return scan_ranking_table(catalog, column, query)
    cur = _fts_cursor(ds.store.fts_path(column))
    return cur.execute(_with_query(_INDEX_SQL, query)).to_arrow_table()


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
SELECT d.name::BIGINT AS {ROWID}, scores.score::DOUBLE AS score, docs.text
FROM scores JOIN fts_main_docs.docs AS d USING (docid) JOIN docs ON docs.{ROWID} = d.name
"""


def _with_query(template: str, query: str, **parts: str) -> str:
    """``template`` with the query as a SQL string literal for ``$query`` and each ``{name}``
    of ``parts``, in one pass, so nothing inserted is ever read again as a placeholder.

    Not a bound parameter: binding any parameter makes DuckDB import pandas, half a second of a
    fresh process's first search.
    """
    # Control characters separate words like spaces do, and have no literal (see sql_literal).
    literal = sql_literal(query) or sql_literal(re.sub(r"[\x00-\x1f\x7f]", " ", query))
    assert literal is not None
    values = {"$query": literal, **{f"{{{name}}}": sql for name, sql in parts.items()}}
    pattern = "|".join(re.escape(key) for key in values)
    return re.sub(pattern, lambda m: values[m.group()], template)


def scan_ranking_table(catalog: Catalog, column: str, query: str) -> pa.Table:
    """The same BM25 ranking as the index's, computed by a scan of the column's files.

    It follows ``match_bm25`` step by step: the extension's tokeniser and English stopwords
    (read from a one-row index built in memory), Porter stems, the index's document count and
    mean length over every row (deleted ones included, as indexed), and its formula. Only the
    rows whose text holds a word starting like a query stem (``stem_prefixes``) are tokenised,
    and only those words stemmed; the mean length comes from ``column_words`` (kept per file
    version). DuckDB streams the column from Parquet under its memory limit.
    """
    stems = query_stems(query)
    if not stems:
        return _empty_ranking()
    prefixes = sorted(stem_prefixes(stems))
    candidate = " OR ".join(f"starts_with(w, {sql_literal(p)})" for p in prefixes)
    holds = " OR ".join(f"contains(folded, {sql_literal(p)})" for p in prefixes)
    docs = documents_sql(catalog, column)
    num_docs = max(catalog.num_rows, 1)
    cur = _scan_cursor()
    try:
        words = column_words(cur, catalog, column, docs)
        sql = _with_query(
            _SCAN_SQL,
            query,
            docs=docs,
            num_docs=str(num_docs),
            avgdl=f"({words}::DOUBLE / {num_docs})",
            candidate=candidate,
            holds=holds,
        )
        return cur.execute(sql).to_arrow_table()
    finally:
        cur.close()


def _empty_ranking() -> pa.Table:
    import pyarrow as pa

    fields = [(ROWID, pa.int64()), ("score", pa.float64()), ("text", pa.string())]
    return pa.schema(fields).empty_table()


_words_lock = threading.Lock()
# Words per column, keyed by the files they were counted in (a rewrite changes the key).
_column_words: dict[tuple[object, ...], int] = {}
_counter: WordCounter | None = None


def column_words(cur: duckdb.DuckDBPyConnection, catalog: Catalog, column: str, docs: str) -> int:
    """How many words less stopwords ``column`` holds over every row, as the index counts them.

    Plain rows are counted by ``WordCounter`` in record batches, the others by the extension's
    tokeniser; the total is kept for the files' current version, so only a process's first
    scan of a column pays it.
    """
    global _counter
    key = _files_key(catalog, column)
    with _words_lock:
        if key in _column_words:
            return _column_words[key]
        if _counter is None:
            stopwords = cur.execute("SELECT sw FROM fts_main_gm_proto.stopwords").fetchall()
            _counter = WordCounter(row[0] for row in stopwords)
        counter = _counter
    text = f"SELECT coalesce(CAST(text AS VARCHAR), '') AS text FROM ({docs})"
    # numpy releases the GIL over big arrays: a batch per core while DuckDB reads the next,
    # with a few batches in flight at most (a 10M-row column is gigabytes of text).
    workers = os.cpu_count() or 1
    pending: deque[Future[tuple[int, Any]]] = deque()
    counted: list[tuple[int, bool]] = []  # words, and whether other rows were left

    def collect(future: Future[tuple[int, Any]]) -> None:
        words, other = future.result()
        counted.append((words, len(other) > 0))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for batch in cur.execute(text).to_arrow_reader(_WORD_BATCH_ROWS):
            pending.append(pool.submit(counter.count, batch.column(0)))
            while pending and (len(pending) > 2 * workers or pending[0].done()):
                collect(pending.popleft())
        for future in pending:
            collect(future)
    total = sum(words for words, _ in counted)
    others = any(left for _, left in counted)
    if others:
        row = cur.execute(_OTHER_WORDS_SQL.replace("{docs}", docs)).fetchone()
        total += int(row[0]) if row else 0
    with _words_lock:
        if len(_column_words) > 1000:
            _column_words.clear()
        _column_words[key] = total
    return total


def _files_key(catalog: Catalog, column: str) -> tuple[object, ...]:
    top = column.split(".", maxsplit=1)[0]
    relation = catalog.relations.get(top)
    files = {*catalog.source_files, *(relation.files if relation is not None else ())}
    stamps = []
    for path in sorted(files):
        stat = os.stat(path)
        stamps.append((path, stat.st_mtime_ns, stat.st_size))
    return (column, *stamps)


_WORD_BATCH_ROWS = 16_384
# The rows ``WordCounter`` leaves: those not plain (printable ASCII, \t \n \f \r).
_OTHER_WORDS_SQL = r"""
SELECT count(*) FROM (
    SELECT unnest(fts_main_gm_proto.tokenize(text)) AS w
    FROM (SELECT coalesce(CAST(text AS VARCHAR), '') AS text FROM ({docs}))
    WHERE NOT regexp_full_match(text, '[\t\n\f\r -~]*')
) WHERE w IS NOT NULL AND len(w) > 0 AND w NOT IN (SELECT sw FROM fts_main_gm_proto.stopwords)
"""

# ``fts_main_gm_proto`` holds the extension's own ``tokenize`` macro and ``stopwords`` table.
# A word starting with a prefix is in the lower-cased, accent-free text (the tokeniser only
# turns punctuation into spaces), so ``holds`` keeps every row with a candidate word.
_SCAN_SQL = f"""
WITH q AS (
    SELECT DISTINCT stem(unnest(fts_main_gm_proto.tokenize($query)), 'porter') AS term
), docs AS NOT MATERIALIZED (
    {{docs}}
), matching AS (
    SELECT {ROWID} AS id, text FROM (
        SELECT {ROWID}, text, lower(strip_accents(CAST(text AS VARCHAR))) AS folded FROM docs
    ) WHERE {{holds}}
), words AS (
    SELECT id, unnest(fts_main_gm_proto.tokenize(text)) AS w FROM matching
), kept AS (
    SELECT id, w FROM words
    WHERE w IS NOT NULL AND len(w) > 0 AND w NOT IN (SELECT sw FROM fts_main_gm_proto.stopwords)
), per_doc AS (
    SELECT id, count(*) AS len, list(w) FILTER (WHERE {{candidate}}) AS candidates
    FROM kept GROUP BY id
), stats AS (
    SELECT {{num_docs}} AS num_docs, {{avgdl}} AS avgdl
), stemmed AS (
    SELECT id, stem(c, 'porter') AS term
    FROM (SELECT id, unnest(candidates) AS c FROM per_doc WHERE candidates IS NOT NULL)
), tf AS (
    SELECT id, term, count(*) AS tf FROM stemmed
    WHERE term IN (SELECT term FROM q) GROUP BY id, term
), df AS (
    SELECT term, count(*) AS df FROM tf GROUP BY term
), scores AS (
    SELECT tf.id, sum(
        log(((stats.num_docs - df.df + 0.5) / (df.df + 0.5)) + 1)
        * ((tf.tf * ({_K1} + 1))
            / (tf.tf + ({_K1} * ((1 - {_B}) + ({_B} * (per_doc.len / stats.avgdl))))))
    ) AS score
    FROM tf JOIN df USING (term) JOIN per_doc USING (id), stats
    GROUP BY tf.id
)
SELECT scores.id::BIGINT AS {ROWID}, scores.score::DOUBLE AS score, matching.text
FROM scores JOIN matching ON matching.id = scores.id
"""

_scanner: duckdb.DuckDBPyConnection | None = None
_scanner_lock = threading.Lock()


def _stemming_cursor() -> tuple[duckdb.DuckDBPyConnection, str]:
    """A cursor with the extension's ``stem``, and the schema of its ``tokenize`` and
    ``stopwords``: an open index's connection when there is one, else the in-memory one.

    Every index is built with the same options as the in-memory one (``_FTS_OPTIONS``), so both
    tokenise and stem alike; a first search on an index then highlights without opening and
    preparing a second connection (a third of a fresh process's first search).
    """
    with _connections_lock:
        for _, con in _connections.values():
            return con.cursor(), "fts_main_docs"
    return _scan_cursor(), "fts_main_gm_proto"


def _scan_cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on an in-memory connection holding the extension's tokeniser and stopwords."""
    import duckdb

    global _scanner
    with _scanner_lock:
        if _scanner is None:
            con = duckdb.connect(config=_duckdb_config())
            _load_fts(con)
            con.execute(f"CREATE TABLE gm_proto AS SELECT 0::BIGINT AS {ROWID}, '' AS text")
            con.execute(f"PRAGMA create_fts_index('gm_proto', '{ROWID}', 'text', {_FTS_OPTIONS})")
            _scanner = con
        return _scanner.cursor()
