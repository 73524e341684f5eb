"""Exploring a dataset in the browser: first rows, histogram filters, search, sort, links."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.fixtures import CLASSIFICATION_TASKS, TASK_ROWS, TASKS
from tests.ui.conftest import load_jsonl, result_count, screenshot, wait_for_count


def test_first_rows_then_filter_by_clicking_a_histogram_bar(
    page: Page, server: ServerHandle
) -> None:
    load_jsonl(TASKS, "seed")
    started = time.perf_counter()
    page.goto(f"{server.url}/datasets/local/seed")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(f"\nUI time to first rows (navigation to first row card): {elapsed_ms:.0f} ms")
    assert result_count(page) == TASK_ROWS

    # Open the histogram of the boolean column and click its 'true' bar, as the seed does.
    page.locator(".schema-row[data-path='is_classification']").click()
    bar = page.locator(".histogram .bar-row[data-value='true']")
    expect(bar).to_contain_text(str(CLASSIFICATION_TASKS))
    bar.click()

    expect(page.get_by_test_id("filter-pill")).to_have_text("is_classification = true×")
    wait_for_count(page, CLASSIFICATION_TASKS)
    query = parse_qs(urlparse(page.url).query)
    assert json.loads(query["filters"][0]) == [
        {"path": "is_classification", "op": "equals", "value": True}
    ]
    # Every row shown now is a classification task.
    page.locator(".row-card[data-rowid]").first.click()
    expect(page.locator(".row-detail [data-field='is_classification']")).to_contain_text("true")
    screenshot(page, "dataset-filtered")

    # The URL alone reproduces the view: filters, open histogram and selected row.
    link = page.url
    fresh = page.context.new_page()
    fresh.goto(link)
    wait_for_count(fresh, CLASSIFICATION_TASKS)
    expect(fresh.get_by_test_id("filter-pill")).to_have_count(1)
    expect(fresh.locator(".row-detail")).to_be_visible()
    expect(fresh.locator(".histogram[aria-label='Histogram of is_classification']")).to_be_visible()
    fresh.close()

    # Removing the pill brings every row back.
    page.get_by_role("button", name="Remove filter is_classification = true").click()
    wait_for_count(page, TASK_ROWS)


def test_a_length_bar_filters_by_text_length(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed?open=instruction")
    first_bar = page.locator(".histogram .bar-row").first
    expect(first_bar).to_be_visible()
    expected = int(first_bar.locator(".bar-count").inner_text().replace(",", ""))
    first_bar.click()
    wait_for_count(page, expected)
    expect(page.get_by_test_id("filter-pill").first).to_contain_text("instruction")


def test_a_clicked_length_bar_leaves_a_length_histogram(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed?open=instruction")
    histogram = page.locator(".histogram[aria-label='Histogram of instruction']")
    expect(histogram).to_have_attribute("data-kind", "length")
    bars = histogram.locator(".bar-row")
    expect(bars.first).to_be_visible()
    labels = bars.locator(".bar-label").all_inner_texts()
    counts = [int(text.replace(",", "")) for text in bars.locator(".bar-count").all_inner_texts()]
    # A bar of at most 100 texts: once filtered by it, the old histogram listed them one by one.
    chosen = next(i for i, count in enumerate(counts) if 0 < count <= 100)
    other = next(i for i, count in enumerate(counts) if count > 0 and i != chosen)
    bars.nth(chosen).click()
    wait_for_count(page, counts[chosen])

    # The same length bins, now counting the filtered rows: the other bars are empty.
    expect(bars.nth(other).locator(".bar-count")).to_have_text("0")
    expect(histogram).to_have_attribute("data-kind", "length")
    assert bars.locator(".bar-label").all_inner_texts() == labels
    expect(bars.nth(chosen).locator(".bar-count")).to_have_text(f"{counts[chosen]:,}")


def test_keyword_search_highlights_the_matching_words(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()
    page.get_by_label("Search field").select_option("instruction")
    page.get_by_label("Search query").fill("email")
    page.get_by_label("Search query").press("Enter")

    expect(page.get_by_test_id("search-pill")).to_contain_text("instruction has “email”")
    expect(page.locator(".row-card[data-rowid] mark").first).to_be_visible()
    count = result_count(page)
    assert 0 < count < TASK_ROWS
    marks = page.locator(".row-card[data-rowid] mark").all_inner_texts()
    assert marks and all(m.lower().startswith("email") for m in marks)

    # The detail pane highlights the same words in the full text.
    page.locator(".row-card[data-rowid]").first.click()
    detail_marks = page.locator(".row-detail [data-field='instruction'] mark")
    expect(detail_marks.first).to_have_text("email", ignore_case=True)
    screenshot(page, "dataset-keyword-search")

    # Searches live in the URL too.
    searches = json.loads(parse_qs(urlparse(page.url).query)["searches"][0])
    assert searches == [{"type": "keyword", "path": "instruction", "query": "email"}]


def test_sort_and_add_a_filter_by_hand(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()

    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Descending").click()
    expect(page.locator(".row-card[data-rowid]").first.locator(".preview").first).to_be_visible()
    assert "sort=name" in page.url and "order=ASC" in page.url
    names = page.evaluate(
        """async () => {
            const r = await fetch('/api/v1/datasets/local/seed/select_rows', {method: 'POST',
              headers: {'Content-Type': 'application/json'},
              body: JSON.stringify(
                {columns: ['name'], sort_by: ['name'], sort_order: 'ASC', limit: 1})});
            return (await r.json()).rows.map(r => r.__rowid__);
        }"""
    )
    expect(page.locator(".row-card[data-rowid]").first).to_have_attribute(
        "data-rowid", str(names[0])
    )

    page.get_by_role("button", name="+ Filter").click()
    form = page.get_by_role("form", name="Add a filter")
    form.get_by_label("Field").select_option("name")
    form.get_by_label("Condition").select_option("ilike")
    form.get_by_label("Value").fill("email")
    form.get_by_role("button", name="Add filter").click()
    expect(page.get_by_test_id("filter-pill")).to_have_text("name contains email×")
    expect(page.get_by_test_id("result-count")).not_to_have_text(f"{TASK_ROWS} rows")
    count = result_count(page)
    assert 0 < count < TASK_ROWS
