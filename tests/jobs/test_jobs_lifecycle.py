"""A job's life: start, progress, messages, completion, failure, cancellation."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from gristmill.errors import InvalidInputError, JobCancelledError, NotFoundError, SourceError
from gristmill.jobs import JobStatus, _job, cancel_job, get_job, start_job
from gristmill.jobs._table import jobs_table
from gristmill.metadata import get_engine


def _request_cancel_in_database(job_id: str) -> None:
    """What cancel_job() in another process does: only the database row changes."""
    with get_engine().begin() as conn:
        conn.execute(
            jobs_table.update().where(jobs_table.c.id == job_id).values(cancel_requested=True)
        )


def test_completed_job_records_progress_total_and_times(database: str, dataset: str) -> None:
    with start_job(
        "map",
        description="map len",
        dataset=dataset,
        total=5,
        params={"output_column": "n"},
        show_progress=False,
    ) as job:
        running = get_job(job.id)
        for _ in range(5):
            job.advance()
    info = get_job(job.id)
    assert running.status is JobStatus.RUNNING
    assert running.started_at is not None and running.finished_at is None
    assert info.status is JobStatus.COMPLETED
    assert (info.kind, info.dataset, info.description) == ("map", dataset, "map len")
    assert (info.progress, info.total) == (5, 5)
    assert info.params == {"output_column": "n"}
    assert info.error is None
    assert info.finished_at is not None and info.finished_at >= info.created_at
    assert info.created_at.tzinfo is not None
    assert info.fraction_done == 1.0


def test_progress_writes_are_throttled_and_the_final_state_is_always_written(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_job, "PROGRESS_WRITE_INTERVAL_S", 1e9)
    with start_job("signal", description="hot loop", show_progress=False) as job:
        for _ in range(1000):
            job.advance()
        assert job.progress == 1000
        assert get_job(job.id).progress == 0, "a write per advance() would make hot loops slow"
    assert get_job(job.id).progress == 1000


def test_progress_total_and_message_are_visible_while_running(
    database: str, unthrottled: None
) -> None:
    with start_job("embedding", description="embed text", show_progress=False) as job:
        job.advance(3)
        assert get_job(job.id).progress == 3
        job.set_total(10)
        job.set_message("chunk 2 of 4")
        seen = get_job(job.id)
        assert (seen.progress, seen.total, seen.message) == (3, 10, "chunk 2 of 4")
        job.complete("all done")
    final = get_job(job.id)
    assert final.status is JobStatus.COMPLETED
    assert final.message == "all done"


def test_an_exception_fails_the_job_with_its_traceback_and_is_reraised(database: str) -> None:
    def broken_step() -> None:
        raise ValueError("row 17 has no text")

    with pytest.raises(ValueError, match="row 17"):  # noqa: SIM117 - the job must see the raise
        with start_job("map", description="breaks", show_progress=False) as job:
            job.advance(2)
            broken_step()
    info = get_job(job.id)
    assert info.status is JobStatus.FAILED
    assert info.progress == 2
    assert info.error is not None
    assert info.error.startswith("ValueError: row 17 has no text")
    assert "broken_step" in info.error, "the traceback shows where it failed"
    assert info.finished_at is not None


def test_our_own_errors_are_stored_as_the_user_sees_them(database: str) -> None:
    error = SourceError("data.jsonl:3 is not valid JSON", hint="fix the line")
    with start_job("load", description="load", show_progress=False) as job:
        job.fail(error)
    info = get_job(job.id)
    assert info.status is JobStatus.FAILED
    assert info.error == "data.jsonl:3 is not valid JSON (fix the line)"


def test_the_first_final_state_wins(database: str) -> None:
    with start_job("map", description="done early", show_progress=False) as job:
        job.complete()
        job.fail(RuntimeError("too late"))
    assert get_job(job.id).status is JobStatus.COMPLETED


def test_cancel_from_another_thread_stops_the_job(database: str) -> None:
    with pytest.raises(JobCancelledError):  # noqa: SIM117 - the job must see the raise
        with start_job("map", description="long", show_progress=False) as job:
            canceller = threading.Thread(target=cancel_job, args=(job.id,))
            canceller.start()
            canceller.join()
            for _ in range(1_000_000):
                job.check_cancelled()
                job.advance()
    info = get_job(job.id)
    assert info.status is JobStatus.CANCELLED
    assert info.cancel_requested
    assert info.error is not None and "cancelled" in info.error
    assert info.progress < 1_000_000


def test_cancel_seen_through_the_database_when_the_job_is_not_local(
    database: str, unthrottled: None
) -> None:
    with start_job("map", description="remote-ish", show_progress=False) as job:
        job.check_cancelled()
        _request_cancel_in_database(job.id)
        assert not job._cancelled.is_set()
        with pytest.raises(JobCancelledError, match=job.id):
            job.check_cancelled()
        job.fail(JobCancelledError("stopped"))
    assert get_job(job.id).status is JobStatus.CANCELLED


def test_cancel_checks_are_throttled(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_job, "CANCEL_CHECK_INTERVAL_S", 1e9)
    with start_job("map", description="throttled", show_progress=False) as job:
        job.check_cancelled()  # the first check reads the database
        _request_cancel_in_database(job.id)
        job.check_cancelled()  # within the interval: no read, so not seen yet
        job.complete()


def test_cancelling_a_finished_job_changes_nothing(database: str) -> None:
    with start_job("map", description="quick", show_progress=False) as job:
        job.advance()
    assert cancel_job(job.id).status is JobStatus.COMPLETED
    assert get_job(job.id).status is JobStatus.COMPLETED


def test_keyboard_interrupt_counts_as_cancelled(database: str) -> None:
    with pytest.raises(KeyboardInterrupt):  # noqa: SIM117 - the job must see the raise
        with start_job("map", description="ctrl-c", show_progress=False) as job:
            raise KeyboardInterrupt
    info = get_job(job.id)
    assert info.status is JobStatus.CANCELLED
    assert info.error == "KeyboardInterrupt"


def test_progress_bar_goes_to_stderr_with_the_description(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with start_job("map", description="mapping rows", total=4) as job:
        job.advance(4)
    captured = capsys.readouterr()
    assert "mapping rows" in captured.err
    assert "4/4" in captured.err
    assert captured.out == ""


def test_unknown_job_is_not_found(database: str) -> None:
    with pytest.raises(NotFoundError, match="no job with id 'nope'") as caught:
        get_job("nope")
    assert caught.value.hint


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"kind": "", "description": "x"}, "kind"),
        ({"kind": "map", "description": "x", "total": -1}, "non-negative"),
        ({"kind": "map", "description": "x", "params": {"fn": object()}}, "JSON"),
    ],
)
def test_bad_job_arguments_are_rejected(
    project: Path, arguments: dict[str, object], problem: str
) -> None:
    with pytest.raises(InvalidInputError, match=problem):
        start_job(show_progress=False, **arguments)  # type: ignore[arg-type]


def test_set_total_rejects_a_negative_total(project: Path) -> None:
    with start_job("map", description="x", show_progress=False) as job:
        with pytest.raises(InvalidInputError):
            job.set_total(-5)
        job.set_total(7)
    assert get_job(job.id).total == 7
