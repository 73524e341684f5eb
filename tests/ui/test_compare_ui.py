"""Compare two text fields with a diff, stepping through rows with the arrow keys.

This is the seed's workflow: a map writes ``output_formatted = {answer, has_edit}``, a click on
the ``has_edit = true`` bar keeps the edited rows, and the diff shows what the map changed. Code
blocks are compared line by line in monospace, prose word by word with its spaces kept.
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


def _code_rowid(ds: Any) -> int:
    """The first row whose answer holds a fenced Python block with a comma the map spaces out."""
    for row in ds.select_rows(["__rowid__", "output"]):
        code = (row["output"] or "").partition("```python")[2].partition("```")[0]
        if _NO_SPACE_AFTER_COMMA.search(code):
            return int(row["__rowid__"])
    raise AssertionError("no answer with a Python block to reformat")


def test_a_code_answer_diffs_line_by_line_in_monospace(
    page: Page, server: ServerHandle, tmp_path: Path
) -> None:
    ds = load_jsonl(write_jsonl(tmp_path / "pairs.jsonl", instruction_pairs()), "pairs")
    ds.map(space_after_commas, output_column="output_formatted", show_progress=False)
    rowid = _code_rowid(ds)
    page.goto(
        f"{server.url}/datasets/local/pairs?compare=output%7Coutput_formatted.answer&row={rowid}"
    )
    diff = page.get_by_test_id("diff")
    code = diff.get_by_test_id("code-diff")
    expect(code.locator("pre code")).to_be_visible()
    expect(code.locator(".code-lang")).to_have_text("python")
    # The fences are rendered, not shown; the prose around the block is a paragraph.
    expect(diff).not_to_contain_text("```")
    expect(diff.locator(".diff-body > p").first).to_be_visible()
    font = code.locator(".diff-line").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "mono" in font.lower(), font

    # A line diff: each changed line out, then its reformatted self in, whole.
    removed = code.locator("del.diff-line")
    added = code.locator("ins.diff-line")
    expect(removed.first).to_be_visible()
    old_lines = removed.all_inner_texts()
    new_lines = added.all_inner_texts()
    assert len(old_lines) == len(new_lines) > 0
    assert [_NO_SPACE_AFTER_COMMA.sub(", ", line) for line in old_lines] == new_lines
    code.scroll_into_view_if_needed()
    screenshot(page, "compare-diff")
    # Unchanged lines: a few around each change, the rest folded until asked for.
    shown = code.locator("span.diff-line").count()
    assert shown > 0
    fold = code.get_by_role("button", name=re.compile(r"unchanged lines"))
    hidden = int(re.findall(r"\d+", fold.first.inner_text())[0])
    fold.first.click()
    expect(code.locator("span.diff-line")).to_have_count(shown + hidden)
    # Inside a changed line, the inserted space is what is marked.
    expect(added.first.locator("mark.diff-word").first).to_have_text(" ")
    expect(diff.locator(".diff-stats")).to_contain_text("whitespace only")


def test_prose_diff_keeps_deleted_and_inserted_words_apart(
    page: Page, server: ServerHandle, tmp_path: Path
) -> None:
    rows = [
        {
            "draft": "Yesterday I wrote a short poem about the sea.\n\nIt  rained.",
            "final": "Yesterday I won two prizes for the sea.\n\nIt  rained.",
        }
    ]
    load_jsonl(write_jsonl(tmp_path / "drafts.jsonl", rows), "drafts")
    page.goto(f"{server.url}/datasets/local/drafts?compare=draft%7Cfinal&row=0")
    body = page.get_by_test_id("diff").locator(".diff-body")
    # One replacement, not words alternating around the spaces the two sides share.
    expect(body.locator("del")).to_have_text(["wrote a short poem about"])
    expect(body.locator("ins")).to_have_text(["won two prizes for"])
    text = body.evaluate("e => e.textContent")
    assert text == (
        "Yesterday I wrote a short poem about won two prizes for the sea.\n\nIt  rained."
    ), text
    expect(page.get_by_test_id("diff").locator(".diff-stats")).to_contain_text("−5 +4 words")


def test_markdown_renders_on_both_sides_of_a_diff(
    page: Page, server: ServerHandle, tmp_path: Path
) -> None:
    rows = [
        {
            "before": "## Steps\n\n- Install **git**\n- Run `git init`\n- Commit",
            "after": "## Steps\n\n- Install **git**\n- Run `git init -b main`\n- Push",
        }
    ]
    load_jsonl(write_jsonl(tmp_path / "steps.jsonl", rows), "steps")
    page.goto(f"{server.url}/datasets/local/steps?compare=before%7Cafter&row=0")
    body = page.get_by_test_id("diff").locator(".diff-body")
    expect(body.locator("h4")).to_have_text("Steps")
    expect(body.locator("li")).to_have_count(3)
    expect(body.locator("li strong")).to_have_text("git")
    expect(body.locator("li").nth(1).locator("ins code")).to_have_text(" -b main")
    expect(body.locator("li").nth(2).locator("del")).to_have_text("Commit")
    expect(body.locator("li").nth(2).locator("ins")).to_have_text("Push")
    expect(body).not_to_contain_text("**")
    expect(body).not_to_contain_text("## ")


def test_unfenced_code_is_compared_as_code(
    page: Page, server: ServerHandle, tmp_path: Path
) -> None:
    # Coding datasets (Code Alpaca's answers) often hold bare code, with no fences to say so.
    before = (
        "function evens(list){\n"
        "    var out = [];\n"
        "    for(var i = 0; i < list.length; i++){\n"
        "        if(list[i] % 2 == 0) out.push(list[i]);\n"
        "    }\n"
        "    return out;\n"
        "}"
    )
    after = before.replace("% 2 == 0", "% 2 === 0")
    rows = [{"answer": before, "fixed": after}, {"answer": "A short note.", "fixed": "A note."}]
    load_jsonl(write_jsonl(tmp_path / "code.jsonl", rows), "bare")
    page.goto(f"{server.url}/datasets/local/bare?compare=answer%7Cfixed&row=0")
    code = page.get_by_test_id("diff").get_by_test_id("code-diff")
    expect(code.locator("del.diff-line")).to_have_text(
        ["        if(list[i] % 2 == 0) out.push(list[i]);"]
    )
    expect(code.locator("ins.diff-line")).to_have_text(
        ["        if(list[i] % 2 === 0) out.push(list[i]);"]
    )
    expect(code.locator("span.diff-line")).to_have_count(6)
    # Prose stays prose.
    page.goto(f"{server.url}/datasets/local/bare?compare=answer%7Cfixed&row=1")
    diff = page.get_by_test_id("diff")
    expect(diff.locator("del")).to_have_text(["short "])
    expect(diff.get_by_test_id("code-diff")).to_have_count(0)
