"""Compare two text fields with a word diff, stepping through rows with the arrow keys.

This is the seed's workflow: a map writes ``output_formatted = {answer, has_edit}``, a click on
the ``has_edit = true`` bar keeps the edited rows, and the diff shows what the map changed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.fixtures import CHATS, instruction_pairs, write_jsonl
from tests.ui.conftest import load_jsonl, result_count, screenshot, wait_for_count

_NO_SPACE_AFTER_COMMA = re.compile(r",(?=\S)")


def space_after_commas(row: dict[str, Any]) -> dict[str, Any]:
    """A formatter of the seed's kind: one space after every comma of the answer."""
    text = row["output"] or ""
    formatted = _NO_SPACE_AFTER_COMMA.sub(", ", text)
    return {"answer": formatted, "has_edit": formatted != text}


def row_param(page: Page) -> str:
    found = re.search(r"[?&]row=(\d+)", page.url)
    assert found, page.url
    return found.group(1)


def test_compare_a_field_with_its_formatted_version(
    page: Page, server: ServerHandle, tmp_path: Path
) -> None:
    ds = load_jsonl(write_jsonl(tmp_path / "pairs.jsonl", instruction_pairs()), "pairs")
    ds.map(space_after_commas, output_column="output_formatted", show_progress=False)
    edited = ds.count(filters=[("output_formatted.has_edit", "equals", True)])
    assert edited > 2

    page.goto(f"{server.url}/datasets/local/pairs")
    page.locator(".schema-row[data-path='output_formatted.has_edit']").click()
    page.locator(".histogram .bar-row[data-value='true']").click()
    wait_for_count(page, edited)

    page.get_by_role("button", name="Compare").click()
    form = page.get_by_role("form", name="Compare fields")
    form.get_by_label("Left field").select_option("output")
    form.get_by_label("Right field").select_option("output_formatted.answer")
    form.get_by_role("button", name="Show diff").click()
    assert "compare=output%7Coutput_formatted.answer" in page.url

    page.locator(".row-card[data-rowid]").first.click()
    diff = page.get_by_test_id("diff")
    expect(diff).to_be_visible()
    expect(diff.locator("ins").first).to_be_visible()
    first = row_param(page)
    first_diff = diff.inner_text()
    screenshot(page, "compare-diff")

    # Arrow keys step through the filtered rows; the diff follows.
    page.keyboard.press("ArrowRight")
    expect(page).not_to_have_url(re.compile(rf"row={first}(&|$)"))
    second = row_param(page)
    expect(diff).not_to_have_text(first_diff)
    expect(diff.locator("ins").first).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(rf"row={first}(&|$)"))
    assert second != first
    assert result_count(page) == edited


def test_chats_render_as_turns_and_diff_across_lists(page: Page, server: ServerHandle) -> None:
    load_jsonl(CHATS, "prefs")
    page.goto(
        f"{server.url}/datasets/local/prefs?compare=chosen.*.content%7Crejected.*.content&row=0"
    )
    detail = page.locator(".row-detail")
    expect(detail.locator("[data-field='chosen'] .turn.role-user").first).to_be_visible()
    expect(detail.locator("[data-field='chosen'] .turn.role-assistant").first).to_be_visible()
    expect(page.get_by_test_id("diff").locator("del, ins").first).to_be_visible()
    screenshot(page, "chat-compare")
