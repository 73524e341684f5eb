"""The committed viewer (src/gristmill/site/static/viewer.js) was built from web/site's sources."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "web" / "site"
STATIC = ROOT / "src" / "gristmill" / "site" / "static"
# Keep in step with SOURCES in web/site/build.mjs.
SOURCES = ["build.mjs", "tsconfig.json", "viewer.ts"]


def source_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        text = (folder / name).read_text(encoding="utf-8").replace("\r\n", "\n")
        digest.update(f"{name}\n{len(text.encode('utf-8'))}\n".encode())
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def test_the_committed_viewer_matches_its_sources() -> None:
    built = json.loads((STATIC / "build-info.json").read_text())
    assert built["source_hash"] == source_hash(SOURCE), (
        "the site's viewer is stale (web/site changed since it was built): run"
        " `node web/site/build.mjs` and commit src/gristmill/site/static/"
    )


def test_every_source_file_counts(tmp_path: Path) -> None:
    for name in SOURCES:
        (tmp_path / name).write_text((SOURCE / name).read_text())
    before = source_hash(tmp_path)
    (tmp_path / "viewer.ts").write_text((SOURCE / "viewer.ts").read_text() + "\n// changed\n")
    assert source_hash(tmp_path) != before


def test_the_page_loads_only_the_shipped_assets() -> None:
    index = (STATIC / "index.html").read_text()
    assert 'src="viewer.js"' in index and 'href="viewer.css"' in index
    assert "http" not in index.replace("http-equiv", "")
