"""serve_site: loopback by default, the server's Host check, the site's files and nothing else."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gristmill.errors import InvalidInputError
from gristmill.site import SiteServer, serve_site, start_site_server, write_site
from tests.site.synthetic import synthetic_site


@pytest.fixture
def site_server(tmp_path: Path) -> Iterator[SiteServer]:
    write_site(synthetic_site(20), tmp_path / "site")
    with start_site_server(tmp_path / "site", port=0) as handle:
        yield handle


def get(server: SiteServer, path: str, host: str | None = None) -> httpx.Response:
    headers = {"Host": host} if host is not None else {}
    return httpx.get(f"{server.url}{path}", headers=headers, trust_env=False)


def test_loopback_is_the_default() -> None:
    for function in (serve_site, start_site_server):
        assert inspect.signature(function).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(serve_site).parameters["port"].default == 8421


def test_the_site_is_served_on_loopback(site_server: SiteServer) -> None:
    assert site_server.url.startswith("http://127.0.0.1:")
    index = get(site_server, "/")
    assert index.status_code == 200 and "viewer.js" in index.text
    assert "script-src 'self'" in index.headers["content-security-policy"]
    assert get(site_server, "/site.json").json()["format"] == "gristmill-site"
    root = get(site_server, "/data/root.json.gz")
    assert root.status_code == 200 and root.content[:2] == b"\x1f\x8b"


def test_a_rebinding_host_name_is_refused(site_server: SiteServer) -> None:
    for host in ("attacker.example", f"attacker.example:{site_server.port}", "127.0.0.1.nip.io"):
        for path in ("/", "/site.json", "/data/root.json.gz"):
            response = get(site_server, path, host)
            assert response.status_code == 421, (host, path)
            assert response.json()["error"]["code"] == "host_not_allowed"
    for host in (f"localhost:{site_server.port}", f"127.0.0.1:{site_server.port}"):
        assert get(site_server, "/site.json", host).status_code == 200


def test_files_outside_the_site_are_not_served(site_server: SiteServer, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("outside")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/data/../../secret.txt"):
        response = httpx.get(f"{site_server.url}{path}", trust_env=False)
        assert "outside" not in response.text


def test_a_folder_without_a_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="holds no site"):
        start_site_server(tmp_path, port=0)
