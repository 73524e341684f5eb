"""Serving a built UI from static/: files, SPA fallback, and the API kept apart."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from gristmill.server import create_app
from tests.server.conftest import LOCAL_URL, assert_error


def test_single_page_app_with_fallback(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html>gristmill ui</html>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("do not serve")
    client = TestClient(create_app(static_dir=tmp_path), base_url=LOCAL_URL)

    assert client.get("/").text == "<html>gristmill ui</html>"
    assert client.get("/assets/app.js").text == "console.log(1)"
    # A UI route reloaded in the browser gets the app, which then reads the URL.
    assert client.get("/datasets/local/seed?filter=x").text == "<html>gristmill ui</html>"
    assert "do not serve" not in client.get("/..%2Fsecret.txt").text
    assert_error(client.get("/api/v1/unknown"), 404, "not_found")
    assert client.get("/api/v1/health").json()["status"] == "ok"


def test_no_path_leaves_the_ui_folder(tmp_path: Path) -> None:
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "index.html").write_text("<html>gristmill ui</html>")
    (tmp_path / "secret.txt").write_text("do not serve")
    (ui / "leak.txt").symlink_to(tmp_path / "secret.txt")
    client = TestClient(create_app(static_dir=ui), base_url=LOCAL_URL)
    for path in (
        "/leak.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/assets/..%2f..%2fsecret.txt",
    ):
        response = client.get(path)
        assert "do not serve" not in response.text, path
        assert response.text == "<html>gristmill ui</html>", path
