"""A query the server refuses is asked once, not forever, and its error offers the fix.

A semantic search on a field without an embedding (or an invalid regex filter) used to make the
row list resend select_rows about 55 times a second for as long as the page was open.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, Request, expect

import gristmill as gm
from gristmill.server import ServerHandle
from tests.ui.conftest import wait_for_count

NUM_ROWS = 30
# Long enough for a retry loop to show (it made ~165 requests in this time), short for a test.
WATCH_MS = 3000
MOST_REQUESTS = 3


@pytest.fixture
def rows(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    lines = [json.dumps({"text": f"row {i} about the sea and ships"}) for i in range(NUM_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="rows", source=gm.JSONSource(filepaths=[path])),
        show_progress=False,
    )


def count_select_rows(page: Page) -> Callable[[], int]:
    seen: list[str] = []

    def on_request(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/select_rows"):
            seen.append(request.url)

    page.on("request", on_request)
    return lambda: len(seen)


def open_view(page: Page, server: ServerHandle, **view: object) -> None:
    query = urlencode({key: json.dumps(value) for key, value in view.items()})
    page.goto(f"{server.url}/datasets/local/rows?{query}")


SEMANTIC = {"type": "semantic", "path": "text", "query": "boats", "embedding": "minilm"}
BAD_REGEX = {"path": "text", "op": "regex_matches", "value": "(unclosed"}


def test_a_search_without_its_embedding_is_asked_once_and_offers_to_compute_it(
    page: Page, server: ServerHandle, rows: None
) -> None:
    requests = count_select_rows(page)
    open_view(page, server, searches=[SEMANTIC])
    error = page.locator(".error-box", has_text="has no 'minilm' embedding")
    expect(error).to_be_visible()
    page.wait_for_timeout(WATCH_MS)
    assert requests() <= MOST_REQUESTS

    # Retry asks again, once; it is the user's action, not the page's.
    before = requests()
    error.get_by_role("button", name="Retry").click()
    expect(error).to_be_visible()
    page.wait_for_timeout(500)
    assert requests() == before + 1

    compute = error.get_by_test_id("compute-embedding")
    expect(compute).to_have_text("Compute minilm embedding of text")
    compute.click()
    dialog = page.get_by_role("dialog", name="Enrich this dataset")
    expect(dialog.get_by_role("tab", name="Embedding")).to_have_attribute("aria-selected", "true")
    expect(dialog.get_by_label("Text column")).to_have_value("text")


def test_an_invalid_regex_is_asked_once_and_its_filter_is_pointed_at(
    page: Page, server: ServerHandle, rows: None
) -> None:
    requests = count_select_rows(page)
    open_view(page, server, filters=[BAD_REGEX])
    error = page.locator(".error-box", has_text="invalid regex")
    expect(error).to_be_visible()
    page.wait_for_timeout(WATCH_MS)
    assert requests() <= MOST_REQUESTS

    pill = page.get_by_test_id("filter-pill")
    expect(pill).to_have_attribute("aria-invalid", "true")
    error.get_by_test_id("show-filter").click()
    expect(pill.get_by_role("button")).to_be_focused()
    # Label or delete "all matching rows" would fail the same way: not offered.
    expect(page.get_by_role("button", name="Delete all")).to_have_count(0)

    error.get_by_test_id("remove-filter").click()
    wait_for_count(page, NUM_ROWS)
    expect(page.locator(".error-box")).to_have_count(0)


def test_a_search_that_cannot_work_is_not_offered(
    page: Page, server: ServerHandle, rows: None
) -> None:
    page.goto(f"{server.url}/datasets/local/rows")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()
    search = page.get_by_role("search")
    submit = search.get_by_role("button", name="Search", exact=True)
    expect(submit).to_be_disabled()  # no query yet
    search.get_by_label("Search query").fill("ships")
    expect(submit).to_be_enabled()
    search.get_by_label("Search type").select_option("semantic")
    expect(submit).to_be_disabled()  # 'text' has no embedding
    search.get_by_role("button", name="Compute embedding").click()
    dialog = page.get_by_role("dialog", name="Enrich this dataset")
    expect(dialog.get_by_label("Text column")).to_have_value("text")
