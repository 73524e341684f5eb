"""The literal prefilter of regex filters never changes which rows match.

``required_literals`` is checked against DuckDB's own RE2 (the engine the filter runs on) on
generated patterns — alternation, optional and repeated groups, classes, escapes, flags — and the
compiled filter is checked against plain ``regexp_matches`` row by row, and through a dataset.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gristmill as gm
from gristmill.data.filters import predicate_sql
from gristmill.data.regex_literals import RegexLiterals, required_literals
from gristmill.data.sql import SqlParams, Statement

# (pattern piece, a text it matches): concatenated samples make texts that often match.
_ATOMS: list[tuple[str, str]] = [
    ("a", "a"),
    ("b", "b"),
    ("A", "A"),
    (" ", " "),
    ("é", "é"),
    ("def ", "def "),
    (r"\(", "("),
    (r"\.", "."),
    (r"\{", "{"),
    (r"\d", "7"),
    (r"\w", "x"),
    (r"\s", " "),
    (r"\x41", "A"),
    (r"\x{62}", "b"),
    (r"\pL", "q"),
    (r"\p{Greek}", "λ"),
    (r"\101", "A"),
    ("[ab]", "b"),
    ("[^a]", "c"),
    ("[]a]", "]"),
    ("[[:digit:]]", "3"),
    ("[a-c]", "c"),
    (".", "z"),
    ("{,2}", "{,2}"),
    ("}", "}"),
]
_ANCHORS = ["^", "$", r"\b", r"\B", r"\A", r"\z"]
_QUANTIFIERS = ["*", "+", "?", "{2}", "{0,1}", "{1,3}", "{2,}", "*?", "+?", "??"]
_ALPHABET = "aAbBc(){},.2é λ7def\n"


@st.composite
def _pieces(draw: st.DrawFn, depth: int = 0) -> tuple[str, str]:
    kind = draw(
        st.sampled_from(["atom"] * 5 + ["anchor", "group", "alt"] if depth < 2 else ["atom"])
    )
    if kind == "atom":
        pattern, sample = draw(st.sampled_from(_ATOMS))
    elif kind == "anchor":
        return draw(st.sampled_from(_ANCHORS)), ""
    elif kind == "group":
        inner, sample = draw(_sequence(depth + 1))
        opener = draw(st.sampled_from(["(", "(?:", "(?i:", "(?s:", "(?P<n>"]))
        pattern = f"{opener}{inner})"
        sample = sample.upper() if opener == "(?i:" and draw(st.booleans()) else sample
    else:
        left, left_sample = draw(_sequence(depth + 1))
        right, right_sample = draw(_sequence(depth + 1))
        pattern = f"(?:{left}|{right})" if draw(st.booleans()) else f"({left}|{right})"
        sample = draw(st.sampled_from([left_sample, right_sample]))
    quantifier = draw(st.sampled_from(["", "", "", *_QUANTIFIERS]))
    if quantifier:
        times = draw(st.integers(0, 3))
        pattern, sample = pattern + quantifier, sample * times
    return pattern, sample


@st.composite
def _sequence(draw: st.DrawFn, depth: int = 0) -> tuple[str, str]:
    parts = draw(st.lists(_pieces(depth), min_size=1, max_size=5))
    return "".join(p for p, _ in parts), "".join(s for _, s in parts)


@st.composite
def _patterns(draw: st.DrawFn) -> tuple[str, list[str]]:
    pattern, sample = draw(_sequence())
    prefix = draw(st.sampled_from(["", "", "(?i)", "(?s)", "(?U)"]))
    if draw(st.integers(0, 4)) == 0:
        pattern = f"{pattern}|{draw(_sequence())[0]}"  # alternation at the top level
    noise = st.text(alphabet=_ALPHABET, max_size=12)
    texts = [sample, draw(noise) + sample + draw(noise), draw(noise), sample.upper()]
    return prefix + pattern, texts


def _duckdb_matches(pattern: str, texts: list[str]) -> list[bool] | None:
    """DuckDB's answer per text, or None when RE2 refuses the pattern."""
    try:
        rows = duckdb.execute(
            "SELECT regexp_matches(t, $p) FROM unnest($texts) AS u(t)",
            {"p": pattern, "texts": texts},
        ).fetchall()
    except duckdb.Error:
        return None
    return [bool(r[0]) for r in rows]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_patterns())
def test_every_match_contains_the_required_literals(case: tuple[str, list[str]]) -> None:
    pattern, texts = case
    matches = _duckdb_matches(pattern, texts)
    assume(matches is not None)
    assert matches is not None
    literals = required_literals(pattern)
    for text, matched in zip(texts, matches, strict=True):
        if matched:
            missing = [lit for lit in literals.required if lit not in text]
            assert not missing, f"{pattern!r} matches {text!r}, which lacks {missing}"
        if literals.exact is not None:
            assert matched == (literals.exact in text), (pattern, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_patterns())
def test_compiled_filter_selects_what_regexp_matches_selects(
    case: tuple[str, list[str]],
) -> None:
    pattern, texts = case
    matches = _duckdb_matches(pattern, texts)
    assume(matches is not None)
    params = SqlParams()
    table = pa.table({"t": pa.array([*texts, None], pa.string())})
    name = params.table(table)
    positive = predicate_sql("regex_matches", pattern, "t", pa.string(), "t", params)
    negative = predicate_sql("not_regex_matches", pattern, "t", pa.string(), "t", params)
    sql = f"SELECT coalesce({positive}, false), {negative} FROM {name}"
    rows = Statement(sql, params).execute(duckdb.connect()).fetchall()
    assert [bool(r[0]) for r in rows] == [*(matches or []), False]
    assert [bool(r[1]) for r in rows] == [not m for m in matches or []] + [True]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"def [a-z_]+\(", RegexLiterals(("def ", "("))),
        ("hello world", RegexLiterals(("hello world",), exact="hello world")),
        (r"1\+1", RegexLiterals(("1+1",), exact="1+1")),
        ("colou?r", RegexLiterals(("colo", "r"))),
        ("ab+c", RegexLiterals(("ab", "c"))),
        ("(cat|dog)food", RegexLiterals(("food",))),
        ("cat|dog", RegexLiterals()),  # either side alone may match
        ("(?i)Python", RegexLiterals()),  # 'python' matches too
        (r"x(?i:abc)", RegexLiterals()),
        (r"\Qa.b\E", RegexLiterals()),
        (r"[[:alpha:]]+ing\b", RegexLiterals(("ing",))),
        (r"\x41pple", RegexLiterals(("pple",))),  # the escape is 'A', not the text 'x41'
        (r"^\d{3}-\d{4}$", RegexLiterals(("-",))),
        ("", RegexLiterals()),
    ],
)
def test_required_literals_of_common_patterns(pattern: str, expected: RegexLiterals) -> None:
    assert required_literals(pattern) == expected


def test_regex_count_on_a_dataset_matches_python_re(tmp_path: Path) -> None:
    texts = [
        "def parse_args(argv):",
        "def  spaced (x)",
        "class Foo: pass",
        "DEF UPPER(x)",
        "Colour and color",
        "colr",
        "a.b and a+b",
        "",
        None,
        "写 def 函数(",
    ]
    rows: list[dict[str, Any]] = [{"text": t} for t in texts]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    source = gm.JSONSource(filepaths=[str(path)])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="regex", source=source), show_progress=False
    )
    for pattern, python in [
        (r"def [a-z_]+\(", r"def [a-z_]+\("),
        ("colou?r", "colou?r"),
        ("(?i)def", "(?i)def"),
        (r"a\.b", r"a\.b"),
        ("a.b", "a.b"),
        ("(class|DEF) ", "(class|DEF) "),
    ]:
        expected = sum(1 for t in texts if t is not None and re.search(python, t))
        assert ds.count(filters=[("text", "regex_matches", pattern)]) == expected, pattern
        assert ds.count(filters=[("text", "not_regex_matches", pattern)]) == len(texts) - expected
