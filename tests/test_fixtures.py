"""The data the tests carry stays small, attributed and as described (tests/fixtures/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA_ENV, require_shared_data, shared_data_dir
from tests.fixtures import (
    CHAT_ROWS,
    CHATS,
    CLASSIFICATION_TASKS,
    DIALOGUE_REFERENCES,
    DIALOGUE_ROWS,
    DIALOGUES,
    FIXTURES,
    MEETING_ROWS,
    MEETINGS,
    SMS_ROWS,
    SMS_SPAM,
    TASK_ROWS,
    TASKS,
    read_jsonl,
)


def test_every_data_file_is_attributed_and_all_are_small() -> None:
    files = sorted(FIXTURES.glob("*.jsonl"))
    assert files == sorted([CHATS, DIALOGUES, MEETINGS, SMS_SPAM, TASKS])
    attribution = (FIXTURES / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for path in files:
        assert f"`{path.name}`" in attribution, path.name
    assert sum(path.stat().st_size for path in files) < 512 * 1024


def test_row_counts_and_shapes_are_the_ones_the_tests_rely_on() -> None:
    tasks = read_jsonl(TASKS)
    assert len(tasks) == TASK_ROWS
    assert sum(task["is_classification"] for task in tasks) == CLASSIFICATION_TASKS
    assert [task["id"] for task in tasks] == [f"task_{i}" for i in range(TASK_ROWS)]
    assert len(read_jsonl(SMS_SPAM)) == SMS_ROWS
    assert {row["Label"] for row in read_jsonl(SMS_SPAM)} == {"ham", "spam"}
    chats = read_jsonl(CHATS)
    assert len(chats) == CHAT_ROWS
    assert all([m["role"] for m in chat["chosen"]] == ["user", "assistant"] for chat in chats)
    assert len(read_jsonl(MEETINGS)) == MEETING_ROWS
    dialogues = read_jsonl(DIALOGUES)
    assert len(dialogues) == DIALOGUE_ROWS
    assert all(row[column] for row in dialogues for column in ["dialogue", *DIALOGUE_REFERENCES])


def test_the_optional_data_folder_can_be_moved_or_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sms_spam").mkdir()
    monkeypatch.setenv(SHARED_DATA_ENV, str(tmp_path))
    assert shared_data_dir() == tmp_path
    assert require_shared_data("sms_spam") == tmp_path / "sms_spam"
    with pytest.raises(pytest.skip.Exception, match=f"set {SHARED_DATA_ENV}="):
        require_shared_data("qmsum")
    monkeypatch.setenv(SHARED_DATA_ENV, str(tmp_path / "missing"))
    assert shared_data_dir() is None
    # An empty value hides the folder beside the repository: a fresh clone's view.
    monkeypatch.setenv(SHARED_DATA_ENV, "")
    assert shared_data_dir() is None
    with pytest.raises(pytest.skip.Exception, match="optional benchmark data"):
        require_shared_data()
