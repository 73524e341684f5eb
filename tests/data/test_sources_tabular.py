"""CSVSource, ParquetSource and PandasSource: good files, order, options and bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from gristmill.data.sources import CSVSource, PandasSource, ParquetSource, source_from_dict
from gristmill.errors import SourceError


def test_csv_with_quotes_header_and_types(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('id,text,score\n1,"hello, world",0.5\n2,"say ""hi""",1.5\n3,,2\n')
    table = CSVSource(filepaths=[path]).open().read_all()
    assert table.to_pylist() == [
        {"id": 1, "text": "hello, world", "score": 0.5},
        {"id": 2, "text": 'say "hi"', "score": 1.5},
        {"id": 3, "text": None, "score": 2.0},
    ]


def test_csv_custom_delimiter_and_no_header(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text("a\tone two\nb\tthree\n")
    source = CSVSource(filepaths=[path], delim="\t", header=False)
    table = source.open().read_all()
    assert table.column_names == ["column0", "column1"]
    assert table.column("column1").to_pylist() == ["one two", "three"]
    assert source_from_dict(source.to_dict()) == source


def test_csv_many_rows_in_order_across_a_glob(tmp_path: Path) -> None:
    for part in range(3):
        lines = "".join(f"{part * 50_000 + i},row {i}\n" for i in range(50_000))
        (tmp_path / f"part{part}.csv").write_text("n,text\n" + lines)
    reader = CSVSource(filepaths=[str(tmp_path / "part*.csv")]).open()
    numbers = [n for batch in reader for n in batch.column("n").to_pylist()]
    assert numbers == list(range(150_000))


def test_csv_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(SourceError, match="empty"):
        CSVSource(filepaths=[path]).open()


def test_csv_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found"):
        CSVSource(filepaths=[tmp_path / "missing.csv"]).open()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"a,b\n1,2\n3,4,5\n6,7\n", "detect the CSV"),
        (b"a,b\n1,\xff\xfe\n", "not utf-8"),
    ],
)
def test_unreadable_csv_names_the_file_and_the_problem(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="cannot read the CSV") as info:
        CSVSource(filepaths=[path]).open()
    assert str(path) in info.value.message
    assert problem in info.value.message
    assert "delim" in (info.value.hint or "")


def test_csv_reserved_column(tmp_path: Path) -> None:
    path = tmp_path / "reserved.csv"
    path.write_text("__deleted__,text\n1,x\n")
    with pytest.raises(SourceError, match="'__deleted__'"):
        CSVSource(filepaths=[path]).open()


def test_parquet_files_directory_and_sample_size(tmp_path: Path) -> None:
    folder = tmp_path / "shards"
    folder.mkdir()
    pq.write_table(pa.table({"n": [0, 1, 2], "text": ["a", "b", "c"]}), folder / "00.parquet")
    pq.write_table(pa.table({"n": [3, 4], "extra": [True, False]}), folder / "01.parquet")
    table = ParquetSource(filepaths=folder).open().read_all()
    assert table.column("n").to_pylist() == [0, 1, 2, 3, 4]
    assert table.column("text").to_pylist() == ["a", "b", "c", None, None]
    assert table.column("extra").to_pylist() == [None, None, None, True, False]
    sample = ParquetSource(filepaths=[str(folder / "*.parquet")], sample_size=4)
    assert sample.open().read_all().column("n").to_pylist() == [0, 1, 2, 3]
    assert source_from_dict(sample.to_dict()) == sample


def test_parquet_nested_types_survive(tmp_path: Path) -> None:
    messages = [[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]]
    path = tmp_path / "chat.parquet"
    pq.write_table(pa.table({"messages": messages}), path)
    table = ParquetSource(filepaths=[path]).open().read_all()
    assert table.column("messages").to_pylist() == messages


def test_parquet_from_pandas_drops_its_index_bookkeeping(tmp_path: Path) -> None:
    path = tmp_path / "indexed.parquet"
    pd.DataFrame({"a": [1, 2]}, index=[10, 20]).to_parquet(path)
    assert "__index_level_0__" in pq.read_schema(path).names
    table = ParquetSource(filepaths=[path]).open().read_all()
    assert table.column_names == ["a"]


def test_parquet_bad_file_and_bad_sample_size(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_text("this is not parquet")
    with pytest.raises(SourceError, match="cannot read the Parquet data"):
        ParquetSource(filepaths=[path]).open()
    with pytest.raises(SourceError, match="sample_size"):
        source_from_dict({"source_name": "parquet", "filepaths": [str(path)], "sample_size": 0})


def test_parquet_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="holds no"):
        ParquetSource(filepaths=[tmp_path]).open()


def test_pandas_rows_in_order_in_bounded_batches() -> None:
    frame = pd.DataFrame({"n": range(150_000), "text": [f"t{i}" for i in range(150_000)]})
    batches = list(PandasSource(frame).open())
    assert len(batches) > 1
    assert [n for b in batches for n in b.column("n").to_pylist()] == list(range(150_000))


def test_pandas_named_index_becomes_a_column_and_nested_values_stay_nested() -> None:
    frame = pd.DataFrame(
        {"messages": [[{"role": "user", "content": "hi"}], []]},
        index=pd.Index(["a", "b"], name="key"),
    )
    table = PandasSource(frame).open().read_all()
    assert table.to_pylist() == [
        {"key": "a", "messages": [{"role": "user", "content": "hi"}]},
        {"key": "b", "messages": []},
    ]


def test_pandas_to_dict_records_shape_but_cannot_be_recreated() -> None:
    source = PandasSource(pd.DataFrame({"a": [1, 2, 3]}))
    stored = source.to_dict()
    assert stored == {"source_name": "pandas", "num_rows": 3, "columns": ["a"]}
    with pytest.raises(SourceError, match="cannot be re-created") as info:
        source_from_dict(stored)
    assert "PandasSource(df)" in (info.value.hint or "")


def test_pandas_bad_inputs() -> None:
    with pytest.raises(SourceError, match="needs a pandas DataFrame"):
        PandasSource([1, 2])  # type: ignore[arg-type]
    with pytest.raises(SourceError, match="'__rowid__'"):
        PandasSource(pd.DataFrame({"__rowid__": [1]})).open()
    with pytest.raises(SourceError, match="duplicate column names: a"):
        PandasSource(pd.DataFrame([[1, 2]], columns=["a", "a"])).open()
    with pytest.raises(SourceError, match="cannot convert the DataFrame") as info:
        PandasSource(pd.DataFrame({"mixed": [1, "x"]})).open()
    assert "astype(str)" in (info.value.hint or "")


def _frames_of_every_origin(tmp_path: Path) -> dict[str, pd.DataFrame]:
    a = pd.DataFrame({"text": ["a", "b"], "n": [1, 2]})
    b = pd.DataFrame({"text": ["c", None], "n": [3, 4]})
    (tmp_path / "rows.jsonl").write_text('{"text": "a", "n": 1}\n{"text": "b", "n": 2}\n')
    (tmp_path / "rows.csv").write_text("text,n\na,1\nb,2\n")
    arrow_text = pd.Series(["a", "b"], dtype=pd.ArrowDtype(pa.string()))
    return {
        "concat": pd.concat([a, b], ignore_index=True),
        "concat_pyarrow_strings": pd.concat(
            [a.astype({"text": "string[pyarrow]"}), b.astype({"text": "string[pyarrow]"})],
            ignore_index=True,
        ),
        "concat_arrow_dtype": pd.concat(
            [pd.DataFrame({"text": arrow_text}), pd.DataFrame({"text": arrow_text})],
            ignore_index=True,
        ),
        "read_json": pd.read_json(tmp_path / "rows.jsonl", lines=True),
        "read_csv": pd.read_csv(tmp_path / "rows.csv"),
        "read_csv_pyarrow": pd.read_csv(tmp_path / "rows.csv", dtype_backend="pyarrow"),
        "merge": a.merge(pd.DataFrame({"n": [1, 2], "tag": ["x", "y"]}), on="n"),
        "categorical": a.astype({"text": "category"}),
        "nullable_ints": pd.DataFrame({"n": pd.array([1, None], dtype="Int64")}),
        "datetimes": pd.DataFrame({"at": pd.to_datetime(["2024-01-01 09:00", "2024-01-02 10:00"])}),
        "nested": pd.concat(
            [pd.DataFrame({"meta": [{"k": [1, 2]}]}), pd.DataFrame({"meta": [{"k": []}]})],
            ignore_index=True,
        ),
    }


def test_pandas_frames_of_every_origin_load(tmp_path: Path) -> None:
    # pandas 3 keeps strings in chunked Arrow arrays after concat & co. (issue 12).
    for origin, frame in _frames_of_every_origin(tmp_path).items():
        table = PandasSource(frame).open().read_all()
        assert table.num_rows == len(frame), origin
        assert table.column_names == [str(c) for c in frame.columns], origin
        first = table.slice(0, 1).to_pylist()[0]
        expected = frame.iloc[0].to_dict()
        if origin == "datetimes":
            assert first["at"] == expected["at"].to_pydatetime(), origin
        else:
            assert first == {
                k: (v.item() if hasattr(v, "item") else v) for k, v in expected.items()
            }, origin
