"""The committed UI bundle was built from the current web/ sources (no browser, fast)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
BUILD_INFO = ROOT / "src" / "gristmill" / "server" / "static" / "build-info.json"
# Keep in step with web/scripts/build-info.mjs.
TOP_FILES = ["index.html", "package-lock.json", "tsconfig.json", "vite.config.ts"]


def source_hash(web: Path) -> str:
    names = sorted(
        [
            *TOP_FILES,
            *(p.relative_to(web).as_posix() for p in (web / "src").rglob("*") if p.is_file()),
        ]
    )
    digest = hashlib.sha256()
    for name in names:
        text = (web / name).read_text(encoding="utf-8").replace("\r\n", "\n")
        digest.update(f"{name}\n{len(text.encode('utf-8'))}\n".encode())
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def test_committed_bundle_matches_the_sources() -> None:
    assert BUILD_INFO.exists(), "no built web UI in src/gristmill/server/static: run `make web`"
    built = json.loads(BUILD_INFO.read_text())
    assert built["source_hash"] == source_hash(WEB), (
        "the committed web UI bundle is stale (web/ changed since it was built): run `make web`"
        " and commit src/gristmill/server/static/"
    )


def test_the_bundle_is_what_index_html_loads() -> None:
    index = (BUILD_INFO.parent / "index.html").read_text()
    assets = sorted((BUILD_INFO.parent / "assets").iterdir())
    assert assets, "the bundle has no assets: run `make web`"
    for asset in assets:
        assert f"/assets/{asset.name}" in index, f"{asset.name} is left over from an older build"


def test_a_changed_source_changes_the_hash(tmp_path: Path) -> None:
    copy = tmp_path / "web"
    (copy / "src").mkdir(parents=True)
    for name in TOP_FILES:
        (copy / name).write_text((WEB / name).read_text())
    (copy / "src" / "main.tsx").write_text("export {};\n")
    before = source_hash(copy)
    (copy / "src" / "main.tsx").write_text("export const changed = 1;\n")
    assert source_hash(copy) != before
