"""HuggingFaceSource with the real ``datasets`` loading code, on datasets created in tmp_path."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gristmill.data.sources import HuggingFaceSource, source_from_dict
from gristmill.errors import MissingDependencyError, SourceError

datasets = pytest.importorskip("datasets")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Record (and refuse) every outbound connection: the source must never try one."""
    attempts: list[object] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield attempts
    assert attempts == [], "the HuggingFace source tried to reach the network"


@pytest.fixture
def saved_dict(tmp_path: Path) -> Path:
    splits = datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_dict(
                {
                    "text": ["a", "b", "c"],
                    "label": [0, 1, 0],
                    "messages": [[{"role": "user", "content": f"q{i}"}] for i in range(3)],
                }
            ),
            "test": datasets.Dataset.from_dict(
                {"text": ["d"], "label": [1], "messages": [[{"role": "user", "content": "q3"}]]}
            ),
        }
    )
    path = tmp_path / "saved_dict"
    splits.save_to_disk(str(path))
    return path


def rows(source: HuggingFaceSource) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = source.open().read_all().to_pylist()
    return result


def test_saved_dataset_dict_loads_all_splits_with_split_column(saved_dict: Path) -> None:
    loaded = rows(HuggingFaceSource(dataset_name=str(saved_dict)))
    assert [(r["text"], r["__hfsplit__"]) for r in loaded] == [
        ("a", "train"),
        ("b", "train"),
        ("c", "train"),
        ("d", "test"),
    ]
    assert loaded[0]["messages"] == [{"role": "user", "content": "q0"}]


def test_split_and_sample_size_take_the_first_rows(saved_dict: Path) -> None:
    assert [
        r["text"] for r in rows(HuggingFaceSource(dataset_name=str(saved_dict), split="test"))
    ] == ["d"]
    sample = HuggingFaceSource(dataset_name=str(saved_dict), split="train", sample_size=2)
    assert [r["text"] for r in rows(sample)] == ["a", "b"]
    both = rows(HuggingFaceSource(dataset_name=str(saved_dict), sample_size=1))
    assert [(r["text"], r["__hfsplit__"]) for r in both] == [("a", "train"), ("d", "test")]


def test_unknown_split_lists_the_available_ones(saved_dict: Path) -> None:
    with pytest.raises(SourceError, match="no split 'validation'") as info:
        HuggingFaceSource(dataset_name=str(saved_dict), split="validation").open()
    assert "train" in (info.value.hint or "") and "test" in (info.value.hint or "")


def test_saved_single_dataset_and_to_dict_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "single"
    datasets.Dataset.from_dict({"x": list(range(25_000))}).save_to_disk(str(path))
    source = HuggingFaceSource(dataset_name=str(path), load_from_disk=True)
    reader = source.open()
    batches = list(reader)
    assert len(batches) > 1
    assert [x for b in batches for x in b.column("x").to_pylist()] == list(range(25_000))
    assert set(batches[0].column("__hfsplit__").to_pylist()) == {"default"}
    stored = source.to_dict()
    assert json.loads(json.dumps(stored)) == stored
    assert stored["source_name"] == "huggingface"
    assert source_from_dict(stored) == source


def test_hub_name_from_the_local_cache_loads_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    data = tmp_path / "train.jsonl"
    data.write_text('{"text": "cached one"}\n{"text": "cached two"}\n')
    # Build a real cache entry with the json builder, then file it under a hub-style name the
    # way `load_dataset('someone/tiny_set')` would have left it after a download.
    with monkeypatch.context() as setup:  # the set-up itself must not phone home either
        setup.setattr(datasets.config, "HF_HUB_OFFLINE", True)
        datasets.load_dataset("json", data_files={"train": str(data)}, cache_dir=str(cache))
    built = Path(
        glob.glob(str(cache / "json" / "*" / "0.0.0" / "*" / "dataset_info.json"))[0]
    ).parent
    target = cache / "someone___tiny_set" / "default" / "0.0.0" / built.name
    shutil.copytree(built, target)
    info = json.loads((target / "dataset_info.json").read_text())
    info.update(config_name="default", dataset_name="tiny_set", builder_name="tiny_set")
    (target / "dataset_info.json").write_text(json.dumps(info))
    (target / "json-train.arrow").rename(target / "tiny_set-train.arrow")

    offline_before = (os.environ.get("HF_HUB_OFFLINE"), datasets.config.HF_HUB_OFFLINE)
    source = HuggingFaceSource(dataset_name="someone/tiny_set", cache_dir=str(cache))
    assert rows(source) == [
        {"text": "cached one", "__hfsplit__": "train"},
        {"text": "cached two", "__hfsplit__": "train"},
    ]
    # Offline mode is switched on for the load only.
    assert (os.environ.get("HF_HUB_OFFLINE"), datasets.config.HF_HUB_OFFLINE) == offline_before


def test_name_not_in_the_cache_fails_offline_with_a_fix(tmp_path: Path) -> None:
    source = HuggingFaceSource(dataset_name="nobody/not_cached", cache_dir=str(tmp_path / "cache"))
    with pytest.raises(SourceError, match="could not be loaded offline") as info:
        source.open()
    hint = info.value.hint or ""
    assert "local HuggingFace cache" in hint and "save_to_disk" in hint


def test_load_from_disk_on_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no dataset directory"):
        HuggingFaceSource(dataset_name=str(tmp_path / "gone"), load_from_disk=True).open()


def test_reserved_column_in_the_dataset(tmp_path: Path) -> None:
    path = tmp_path / "reserved"
    datasets.Dataset.from_dict({"__hfsplit__": ["x"], "text": ["y"]}).save_to_disk(str(path))
    with pytest.raises(SourceError, match="'__hfsplit__'"):
        HuggingFaceSource(dataset_name=str(path)).open()


def test_missing_datasets_package_names_the_extra(
    saved_dict: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "datasets", None)
    with pytest.raises(MissingDependencyError, match="datasets") as info:
        HuggingFaceSource(dataset_name=str(saved_dict)).open()
    assert "gristmill[hf]" in (info.value.hint or "")


def test_splits_with_different_columns_are_combined_by_name(tmp_path: Path) -> None:
    path = tmp_path / "uneven"
    datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_dict({"text": ["a"], "score": [0.5]}),
            "extra": datasets.Dataset.from_dict({"text": ["b"]}),
        }
    ).save_to_disk(str(path))
    assert rows(HuggingFaceSource(dataset_name=str(path))) == [
        {"text": "a", "score": 0.5, "__hfsplit__": "train"},
        {"text": "b", "score": None, "__hfsplit__": "extra"},
    ]
