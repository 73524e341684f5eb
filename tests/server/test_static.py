"""Serving a built UI from static/: files, SPA fallback, and the API kept apart."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from gristmill.server import create_app
from tests.server.conftest import assert_error


def test_single_page_app_with_fallback(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html>gristmill ui</html>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("do not serve")
    client = TestClient(create_app(static_dir=tmp_path))

    assert client.get("/").text == "<html>gristmill ui</html>"
    assert client.get("/assets/app.js").text == "console.log(1)"
    # A UI route reloaded in the browser gets the app, which then reads the URL.
    assert client.get("/datasets/local/seed?filter=x").text == "<html>gristmill ui</html>"
    assert "do not serve" not in client.get("/..%2Fsecret.txt").text
    assert_error(client.get("/api/v1/unknown"), 404, "not_found")
    assert client.get("/api/v1/health").json()["status"] == "ok"
