"""The CLI as a user types it: every command, JSON output, and clean errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gristmill.cli import app

runner = CliRunner()

ROWS = [
    {"instruction": "Write a poem", "output": "Roses are red", "score": 4},
    {"instruction": "Explain tides", "output": "The moon pulls the sea. " * 10, "score": 2},
    {"instruction": "Write a Poem about rain", "output": "Drip drop", "score": 5},
]


@pytest.fixture
def loaded(tmp_path: Path) -> str:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    result = runner.invoke(app, ["load", str(path), "local/rows"])
    assert result.exit_code == 0, result.output
    assert "Loaded 3 rows into local/rows" in result.output
    return "local/rows"


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_datasets_schema_and_query(loaded: str) -> None:
    assert "local/rows" in run("datasets")
    assert json.loads(run("datasets", "--json"))["rows"] == 3
    assert "instruction: string" in run("schema", loaded)
    lines = run(
        "query",
        loaded,
        "-c",
        "instruction",
        "--filter",
        "instruction regex_matches [Pp]oem",
        "--json",
    ).splitlines()
    assert [json.loads(line)["instruction"] for line in lines] == [
        "Write a poem",
        "Write a Poem about rain",
    ]
    top = run("query", loaded, "-c", "score", "--sort-by", "score", "--limit", "1", "--json")
    assert json.loads(top) == {"score": 5}
    table = run("query", loaded, "-c", "instruction", "--filter", "score greater 3")
    assert "Write a poem" in table and "Explain tides" not in table


def test_stats_and_groups(loaded: str) -> None:
    stats = json.loads(run("stats", loaded, "output", "--json"))
    assert stats["min_length"] == len("Drip drop")
    groups = [json.loads(line) for line in run("groups", loaded, "score", "--json").splitlines()]
    assert {g["group"]: g["count"] for g in groups} == {4: 1, 2: 1, 5: 1}


def test_label_delete_restore_export(loaded: str, tmp_path: Path) -> None:
    assert "Labelled 2 rows 'good'" in run(
        "label", loaded, "good", "--filter", "score greater_equal 4"
    )
    assert "Removed label 'good' from 1 row" in run(
        "label", loaded, "good", "--row-id", "0", "--remove"
    )
    assert "Deleted 1 row; 2 remain" in run(
        "delete", loaded, "--filter", "output length_longer 100"
    )
    out = tmp_path / "out.jsonl"
    run("export", loaded, str(out), "--filter", "good exists")
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["instruction"] for r in exported] == ["Write a Poem about rain"]
    assert "Restored 1 row; 3 rows now" in run("restore", loaded)
    csv_out = tmp_path / "all.csv"
    run("export", loaded, str(csv_out))
    assert len(csv_out.read_text("utf-8").splitlines()) == 4
    assert "load" in run("jobs")


def test_rows_chosen_by_a_keyword_search(loaded: str) -> None:
    # Two instructions hold "poem" (any case); filters and keywords choose the rows meeting both.
    assert "Labelled 2 rows 'poetry'" in run(
        "label", loaded, "poetry", "--keyword", "instruction=poem"
    )
    assert "Deleted 1 row; 2 remain" in run(
        "delete", loaded, "--keyword", "instruction=poem", "--filter", "score greater 4"
    )
    assert "Restored 1 row; 3 rows now" in run("restore", loaded, "--keyword", "instruction=poem")
    result = runner.invoke(app, ["delete", loaded, "--keyword", "instruction"])
    assert result.exit_code == 2 and "PATH=QUERY" in result.stderr


def test_cancel_a_running_job_from_the_shell(loaded: str) -> None:
    from gristmill.errors import JobCancelledError
    from gristmill.jobs import get_job, start_job

    with (
        pytest.raises(JobCancelledError),
        start_job("map", description="slow map", dataset=loaded, show_progress=False) as job,
    ):
        assert "Asked job" in run("cancel", job.id) and "slow map" in run("jobs")
        job.check_cancelled()  # what a running job does between chunks
    assert str(get_job(job.id).status) == "cancelled"
    assert "is cancelled" in run("cancel", job.id)  # a finished job is left as it is
    assert json.loads(run("cancel", job.id, "--json"))["status"] == "cancelled"


def test_drop(loaded: str) -> None:
    assert "Deleted dataset local/rows" in run("drop", loaded, "--yes")
    assert "(no rows)" in run("datasets")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "/nope/missing.jsonl", "local/x"], "missing.jsonl"),
        (["load", "file.txt", "local/x"], "cannot tell the format"),
        (["schema", "no-slash"], "NAMESPACE/NAME"),
        (["schema", "local/absent"], "no dataset 'local/absent'"),
        (["schema", "../../etc/passwd"], "invalid namespace"),
        (["query", "local/rows", "--filter", "score near 3"], "unknown filter op 'near'"),
        (["query", "local/rows", "--filter", "score greater three"], "is not a number"),
        (["query", "local/rows", "--filter", "nope exists"], "unknown column path 'nope'"),
        (["query", "local/rows", "--filter", "output regex_matches ("], "invalid regex"),
        (["delete", "local/rows"], "say which rows to delete"),
        (["export", "local/rows", "out.xml"], "unknown export format"),
        (["cancel", "nope"], "no job with id 'nope'"),
    ],
)
def test_user_errors_are_one_line_exit_2(loaded: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_json_reports_line_and_skip_option(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\n{"a": \n{"a": 3}\n', encoding="utf-8")
    result = runner.invoke(app, ["load", str(path), "local/bad"])
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.stderr
    with pytest.warns(UserWarning, match=r"skipped 1 line"):
        skipped = runner.invoke(app, ["load", str(path), "local/bad", "--skip-bad-lines"])
    assert skipped.exit_code == 0, skipped.output
    assert "Loaded 2 rows" in skipped.stdout


def test_demo_runs_on_the_shipped_sample(project_dir: Path) -> None:
    out = run("demo", "--no-serve")
    assert "Loaded 500 chat preference pairs" in out
    assert "Exported" in out
    exported = project_dir / "exports" / "ultrafeedback_curated.jsonl"
    first = json.loads(exported.read_text("utf-8").splitlines()[0])
    assert set(first) == {"pair", "code"}
    assert set(first["pair"]) == {"prompt", "answer", "answer_words", "has_code"}


def test_python_dash_m_works(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gristmill", "--project", str(tmp_path / "p"), "datasets"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "(no rows)" in result.stdout


def test_sample_size_is_refused_where_it_cannot_apply(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    result = runner.invoke(app, ["load", str(path), "local/s", "--sample-size", "1"])
    assert result.exit_code == 2
    assert "--sample-size works with Parquet" in result.stderr
