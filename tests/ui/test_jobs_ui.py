"""Enrichment from the browser: start a job, watch its live progress finish, use its column."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.fixtures import TASKS
from tests.ui.conftest import load_jsonl, screenshot


def start_enrichment(page: Page, tab: str, path: str, **choices: str) -> None:
    page.get_by_role("button", name="Enrich").click()
    page.get_by_role("menuitem", name=f"{tab}…").click()
    dialog = page.get_by_role("dialog", name="Enrich this dataset")
    dialog.get_by_role("tab", name=tab).click()
    dialog.get_by_label("Text column").select_option(path)
    for label, value in choices.items():
        dialog.get_by_label(label).select_option(value)
    dialog.get_by_role("button", name="Start job").click()
    expect(dialog).to_be_hidden()


def test_a_signal_job_runs_and_its_column_appears(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()

    start_enrichment(page, "Signal", "instruction", Signal="text_statistics")
    panel = page.get_by_role("region", name="Jobs")
    job = panel.locator(".job", has_text="signal")
    expect(job).to_be_visible()
    expect(job).to_have_attribute("data-status", "completed", timeout=60_000)
    expect(job.locator(".progress.completed")).to_be_visible()

    # The view refreshes when the job finishes: the new column is in the schema with its lineage.
    column = page.locator(".schema-row[data-path='instruction__text_statistics']")
    expect(column.locator(".lineage-badge.kind-signal")).to_be_visible()
    page.locator(".schema-row[data-path='instruction__text_statistics.num_words']").click()
    expect(page.locator(".histogram .bar-row").first).to_be_visible()
    screenshot(page, "enrich-signal-job")


def test_the_jobs_page_lists_errors(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()
    # A semantic search before any embedding is not offered; computing the embedding is.
    page.get_by_label("Search type").select_option("semantic")
    page.get_by_label("Search field").select_option("instruction")
    page.get_by_label("Search query").fill("cooking")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name="Compute embedding")).to_be_visible()
    page.goto(f"{server.url}/jobs")
    expect(page.locator(".job[data-status='completed']").first).to_contain_text("load")


@pytest.mark.slow
def test_embed_then_search_by_meaning(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()
    start_enrichment(page, "Embedding", "instruction", Embedding="minilm")
    job = page.get_by_role("region", name="Jobs").locator(".job", has_text="embedding")
    expect(job).to_have_attribute("data-status", "completed", timeout=120_000)

    page.get_by_label("Search type").select_option("semantic")
    page.get_by_label("Search field").select_option("instruction")
    page.get_by_label("Search query").fill("write an email")
    page.get_by_label("Search query").press("Enter")
    expect(page.get_by_test_id("search-pill")).to_contain_text("instruction ≈ “write an email”")
    first = page.locator(".row-card[data-rowid]").first
    expect(first.locator("mark").first).to_be_visible()
    expect(first.locator(".score")).to_be_visible()
    screenshot(page, "semantic-search")
