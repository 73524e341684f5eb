"""The site's browser tests share the UI tests' headless Chromium (tests/ui/conftest.py)."""

from __future__ import annotations

from tests.ui.conftest import browser

__all__ = ["browser"]
