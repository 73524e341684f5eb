"""Fixtures shared by every test: each test gets its own project folder and metadata DB.

The tests carry their own data (``tests/fixtures/``). The larger sets in ``../shared/data``
are optional, for benchmark-like tests only (none in the suite today): such a test asks for the
``shared_data`` fixture (or :func:`require_shared_data`) and skips, saying why, when the folder
is absent. ``GRISTMILL_SHARED_DATA`` names another folder, or with an empty value hides it, so
``GRISTMILL_SHARED_DATA= pytest`` runs as a fresh clone does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# benchmarks/browser.py launches the browser benchmarks with the same binary and flags.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# What a browser test waits for a page to show. The first keyword search builds its full-text
# index: on a busy 2-core machine that can take longer than expect()'s default 5 s.
TIMEOUT_MS = 20_000
SHARED_DATA_ENV = "GRISTMILL_SHARED_DATA"
DEFAULT_SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh project folder per test, so tests never see each other's datasets or jobs."""
    from gristmill import project

    folder = tmp_path / "project"
    monkeypatch.delenv("GRISTMILL_PROJECT_DIR", raising=False)
    monkeypatch.delenv("GRISTMILL_DATABASE_URL", raising=False)
    # No keyword index jobs in the background of every load: tests that want them turn them on
    # (tests/search/test_keyword_after_load.py).
    monkeypatch.setenv("GRISTMILL_KEYWORD_INDEX", "off")
    project.set_project_dir(folder)
    yield folder
    try:
        from gristmill.metadata import reset_engines
    except ImportError:
        return
    reset_engines()


def shared_data_dir() -> Path | None:
    """The optional data folder if it exists: ``$GRISTMILL_SHARED_DATA`` when set (empty: none),
    else ``../shared/data`` beside the repository."""
    configured = os.environ.get(SHARED_DATA_ENV)
    if configured is None:
        folder = DEFAULT_SHARED_DATA
    elif not configured:
        return None
    else:
        folder = Path(configured)
    return folder if folder.is_dir() else None


def require_shared_data(relative: str = "") -> Path:
    """``relative`` inside the optional data folder, or skip the test saying how to provide it."""
    folder = shared_data_dir()
    path = folder / relative if folder else None
    if path is None or not path.exists():
        where = os.environ.get(SHARED_DATA_ENV) or str(DEFAULT_SHARED_DATA)
        pytest.skip(
            f"optional benchmark data {relative or 'folder'} not found in {where}: put the"
            f" shared data folder there or set {SHARED_DATA_ENV}=/path/to/data"
        )
    return path


@pytest.fixture
def shared_data() -> Path:
    return require_shared_data()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Debian Chromium for every browser test of the session (the web UI's and the
    Clio site's): Playwright's sync API runs one instance per thread at a time."""
    if not CHROMIUM.exists():
        pytest.skip(
            "the browser tests need Debian's chromium at /usr/bin/chromium"
            " (apt-get install chromium)"
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
