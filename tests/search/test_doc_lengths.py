"""The scan's word counts equal those of the FTS extension's tokeniser, document by document."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pytest

import gristmill as gm
from gristmill.search._doc_lengths import WordCounter
from gristmill.search._keyword import _scan_cursor, column_words, documents_sql

_PIECES = [
    "the",
    "The",
    "THE",
    "a",
    "A",
    "of",
    "and",
    "python",
    "Function",
    "shouldn't",
    "a's",
    "don't",
    "x",
    "i",
    "it's",
    "über",
    "à",
    "Ünïcödé",
    "中文",
    "naïve",
    "café",
    "São",
    "snake_case",
    "kebab-case",
    "3rd",
    "v2",
    "e.g.",
    "U.S.A.",
    "foo/bar",
    "x\\y",
    "#tag",
    "@user",
    "$5",
    "50%",
    "(paren)",
    "[list]",
    "{dict}",
    "<tag>",
    "a|b",
    "~home",
    "`code`",
    '"quoted"',
    "'single'",
    "q?",
    "wow!",
    "semi;colon",
    "co:lon",
    "a+b=c",
    "a^b",
    "a&b",
    "a*b",
    "\x00",
    "a\x00",
    "\x0b",
    "\x1f",
    "\x7f",
    "\u00a0",
    "\u2003",
    "tab\tbed",
    "line\nfeed",
    "form\ffeed",
    "cr\rlf",
    "  ",
    "",
    "longwordwithoutanybreaksatallxx",
    "ABOUT",
    "Yourselves",
]


def _documents(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        parts = rng.choices(_PIECES, k=rng.randint(0, 12))
        joints = rng.choices([" ", "", ",", ". ", "\n", "-", "\t"], k=len(parts))
        documents.append("".join(p + j for p, j in zip(parts, joints, strict=True)))
    return documents


def _extension_counts(documents: list[str]) -> list[int]:
    cur = _scan_cursor()
    try:
        cur.register("gm_docs", pa.table({"i": range(len(documents)), "text": documents}))
        rows = cur.execute(
            "SELECT i, count(w) FILTER (WHERE w IS NOT NULL AND len(w) > 0 AND w NOT IN"
            " (SELECT sw FROM fts_main_gm_proto.stopwords)) FROM (SELECT i,"
            " unnest(fts_main_gm_proto.tokenize(text)) AS w FROM gm_docs) GROUP BY i"
        ).fetchall()
    finally:
        cur.close()
    found = dict(rows)
    return [int(found.get(i, 0)) for i in range(len(documents))]


def _plain(document: str) -> bool:
    return all(c in "\t\n\f\r" or " " <= c <= "~" for c in document)


@pytest.fixture(scope="module")
def counter() -> WordCounter:
    cur = _scan_cursor()
    try:
        stopwords = [
            row[0] for row in cur.execute("SELECT sw FROM fts_main_gm_proto.stopwords").fetchall()
        ]
    finally:
        cur.close()
    return WordCounter(stopwords)


@pytest.mark.parametrize("seed", range(4))
def test_plain_documents_count_as_the_extension_counts(counter: WordCounter, seed: int) -> None:
    documents = _documents(400, seed)
    expected = _extension_counts(documents)
    others = {i for i, d in enumerate(documents) if not _plain(d)}
    assert 0 < len(others) < len(documents)
    total, other = counter.count(pa.array(documents))
    assert set(other.tolist()) == others
    assert total == sum(n for i, n in enumerate(expected) if i not in others)
    # One by one too: a word never runs across two documents' edge.
    for i, document in enumerate(documents[:120]):
        alone, other = counter.count(pa.array([document]))
        assert (alone, len(other)) == ((0, 1) if i in others else (expected[i], 0)), document


def test_a_slice_empty_documents_and_a_plain_string_array_count_alike(
    counter: WordCounter,
) -> None:
    documents = ["", "The function", "", "", "runs fast", ""]
    whole = pa.array(documents, pa.string())
    assert counter.count(whole)[0] == 3
    assert counter.count(whole.slice(2, 2))[0] == 0
    assert counter.count(whole.slice(2, 3))[0] == 2
    assert counter.count(whole.slice(1, 4))[0] == 3
    assert counter.count(pa.array(["", ""]))[0] == 0
    assert counter.count(pa.array(["words", "", "", "run", "fast"]))[0] == 3


def test_a_columns_words_are_counted_as_the_extension_counts_them(tmp_path: Path) -> None:
    documents = _documents(3000, 7)
    rows = [{"text": d if i % 50 else None} for i, d in enumerate(documents)]
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ds = gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="words", source=gm.JSONSource(filepaths=[str(source)])
        ),
        show_progress=False,
    )
    catalog = ds.catalog()
    expected = sum(_extension_counts([r["text"] or "" for r in rows]))
    cur = _scan_cursor()
    try:
        assert column_words(cur, catalog, "text", documents_sql(catalog, "text")) == expected
    finally:
        cur.close()
