"""Temp files are never read as data, and what killed writers leave is cleared on open."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

import gristmill as gm
from gristmill.data.files import data_files, is_data_name
from gristmill.errors import NotFoundError, SourceError

from .conftest import ROWS, write_jsonl


def _tmp_name(name: str) -> str:
    return f".tmp-0123-{name}"


def test_a_leftover_temp_label_file_is_not_a_label(small_ds: gm.Dataset) -> None:
    small_ds.add_labels("good", row_ids=[0, 2])
    labels = small_ds.store.labels_dir
    shutil.copy(labels / "good.parquet", labels / _tmp_name("good.parquet"))
    assert small_ds.get_label_names() == ["good"]
    assert small_ds.count(filters=[("good", "exists")]) == 2
    assert small_ds.add_labels("good", row_ids=[1]) == 1
    assert small_ds.delete_rows(row_ids=[4]) == 1
    assert "good" in small_ds.manifest().data_schema.fields
    assert small_ds.count(filters=[("good", "exists")]) == 3


def test_staging_trash_and_dot_folders_are_never_listed_as_datasets(
    small_ds: gm.Dataset,
) -> None:
    root = small_ds.store.root
    datasets = root.parent.parent
    shutil.copytree(root, root.parent / f".staging-small-{uuid.uuid4().hex}")
    shutil.copytree(root, root.parent / f".trash-small-{uuid.uuid4().hex}")
    shutil.copytree(root, datasets / ".hidden" / "small")
    (datasets / "local" / ".tmp-0123-x").write_text("{}", encoding="utf-8")
    assert [(d.namespace, d.name) for d in gm.list_datasets()] == [("local", "small")]
    assert [p.name for p in data_files(datasets)] == ["local"]
    assert not is_data_name(".locks") and is_data_name("local")


def test_stale_temp_files_and_folders_are_removed_on_open(small_ds: gm.Dataset) -> None:
    small_ds.add_labels("good", row_ids=[0])
    small_ds.map(len, input_path="instruction", output_column="n", show_progress=False)
    root = small_ds.store.root
    planted = [
        root / "labels" / _tmp_name("good.parquet"),
        root / "columns" / "n" / _tmp_name("abc.parquet"),
        root / _tmp_name("manifest.json"),
        root / "work" / "map-x" / _tmp_name("chunk-000000000000.parquet"),
    ]
    for path in planted:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
    staging_index = root / "embeddings" / ".staging-n"
    staging_index.mkdir(parents=True)
    killed_load = root.parent / f".staging-small-{uuid.uuid4().hex}"
    (killed_load / "source").mkdir(parents=True)
    killed_delete = root.parent / f".trash-small-{uuid.uuid4().hex}"
    killed_delete.mkdir()
    others = root.parent / f".staging-small-but-other-{uuid.uuid4().hex}"  # another name's
    others.mkdir()

    ds = gm.get_dataset("local", "small")

    assert not any(p.exists() for p in [*planted, staging_index, killed_load, killed_delete])
    assert others.exists()
    assert ds.get_label_names() == ["good"]
    assert [r["n"] for r in ds.select_rows(["n"])] == [len(r["instruction"]) for r in ROWS]


def test_a_load_killed_between_its_renames_is_finished_on_open(
    tmp_path: Path, project_dir: Path
) -> None:
    """The crash window of an overwrite: the old folder is trash, the new one complete staging."""
    old = gm.create_dataset(_config(write_jsonl(tmp_path / "old.jsonl", ROWS)), show_progress=False)
    new = gm.create_dataset(
        _config(write_jsonl(tmp_path / "new.jsonl", ROWS[:2]), name="new"), show_progress=False
    )
    namespace = old.store.root.parent
    old.store.root.rename(namespace / f".trash-small-{uuid.uuid4().hex}")
    staging = namespace / f".staging-small-{uuid.uuid4().hex}"
    new.store.root.rename(staging)
    manifest = (staging / "manifest.json").read_text(encoding="utf-8")
    (staging / "manifest.json").write_text(manifest.replace('"new"', '"small"'), "utf-8")

    assert gm.get_dataset("local", "small").count() == 2
    assert sorted(p.name for p in namespace.iterdir()) == ["small"]


def _config(path: Path, name: str = "small", namespace: str = "local") -> gm.DatasetConfig:
    return gm.DatasetConfig(
        namespace=namespace, name=name, source=gm.JSONSource(filepaths=[str(path)])
    )


@pytest.mark.parametrize("content", ["", '{"a": 1}\n{"a": \n'], ids=["empty", "malformed"])
def test_a_failed_first_load_leaves_no_namespace_folder(
    tmp_path: Path, project_dir: Path, content: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError):
        gm.create_dataset(_config(bad, namespace="fresh"), show_progress=False)
    assert not (project_dir / "datasets" / "fresh").exists()
    with pytest.raises(NotFoundError):
        gm.get_dataset("fresh", "small")
    assert not (project_dir / "datasets" / "fresh").exists()


def test_deleting_the_last_dataset_of_a_namespace_removes_its_folder(
    small_ds: gm.Dataset, project_dir: Path
) -> None:
    gm.delete_dataset("local", "small")
    assert not (project_dir / "datasets" / "local").exists()
