"""JSONSource on real data files and on small files written for each case, good and bad."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from gristmill.data.sources import JSONSource, source_from_dict
from gristmill.errors import SourceError
from tests.fixtures import (
    CHAT_ROWS,
    CHATS,
    FIXTURES,
    MEETING_ROWS,
    MEETINGS,
    SMS_ROWS,
    SMS_SPAM,
    TASK_ROWS,
    TASKS,
    write_sharegpt_chats,
)


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def read(source: JSONSource) -> pa.Table:
    return source.open().read_all()


def first_lines(path: Path, count: int) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(next(handle)) for _ in range(count)]


def test_nested_task_rows_come_out_complete_and_in_file_order() -> None:
    table = read(JSONSource(filepaths=[str(TASKS)]))
    assert table.num_rows == TASK_ROWS
    assert table.column_names == ["id", "name", "instruction", "instances", "is_classification"]
    assert table.slice(0, 3).to_pylist() == first_lines(TASKS, 3)
    with TASKS.open(encoding="utf-8") as handle:
        last = json.loads(handle.readlines()[-1])
    assert table.slice(TASK_ROWS - 1, 1).to_pylist() == [last]


def test_ultrafeedback_chats_load_as_list_of_structs_and_stay_queryable() -> None:
    chats = read(JSONSource(filepaths=CHATS))
    chosen = chats.schema.field("chosen").type
    assert pa.types.is_list(chosen)
    assert pa.types.is_struct(chosen.value_type)
    assert {chosen.value_type.field(i).name for i in range(2)} == {"role", "content"}
    # Queryable: DuckDB can unnest the messages and filter on their fields.
    connection = duckdb.connect()
    connection.register("chats", chats)
    roles = connection.execute(
        "SELECT m.role AS role, count(*) AS n FROM "
        "(SELECT unnest(chosen) AS m FROM chats) GROUP BY ALL ORDER BY role"
    ).fetchall()
    assert [r for r, _ in roles] == ["assistant", "user"]
    assert all(n >= CHAT_ROWS for _, n in roles)


def test_sharegpt_conversations_keep_from_and_value(tmp_path: Path) -> None:
    write_sharegpt_chats(tmp_path / "chats.jsonl")
    table = read(JSONSource(filepaths=[tmp_path / "*.jsonl"]))
    assert table.num_rows == CHAT_ROWS
    first = table.slice(0, 1).to_pylist()[0]
    assert first["id"] == "ultrafeedback_0"
    question = first_lines(CHATS, 1)[0]["chosen"][0]["content"]
    assert first["conversations"][0] == {"from": "human", "value": question}


def test_qmsum_deeply_nested_lists_of_structs_are_kept() -> None:
    table = read(JSONSource(filepaths=[MEETINGS]))
    assert table.num_rows == MEETING_ROWS
    spans = table.schema.field("topic_list").type.value_type.field("relevant_text_span").type
    assert pa.types.is_list(spans) and pa.types.is_list(spans.value_type)
    transcript = table.column("meeting_transcripts")[0].as_py()
    assert set(transcript[0]) == {"speaker", "content"}


def test_sms_spam_and_a_glob_over_two_files_in_given_order(tmp_path: Path) -> None:
    table = read(JSONSource(filepaths=[FIXTURES / "sms_*.jsonl"]))
    assert table.num_rows == SMS_ROWS
    assert set(table.column("Label").to_pylist()) == {"ham", "spam"}
    rows = first_lines(SMS_SPAM, SMS_ROWS)
    write_jsonl(tmp_path / "validation.jsonl", rows[:200])
    write_jsonl(tmp_path / "test.jsonl", rows[200:])
    both = read(JSONSource(filepaths=[tmp_path / "validation.jsonl", tmp_path / "t*.jsonl"]))
    assert both.num_rows == SMS_ROWS
    assert both.slice(0, 1).to_pylist() == [rows[0]]
    assert both.slice(200, 1).to_pylist() == [rows[200]]


def test_json_array_file_and_jsonl_file_with_different_fields(tmp_path: Path) -> None:
    array = tmp_path / "a.json"
    array.write_text(
        json.dumps([{"q": "one", "meta": {"n": 1}}, {"q": "two", "meta": {"n": 2}}], indent=2)
    )
    lines = write_jsonl(tmp_path / "b.jsonl", [{"q": "three", "extra": True}])
    table = read(JSONSource(filepaths=[array, lines]))
    assert table.to_pylist() == [
        {"q": "one", "meta": {"n": 1}, "extra": None},
        {"q": "two", "meta": {"n": 2}, "extra": None},
        {"q": "three", "meta": None, "extra": True},
    ]


def test_field_with_varying_types_falls_back_to_json_text(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            {"v": 1, "w": "a"},
            {"v": {"x": [1, 2]}, "w": "b"},
            {"v": "text", "w": "c"},
            {"v": None, "w": "d"},
        ],
    )
    table = read(JSONSource(filepaths=[path]))
    assert pa.types.is_string(table.schema.field("v").type)
    values = table.column("v").to_pylist()
    assert [json.loads(v) if v is not None else None for v in values] == [
        1,
        {"x": [1, 2]},
        "text",
        None,
    ]
    assert table.column("w").to_pylist() == ["a", "b", "c", "d"]


def test_type_change_after_many_rows_does_not_crash(tmp_path: Path) -> None:
    # DuckDB's default sample is 20k rows; the change comes later.
    rows: list[dict[str, Any]] = [{"n": i} for i in range(30_000)] + [{"n": "thirty thousand"}]
    table = read(JSONSource(filepaths=[write_jsonl(tmp_path / "late.jsonl", rows)]))
    assert table.num_rows == 30_001
    assert table.column("n")[30_000].as_py() == '"thirty thousand"'


def test_200k_generated_rows_come_out_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(200_000):
            handle.write(json.dumps({"i": i, "text": "row " * (i % 17), "tags": [i % 3]}) + "\n")
    reader = JSONSource(filepaths=[path]).open()
    expected = 0
    batches = 0
    for batch in reader:
        ids = batch.column("i").to_pylist()
        assert ids == list(range(expected, expected + len(ids)))
        expected += len(ids)
        batches += 1
    assert expected == 200_000
    assert batches > 1  # streamed, not one materialised table


def test_home_directory_and_path_objects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    write_jsonl(tmp_path / "home.jsonl", [{"a": 1}])
    assert read(JSONSource(filepaths="~/home.jsonl")).to_pylist() == [{"a": 1}]
    assert read(JSONSource(filepaths=[tmp_path / "home.jsonl"])).num_rows == 1


def test_to_dict_round_trips_through_the_registry(tmp_path: Path) -> None:
    source = JSONSource(filepaths=[tmp_path / "x.jsonl"], on_error="skip")
    stored = source.to_dict()
    assert stored == {
        "source_name": "json",
        "filepaths": [str(tmp_path / "x.jsonl")],
        "on_error": "skip",
    }
    assert json.loads(json.dumps(stored)) == stored
    again = source_from_dict(stored)
    assert isinstance(again, JSONSource) and again == source


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"file not found: '.*nope\.jsonl'") as info:
        JSONSource(filepaths=[tmp_path / "nope.jsonl"]).open()
    assert info.value.hint


def test_glob_matching_nothing(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no files match the pattern"):
        JSONSource(filepaths=[str(tmp_path / "*.jsonl")]).open()


def test_directory_is_not_a_json_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory") as info:
        JSONSource(filepaths=[tmp_path]).open()
    assert "*.json" in (info.value.hint or "")


@pytest.mark.parametrize("content", ["", "  \n\n", "[]"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.json"
    path.write_text(content)
    with pytest.raises(SourceError, match="empty"):
        JSONSource(filepaths=[path]).open()


def test_malformed_line_reports_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\n{"a": 2}\n{"a": 3\n{"a": 4}\n')
    with pytest.raises(SourceError) as info:
        JSONSource(filepaths=[path]).open()
    assert f"{path}:3: malformed JSON" in info.value.message
    assert "on_error='skip'" in (info.value.hint or "")


def test_non_object_line_is_reported(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [{"a": 1}])
    path = tmp_path / "scalar.jsonl"
    path.write_text('{"a": 1}\n[1, 2]\n')
    with pytest.raises(
        SourceError,
        match=rf"{re.escape(str(path))}:2: a JSON list where each line must be a JSON object",
    ):
        JSONSource(filepaths=[good, path]).open()


def test_malformed_json_array_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"a": 1},\n  {"a": 2,,}\n]\n')
    with pytest.raises(SourceError, match=rf"{re.escape(str(path))}:3: malformed JSON"):
        JSONSource(filepaths=[path]).open()
    # A broken array has no line to drop, so skipping is refused with a reason.
    with pytest.raises(SourceError, match=rf"{re.escape(str(path))}:3") as info:
        JSONSource(filepaths=[path], on_error="skip").open()
    assert "cannot be partly skipped" in (info.value.hint or "")


def test_skip_drops_bad_lines_and_says_how_many(tmp_path: Path) -> None:
    path = tmp_path / "some_bad.jsonl"
    path.write_text('{"a": 1}\nnot json\n{"a": 2}\n\n7\n{"a": 3}\n{"a": \n')
    clean = write_jsonl(tmp_path / "clean.jsonl", [{"a": 10}])
    source = JSONSource(filepaths=[path, clean], on_error="skip")
    with pytest.warns(UserWarning, match=r"skipped 3 line\(s\)"):
        table = read(source)
    assert table.column("a").to_pylist() == [1, 2, 3, 10]
    assert source.skipped_lines == 3
    assert [e.split(": ")[0] for e in source.skipped_examples] == [
        f"{path}:2",
        f"{path}:5",
        f"{path}:7",
    ]


def test_skip_on_a_clean_file_skips_nothing(tmp_path: Path) -> None:
    source = JSONSource(filepaths=[write_jsonl(tmp_path / "ok.jsonl", [{"a": 1}])], on_error="skip")
    assert read(source).num_rows == 1
    assert source.skipped_lines == 0


def test_skip_with_no_good_line_left(tmp_path: Path) -> None:
    path = tmp_path / "all_bad.jsonl"
    path.write_text("nope\nalso nope\n")
    with pytest.raises(SourceError, match="is a JSON object"):
        JSONSource(filepaths=[path], on_error="skip").open()


def test_reserved_column_names_are_rejected(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "reserved.jsonl", [{"__rowid__": 1, "text": "x"}])
    with pytest.raises(SourceError, match="'__rowid__'") as info:
        JSONSource(filepaths=[path]).open()
    assert "rename" in (info.value.hint or "")


def test_invalid_settings_are_source_errors() -> None:
    with pytest.raises(SourceError, match="on_error"):
        source_from_dict({"source_name": "json", "filepaths": ["x"], "on_error": "ignore"})
    with pytest.raises(SourceError, match="filepaths must be"):
        JSONSource(filepaths=5)
