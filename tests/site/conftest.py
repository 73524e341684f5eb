"""The site's browser tests use the session's one Chromium (``chromium`` in tests/conftest.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def browser(chromium: Browser) -> Browser:
    return chromium
