"""Requests found by the fuzz run (tests/fuzz) that the server answered wrongly, each pinned: it
must answer a 4xx in the one error shape, never a 500, and a 405 must name the allowed methods.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gristmill.server import create_app
from gristmill.server._errors import error_response
from tests.server.conftest import LOCAL_URL, UI_HEADERS, assert_error

# JSON text may escape half of a surrogate pair; json.loads reads it into a str that cannot be
# written as UTF-8 (to Parquet, SQLite, or the answer itself).
LONE_SURROGATE = '"\\ud800"'
JSON = {**UI_HEADERS, "Content-Type": "application/json"}


@pytest.fixture
def rows(tmp_path: Path) -> str:
    import gristmill as gm

    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps({"text": f"row {i}"}) + "\n" for i in range(5)))
    gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="rows", source=gm.JSONSource(filepaths=[source])),
        show_progress=False,
    )
    return "/api/v1/datasets/local/rows"


def test_a_label_value_with_a_lone_surrogate_is_refused(client: TestClient, rows: str) -> None:
    body = '{"name": "good", "filters": [], "value": ' + LONE_SURROGATE + "}"
    error = assert_error(
        client.post(f"{rows}/labels", content=body, headers=JSON), 422, "validation_error"
    )
    assert "surrogate" in str(error["message"])
    assert client.post(f"{rows}/count", json={}, headers=UI_HEADERS).json() == {"count": 5}


def test_a_concept_description_with_a_lone_surrogate_is_refused(client: TestClient) -> None:
    body = '{"namespace": "local", "name": "c", "description": ' + LONE_SURROGATE + "}"
    response = client.post("/api/v1/concepts", content=body, headers=JSON)
    assert_error(response, 422, "validation_error")
    assert client.get("/api/v1/concepts", params={"namespace": "local"}).json() == {"concepts": []}


def test_a_filter_value_with_a_lone_surrogate_is_refused(client: TestClient, rows: str) -> None:
    # DuckDB cannot bind such a value: this was a 500 in a body and in export's filter parameter.
    filters = '[{"path": "text", "op": "equals", "value": ' + LONE_SURROGATE + "}]"
    response = client.post(f"{rows}/count", content='{"filters": ' + filters + "}", headers=JSON)
    assert_error(response, 422, "validation_error")
    response = client.get(f"{rows}/export", params={"filters": filters})
    assert_error(response, 400, "invalid_filter")


def test_an_error_message_echoing_a_lone_surrogate_still_renders() -> None:
    response = error_response(404, "not_found", "no column '\ud800'", "columns: '\udfff'")

    assert json.loads(bytes(response.body)) == {
        "error": {
            "code": "not_found",
            "message": "no column '\\ud800'",
            "hint": "columns: '\\udfff'",
        }
    }


def test_a_405_names_every_method_of_the_path(client: TestClient) -> None:
    assert_error(client.put("/api/v1/health"), 405, "method_not_allowed")
    assert client.put("/api/v1/health").headers["allow"] == "GET"
    # Two routes share this path; Starlette's own 405 named only the first one's method.
    response = client.options("/api/v1/concepts")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, POST"


def test_with_the_ui_installed_a_get_of_a_post_route_is_a_405(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html>gristmill ui</html>")
    client = TestClient(create_app(static_dir=tmp_path), base_url=LOCAL_URL)

    response = client.get("/api/v1/datasets/upload")

    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "POST"
    assert_error(client.get("/api/v1/no_such_route"), 404, "not_found")


def test_a_column_or_sort_key_repeated_thousands_of_times_is_one_column(
    client: TestClient, rows: str
) -> None:
    # Found by the fuzz run: 10,000 sort keys or 100,000 columns made DuckDB run out of memory
    # planning the query (a 500); a repeated path adds nothing, so it is used once.
    url = f"{rows}/select_rows"
    sort_by = {"sort_by": ["text"] * 10_000, "limit": 3}
    sorted_rows = client.post(url, json=sort_by, headers=UI_HEADERS)
    assert sorted_rows.status_code == 200, sorted_rows.text
    assert [row["text"] for row in sorted_rows.json()["rows"]] == ["row 4", "row 3", "row 2"]
    columns = {"columns": ["text"] * 100_000, "limit": 2}
    narrow = client.post(url, json=columns, headers=UI_HEADERS)
    assert narrow.status_code == 200, narrow.text
    assert set(narrow.json()["rows"][0]) == {"text", "__rowid__"}
