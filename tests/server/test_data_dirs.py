"""Loading by path: only inside the folders given with --data-dir, with errors that reveal nothing.

Through the real HTTP server (a uvicorn thread on a free port), the way any local process or a
rebinding web page reaches it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from gristmill.errors import InvalidInputError
from gristmill.server import start_server
from tests.server.conftest import assert_error, wait_for_job

SECRET = "s3cret-value"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server's working folder, holding 'data'; secrets lie outside it, one linked from it.

    ``tmp_path/secret.jsonl``, ``tmp_path/secret_dir/``, ``tmp_path/home/.ssh/id``;
    ``work/data/{rows.jsonl, sub/more.jsonl}``, and the symlinks
    ``work/data/link.jsonl -> secret.jsonl`` and ``work/data/linkdir -> tmp_path``.
    """
    (tmp_path / "secret.jsonl").write_text(json.dumps({"text": SECRET}) + "\n")
    (tmp_path / "secret_dir").mkdir()
    (tmp_path / "home" / ".ssh").mkdir(parents=True)
    (tmp_path / "home" / ".ssh" / "id").write_text(json.dumps({"text": SECRET}) + "\n")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    data = tmp_path / "work" / "data"
    (data / "sub").mkdir(parents=True)
    (data / "rows.jsonl").write_text('{"text": "a"}\n{"text": "b"}\n')
    (data / "sub" / "more.jsonl").write_text('{"text": "c"}\n')
    (data / "link.jsonl").symlink_to(tmp_path / "secret.jsonl")
    (data / "linkdir").symlink_to(tmp_path)
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path / "work"


@contextmanager
def serving(**settings: Any) -> Iterator[httpx.Client]:
    """An HTTP client of a real server started with ``settings``."""
    with (
        start_server(port=0, **settings) as handle,
        httpx.Client(base_url=handle.url, trust_env=False) as client,
    ):
        yield client


@pytest.fixture
def http(workdir: Path) -> Iterator[httpx.Client]:
    with serving(data_dirs=["data"]) as client:
        yield client


def load(http: httpx.Client, path: str, name: str = "x", **extra: Any) -> httpx.Response:
    body = {"namespace": "local", "name": name, "path": path, **extra}
    return http.post("/api/v1/datasets", json=body)


def loaded(http: httpx.Client, path: str, name: str, **extra: Any) -> dict[str, Any]:
    """Load ``path`` as local/<name>; the finished job."""
    response = load(http, path, name, **extra)
    assert response.status_code == 202, response.text
    job = wait_for_job(http, response.json()["job_id"])
    assert job["status"] == "completed", job
    return job


def texts(http: httpx.Client, name: str) -> list[str]:
    rows = http.post(f"/api/v1/datasets/local/{name}/select_rows", json={}).json()["rows"]
    return [row["text"] for row in rows]


def test_without_a_data_dir_no_path_is_loaded(workdir: Path) -> None:
    with serving() as http:
        # The example, then the same from every angle: each is the one same refusal.
        first = assert_error(load(http, "/etc/shadow", format="csv"), 403, "path_not_allowed")
        assert first["message"] == "this server does not load files from its disk"
        assert "--data-dir" in str(first["hint"])
        for path in ["/etc/passwd", "../../etc/passwd", "~/.ss?/*", "data/rows.jsonl", "x"]:
            assert assert_error(load(http, path), 403, "path_not_allowed") == first
        assert http.get("/api/v1/jobs").json() == {"jobs": []}
        assert http.get("/api/v1/data_dirs").json() == {"data_dirs": []}


def test_paths_outside_the_data_folders_are_refused_alike(
    http: httpx.Client, tmp_path: Path
) -> None:
    outside = [
        "/etc/passwd",  # exists
        "/etc/shadow",  # exists, unreadable
        "/nonexistent/file.jsonl",  # does not exist
        "/etc",  # a folder
        str(tmp_path / "secret.jsonl"),
        str(tmp_path / "secret_dir"),
        "../secret.jsonl",
        "data/../../secret.jsonl",
        "data/sub/../../../secret.jsonl",
        "data/link.jsonl",  # a symlink out of the folder
        "data/linkdir/secret.jsonl",  # through a symlinked folder
        "data/linkdir/nothing-here.jsonl",
        "/etc/*",  # globs outside, matching or not
        "/nonexistent/*.jsonl",
        "data/../*.jsonl",
        "../*",
        "data/nul\0.jsonl",
    ]
    hints = set()
    for path in outside:
        error = assert_error(load(http, path), 403, "path_not_allowed")
        # The same words whatever is there: nothing to learn about the disk outside.
        assert error["message"] == f"path '{path}' is not inside a data folder this server allows"
        hints.add(error["hint"])
    assert hints == {
        "name a file inside the data folders ('data'), e.g. 'data/train.jsonl';"
        " GET /api/v1/data_dirs lists them"
    }
    assert http.get("/api/v1/jobs").json() == {"jobs": []}


def test_home_and_globs_are_not_expanded_for_the_client(http: httpx.Client) -> None:
    # '~' is a folder name like any other, inside 'data': HOME's .ssh is never looked at.
    error = assert_error(load(http, "~/.ss?/*", format="jsonl"), 400, "invalid_source")
    assert error["message"] == "no files match the pattern '~/.ss?/*'"
    error = assert_error(load(http, "~/.ssh/id", format="jsonl"), 400, "invalid_source")
    assert error["message"] == "file not found: '~/.ssh/id'"


@pytest.mark.parametrize("how", ["by folder name", "relative", "absolute"])
def test_a_file_inside_loads_and_is_named_as_the_operator_named_its_folder(
    http: httpx.Client, workdir: Path, how: str
) -> None:
    path = {
        "by folder name": "data/rows.jsonl",
        "relative": "rows.jsonl",
        "absolute": str(workdir / "data" / "rows.jsonl"),
    }[how]
    job = loaded(http, path, "rows")
    assert texts(http, "rows") == ["a", "b"]
    # Neither the job nor the manifest shows where the folder really is.
    assert job["params"]["source"]["filepaths"] == ["data/rows.jsonl"]
    manifest = http.get("/api/v1/datasets/local/rows").json()
    assert manifest["source"]["filepaths"] == ["data/rows.jsonl"]
    assert str(workdir) not in json.dumps(manifest) + json.dumps(job)


def test_a_glob_loads_only_its_matches_inside_the_folder(http: httpx.Client) -> None:
    # The pattern also matches link.jsonl (a symlink to the secret), and '**' follows linkdir
    # out of the folder, to the secret and back in to data/ itself.
    job = loaded(http, "data/**/*.jsonl", "globbed")
    assert texts(http, "globbed") == ["a", "b", "c"]
    assert job["params"]["source"]["filepaths"] == ["data/rows.jsonl", "data/sub/more.jsonl"]


def test_a_parquet_folder_loads_only_the_files_inside(
    http: httpx.Client, workdir: Path, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    shards = workdir / "data" / "shards"
    shards.mkdir()
    pq.write_table(pa.table({"text": ["inside"]}), shards / "part-0.parquet")
    pq.write_table(pa.table({"text": [SECRET]}), tmp_path / "outside.parquet")
    (shards / "part-1.parquet").symlink_to(tmp_path / "outside.parquet")
    loaded(http, "data/shards", "shards", format="parquet")
    assert texts(http, "shards") == ["inside"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("data/missing.jsonl", "file not found: 'data/missing.jsonl'"),
        ("data/sub", "'data/sub' is a folder, not a file"),
        ("data/empty.jsonl", "'data/empty.jsonl' is empty"),
        ("data/bad.jsonl", "data/bad.jsonl"),
    ],
)
def test_errors_inside_name_the_file_as_the_client_did(
    http: httpx.Client, workdir: Path, path: str, message: str
) -> None:
    from gristmill.project import get_project_dir

    (workdir / "data" / "bad.jsonl").write_text('{"text": "a"}\n{not json\n')
    (workdir / "data" / "empty.jsonl").write_text("")
    response = load(http, path, format="jsonl")
    error = assert_error(response, 400, "invalid_source")
    assert message in str(error["message"])
    for private in (str(workdir), os.getcwd(), str(get_project_dir())):
        assert private not in response.text


def test_the_data_folders_are_listed_as_the_operator_typed_them(workdir: Path) -> None:
    (workdir / "more").mkdir()
    (workdir / "more" / "m.jsonl").write_text('{"text": "m"}\n')
    typed = ["data", "./more/", str(workdir / "data")]
    with serving(data_dirs=typed) as http:
        assert http.get("/api/v1/data_dirs").json() == {"data_dirs": typed}
        job = loaded(http, "more/m.jsonl", "m")
        assert job["params"]["source"]["filepaths"] == ["./more/m.jsonl"]
    with serving(data_dirs=["data"], read_only=True) as http:
        assert_error(http.get("/api/v1/data_dirs"), 403, "read_only")


def test_a_data_dir_that_is_not_a_folder_stops_the_start(workdir: Path) -> None:
    with pytest.raises(InvalidInputError, match="'nope' does not exist or is not a folder"):
        start_server(port=0, data_dirs=["nope"])
    with pytest.raises(InvalidInputError, match="is not a folder"):
        start_server(port=0, data_dirs=["data/rows.jsonl"])


def test_a_relative_path_is_looked_for_in_each_folder_in_turn(
    workdir: Path, tmp_path: Path
) -> None:
    (workdir / "more").mkdir()
    (workdir / "more" / "m.jsonl").write_text('{"text": "m"}\n')
    (workdir / "more" / "link.jsonl").write_text('{"text": "real"}\n')
    with serving(data_dirs=["data", "more"]) as http:
        assert loaded(http, "m.jsonl", "m")["params"]["source"]["filepaths"] == ["more/m.jsonl"]
        # data/link.jsonl leads out of the folders, so it is passed over for more/link.jsonl.
        job = loaded(http, "link.jsonl", "link")
        assert job["params"]["source"]["filepaths"] == ["more/link.jsonl"]
        assert texts(http, "link") == ["real"]
