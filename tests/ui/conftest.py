"""Fixtures for the web UI tests: a real server in this process, headless Debian Chromium.

Each test gets its own project folder (the autouse fixture of tests/conftest.py), so the server
is started per test, after that folder is set; the browser is shared by the whole session.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from gristmill.server import ServerHandle

# The committed pictures in docs/screenshots/ are refreshed on purpose
# (GRISTMILL_SCREENSHOTS=docs/screenshots make test); a plain test run must not dirty the tree.
SCREENSHOTS = Path(
    os.environ.get("GRISTMILL_SCREENSHOTS") or Path(tempfile.gettempdir()) / "gristmill-screenshots"
).resolve()
# GRISTMILL_UI_BUILD points the tests at a bundle built elsewhere (`vite build --outDir DIR`), so
# a UI change can be tried without rebuilding the committed bundle.
UI_BUILD = os.environ.get("GRISTMILL_UI_BUILD")
STATIC_INDEX = (
    Path(UI_BUILD) / "index.html"
    if UI_BUILD
    else Path(__file__).resolve().parents[2]
    / "src"
    / "gristmill"
    / "server"
    / "static"
    / "index.html"
)
VIEWPORT = {"width": 1440, "height": 900}


@pytest.fixture(scope="session")
def browser(chromium: Browser) -> Browser:
    """The session's Chromium (tests/conftest.py), once the web UI is built."""
    if not STATIC_INDEX.exists():
        pytest.skip("the web UI is not built: run `make web`")
    return chromium


@pytest.fixture
def server(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerHandle]:
    import gristmill as gm

    if UI_BUILD:
        from functools import partial

        from gristmill.server import _app, _runner

        monkeypatch.setattr(
            _runner, "create_app", partial(_app.create_app, static_dir=Path(UI_BUILD))
        )
    handle = gm.start_server(port=0)
    yield handle
    handle.stop()


@pytest.fixture
def page(browser: Browser, server: ServerHandle) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    # An uncaught script error is a bug even when the test's assertions passed.
    assert not errors, f"the page raised: {errors}"


def load_jsonl(path: Path, name: str, **kwargs: Any) -> Any:
    """Load a JSON Lines file (one of tests/fixtures' as a rule) as local/<name>."""
    import gristmill as gm

    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name=name, source=gm.JSONSource(filepaths=[str(path)])),
        show_progress=False,
        **kwargs,
    )


def screenshot(page: Page, name: str) -> Path:
    """Save a PNG of the page (into docs/screenshots/ when GRISTMILL_SCREENSHOTS says so)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    # Let transitions (progress bars, hover states) settle so the picture is what a person sees.
    page.wait_for_timeout(300)
    page.screenshot(path=str(target))
    return target


def result_count(page: Page) -> int:
    """The number of rows the current view matches, as the filter bar shows it."""
    text = page.get_by_test_id("result-count").inner_text()
    found = re.search(r"[\d,]+", text)
    assert found, text
    return int(found.group().replace(",", ""))


def wait_for_count(page: Page, expected: int) -> None:
    page.wait_for_function(
        """(expected) => {
            const el = document.querySelector('[data-testid=result-count]');
            return el && el.textContent.replace(/[^0-9]/g, '') === String(expected);
        }""",
        arg=expected,
    )
