"""Creating, listing, overwriting and deleting datasets; bad input never damages what exists."""

from __future__ import annotations

from pathlib import Path

import pytest

import gristmill as gm
from gristmill.errors import AlreadyExistsError, InvalidNameError, NotFoundError, SourceError
from tests.fixtures import CHAT_ROWS, CHATS

from .conftest import ROWS, write_jsonl


def _config(path: Path, name: str = "small", namespace: str = "local") -> gm.DatasetConfig:
    return gm.DatasetConfig(
        namespace=namespace, name=name, source=gm.JSONSource(filepaths=[str(path)])
    )


def test_create_get_list_delete(tmp_path: Path, project_dir: Path) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", ROWS)
    ds = gm.create_dataset(_config(path), show_progress=False)
    assert ds.count() == 5
    assert (project_dir / "datasets" / "local" / "small" / "manifest.json").exists()
    again = gm.get_dataset("local", "small")
    assert again.select_rows(["score"], limit=1).to_list() == [{"score": 5}]
    assert [(d.namespace, d.name, d.num_rows) for d in gm.list_datasets()] == [
        ("local", "small", 5)
    ]
    assert again.manifest().source["source_name"] == "json"
    gm.delete_dataset("local", "small")
    assert gm.list_datasets() == []
    with pytest.raises(NotFoundError, match="no dataset 'local/small'"):
        gm.get_dataset("local", "small")


def test_duplicate_name_needs_overwrite(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", ROWS)
    ds = gm.create_dataset(_config(path), show_progress=False)
    ds.add_labels("keep", row_ids=[0])
    with pytest.raises(AlreadyExistsError, match="overwrite=True"):
        gm.create_dataset(_config(path), show_progress=False)
    assert ds.get_label_names() == ["keep"]
    fewer = write_jsonl(tmp_path / "fewer.jsonl", ROWS[:2])
    replaced = gm.create_dataset(_config(fewer), overwrite=True, show_progress=False)
    assert replaced.count() == 2
    assert replaced.get_label_names() == []


@pytest.mark.parametrize("name", ["../../etc", "..", "a/b", "", ".hidden", "x" * 200, "a b"])
def test_unsafe_names_are_refused(tmp_path: Path, project_dir: Path, name: str) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", ROWS)
    with pytest.raises(InvalidNameError):
        gm.create_dataset(_config(path, name=name), show_progress=False)
    with pytest.raises(InvalidNameError):
        gm.get_dataset(name, "x")
    assert not (project_dir / "etc").exists()


def test_failed_load_keeps_the_existing_dataset(tmp_path: Path, project_dir: Path) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", ROWS)
    gm.create_dataset(_config(path), show_progress=False)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"instruction": "fine"}\n{"instruction": \n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"broken\.jsonl:2"):
        gm.create_dataset(_config(broken), overwrite=True, show_progress=False)
    assert gm.get_dataset("local", "small").count() == 5
    leftovers = [p.name for p in (project_dir / "datasets" / "local").iterdir()]
    assert leftovers == ["small"]


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(SourceError):
        gm.create_dataset(_config(empty), show_progress=False)
    assert gm.list_datasets() == []


def test_chat_data_loads_nested_and_queryable() -> None:
    source = gm.JSONSource(filepaths=[str(CHATS)])
    ds = gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="uf", source=source), show_progress=False
    )
    assert ds.count() == CHAT_ROWS
    schema = str(ds.manifest().data_schema)
    assert "chosen: list of\n" in schema
    assert "  role: string\n" in schema
    assistant = ds.count(filters=[("chosen.role", "equals", "assistant")])
    assert assistant == CHAT_ROWS
    python = ds.count(filters=[("chosen.*.content", "regex_matches", "(?i)python")])
    assert 0 < python < CHAT_ROWS
