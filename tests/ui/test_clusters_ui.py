"""Clusters in the browser: start a clustering from the Enrich menu, browse categories and
clusters with their counts, and click a cluster to filter the rows by it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.fixtures import TASK_ROWS, TASKS
from tests.ui.conftest import load_jsonl, result_count, screenshot, wait_for_count

SEED_ROWS = TASK_ROWS
EMBEDDING = "fake_words"
COLUMN = "instruction__cluster"


@pytest.fixture
def fake_embedding() -> Iterator[str]:
    """Registered in this process, which is the one the server runs in: instant, and
    instructions sharing words land near each other, which is all a UI test needs (the real
    models have their own tests)."""
    from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

    register_embedding(EMBEDDING, FakeEmbedding())
    yield EMBEDDING
    unregister_embedding(EMBEDDING)


@pytest.mark.slow  # UMAP on 175 rows: ~10 s on a busy two-core machine
def test_cluster_browse_and_filter(page: Page, server: ServerHandle, fake_embedding: str) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()

    # Before any clustering the panel says what clustering is and offers to start one.
    page.get_by_role("tab", name="Clusters").click()
    panel = page.get_by_role("complementary", name="Clusters")
    expect(panel).to_contain_text("No clusters yet")

    # Enrich -> Cluster… opens the dialog on its tab.
    page.get_by_role("button", name="Enrich").click()
    page.get_by_role("menuitem", name="Cluster…").click()
    dialog = page.get_by_role("dialog", name="Enrich this dataset")
    expect(dialog.get_by_role("tab", name="Cluster")).to_have_attribute("aria-selected", "true")
    dialog.get_by_label("Text column").select_option("instruction")
    dialog.get_by_label("Embedding").select_option(fake_embedding)
    dialog.get_by_label("Min cluster size").fill("4")
    dialog.get_by_label("Titles").select_option("keywords")
    dialog.get_by_role("button", name="Start job").click()
    expect(dialog).to_be_hidden()

    job = page.get_by_role("region", name="Jobs").locator(".job", has_text="cluster")
    expect(job).to_be_visible()
    expect(job).to_have_attribute("data-status", "completed", timeout=120_000)

    # The panel shows the new column's categories, then clusters, with counts adding up.
    meta = page.get_by_test_id("clusters-meta")
    expect(meta).to_contain_text(f"{SEED_ROWS} rows")
    expect(meta).to_contain_text("titles: keywords")
    categories = panel.locator(".category")
    expect(categories.first).to_be_visible()
    shown = panel.locator(".category-count").all_inner_texts()
    assert sum(int(text.replace(",", "")) for text in shown) == SEED_ROWS
    for row in categories.locator(".category-row").all():
        if row.get_attribute("aria-expanded") == "false":
            row.click()
    clusters = panel.locator(".cluster-row[data-cluster-id]")
    assert clusters.count() >= 2
    counts = [
        int(t) for t in panel.locator(".cluster-row[data-cluster-id] .bar-count").all_inner_texts()
    ]
    assert sum(counts) == SEED_ROWS

    # Clicking a cluster filters the rows by it: a pill, and the count the panel showed.
    chosen = clusters.nth(1)
    cluster_id = chosen.get_attribute("data-cluster-id")
    expected = int(chosen.locator(".bar-count").inner_text())
    chosen.click()
    pill = page.get_by_test_id("filter-pill")
    expect(pill).to_have_text(re.compile(rf"{COLUMN}\.cluster_id = {cluster_id}"))
    wait_for_count(page, expected)
    expect(chosen).to_have_attribute("aria-pressed", "true")
    assert f"clusters={COLUMN}" in page.url  # the link reproduces the panel and the filter
    cards = page.locator(".row-card[data-rowid]")
    expect(cards.first).to_be_visible()
    screenshot(page, "clusters")

    # The rows are the cluster's: the row detail shows its title.
    title = chosen.locator(".cluster-title").inner_text()
    cards.first.click()
    expect(page.locator(".row-detail")).to_contain_text(title)

    # Clicking it again clears the filter.
    chosen.click()
    expect(pill).to_have_count(0)
    wait_for_count(page, SEED_ROWS)
    assert result_count(page) == SEED_ROWS
