"""What clients see of the server's folders in errors: nothing, and quickly for any text."""

from __future__ import annotations

from pathlib import Path

from gristmill.server._redaction import redact

UPLOAD = "/srv/project/.uploads/0123456789abcdef0123456789abcdef"


def test_an_upload_folder_leaves_only_the_uploaded_name() -> None:
    text = f"cannot read '{UPLOAD}/bad.jsonl': line 2 ({UPLOAD}/bad.jsonl:2)"
    assert redact(text) == "cannot read 'bad.jsonl': line 2 (bad.jsonl:2)"


def test_data_folders_become_the_names_the_operator_gave(tmp_path: Path) -> None:
    folder = tmp_path / "corpora"
    text = f"no file {folder}/a.jsonl; {folder}x stays"
    assert redact(text, {"data": folder}) == f"no file data/a.jsonl; {folder}x stays"


def test_a_long_message_without_spaces_is_redacted_in_one_pass() -> None:
    # A user's value echoed into an error can be megabytes long: a pattern that backtracks over
    # each start position took minutes on this (the fuzzer found it holding a request).
    text = "/x" * 300_000 + UPLOAD[:-1] + "/f.csv"
    assert redact(text).endswith("/f.csv")
    assert redact("a" * 1_000_000) == "a" * 1_000_000


def test_jobs_show_data_folders_by_their_given_names(tmp_path: Path) -> None:
    # A job's error and parameters were redacted without the data folders, so a folder outside
    # home, the project and the working folder showed its real path in GET /jobs.
    from datetime import datetime

    from gristmill.jobs import JobInfo
    from gristmill.server._redaction import redact_job

    folder = Path("/srv/corpora-for-redaction")
    now = datetime.now()
    info = JobInfo(
        id="j1",
        kind="load",
        description="load",
        status="failed",
        progress=0,
        error=f"Traceback: {folder}/a.jsonl:3 malformed",
        params={"source": {"filepaths": [f"{folder}/a.jsonl"]}},
        created_at=now,
        updated_at=now,
    )
    shown = redact_job(info, {"corpora": folder})
    assert shown.error == "Traceback: corpora/a.jsonl:3 malformed"
    assert shown.params == {"source": {"filepaths": ["corpora/a.jsonl"]}}
