"""Curation in the browser: labels on chosen rows, deleting and restoring, export."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.fixtures import CLASSIFICATION_TASKS, TASK_ROWS, TASKS
from tests.ui.conftest import load_jsonl, screenshot, wait_for_count


def test_label_delete_and_restore_rows(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{server.url}/datasets/local/seed")
    wait_for_count(page, TASK_ROWS)

    # Label two checked rows 'good'.
    page.get_by_label("Select row 1", exact=True).check()
    page.get_by_label("Select row 2", exact=True).check()
    expect(page.locator(".selection-count")).to_have_text("2 selected")
    page.get_by_role("button", name="Label 2 selected").click()
    page.get_by_role("menuitem", name="good").click()
    expect(page.locator(".toast")).to_contain_text("Added label good to 2 rows")
    expect(page.locator(".row-card[data-rowid='1'] .chip[data-label='good']")).to_be_visible()
    expect(page.locator(".row-card[data-rowid='2'] .chip[data-label='good']")).to_be_visible()

    # The label is a column: its histogram filters the labelled rows.
    page.locator(".schema-row[data-path='good.label']").click()
    page.locator(
        ".histogram[aria-label='Histogram of good.label'] .bar-row[data-value='true']"
    ).click()
    wait_for_count(page, 2)

    # Delete every row the filter matches, and see the counts change.
    page.get_by_role("button", name="Delete all 2 matching").click()
    wait_for_count(page, 0)
    expect(page.get_by_test_id("dataset-size")).to_have_text(f"{TASK_ROWS - 2} rows · 2 deleted")
    screenshot(page, "curation-deleted")

    # Deleted rows come back into view on request, marked, and can be restored.
    page.get_by_label("Show deleted").check()
    wait_for_count(page, 2)
    expect(page.locator(".row-card.deleted")).to_have_count(2)
    page.get_by_role("button", name="Restore all 2 matching").click()
    expect(page.get_by_test_id("dataset-size")).to_have_text(f"{TASK_ROWS} rows")

    # One row from the detail pane: label 'bad', then delete it.
    page.get_by_role("button", name="Clear all").click()
    page.get_by_label("Show deleted").uncheck()
    wait_for_count(page, TASK_ROWS)
    page.locator(".row-card[data-rowid='5']").click()
    page.locator(".row-detail").get_by_role("button", name="+ bad").click()
    expect(page.locator(".row-card[data-rowid='5'] .chip[data-label='bad']")).to_be_visible()
    expect(page.locator(".row-detail").get_by_role("button", name="✓ bad")).to_be_visible()
    page.locator(".row-detail").get_by_role("button", name="Delete").click()
    wait_for_count(page, TASK_ROWS - 1)
    expect(page.locator(".row-detail .notice")).to_contain_text("This row is deleted")


def test_export_the_filtered_view(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(
        f"{server.url}/datasets/local/seed?filters="
        '[{"path":"is_classification","op":"equals","value":true}]'
    )
    wait_for_count(page, CLASSIFICATION_TASKS)
    page.get_by_role("button", name="Export").click()
    dialog = page.get_by_role("dialog", name="Export this view")
    dialog.get_by_label("Format").select_option("jsonl")
    dialog.get_by_role("button", name="none").click()
    dialog.get_by_label("instruction").check()
    dialog.get_by_label("name").check()
    with page.expect_download() as download_info:
        dialog.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == "local-seed.jsonl"
    lines = Path(download.path()).read_text().splitlines()
    assert len(lines) == CLASSIFICATION_TASKS
    assert '"instruction"' in lines[0] and '"is_classification"' not in lines[0]
