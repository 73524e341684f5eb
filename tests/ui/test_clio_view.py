"""Conversation insights in the browser (issue 15, "In the app"): the Insights tab shows a
facet's hierarchy as a drill-down tree with counts, its map coloured by top-level cluster, the
selected cluster's conversations as chat turns, and the Concerning histogram; a node, a legend
entry, a point or a bar filters the rows. Without insights it computes them (LLM-free)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.fixtures import CHATS, read_jsonl, write_jsonl
from tests.ui.conftest import load_jsonl, screenshot, wait_for_count
from tests.ui.test_map_ui import canvas_origin, swatch_rgb, wait_for_pixels

EMBEDDING = "clio_ui_words"
CHAT_ROWS = 80  # both sides of the 40 fixture chats: enough for a two-level hierarchy


@pytest.fixture
def fake_embedding() -> Iterator[None]:
    from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

    register_embedding(EMBEDDING, FakeEmbedding())
    yield
    unregister_embedding(EMBEDDING)


@pytest.fixture
def chats_file(tmp_path: Path) -> Path:
    rows = [
        {"id": index, "side": side, "messages": line[side]}
        for side in ("chosen", "rejected")
        for index, line in enumerate(read_jsonl(CHATS))
    ]
    return write_jsonl(tmp_path / "chats.jsonl", rows)


@pytest.fixture
def insights(chats_file: Path, fake_embedding: None) -> Any:
    """The chats with insights computed LLM-free, and the Request facet as a view shows it."""
    from gristmill.clio import OpenClioConfig, private_view, read_clio

    ds = load_jsonl(chats_file, "chats")
    ds.clio(
        "messages", config=OpenClioConfig(verbose=False), embedding=EMBEDDING, show_progress=False
    )
    stored = read_clio(ds, "messages")
    request = stored.clusters["Request"]
    return stored, private_view(request.tree, request.base_ids, OpenClioConfig()).tree


def open_insights(page: Page, server: ServerHandle) -> None:
    page.goto(f"{server.url}/datasets/local/chats")
    page.get_by_role("tab", name="Insights").click()


def node_item(page: Page, name: str, size: int) -> Any:
    return page.get_by_role("treeitem", name=f"{name}, {size} conversations", exact=True)


def test_browse_the_tree_read_conversations_and_filter_the_rows(
    page: Page, server: ServerHandle, insights: Any
) -> None:
    stored, tree = insights
    open_insights(page, server)
    expect(page.get_by_test_id("clio-summary")).to_contain_text(f"{CHAT_ROWS} conversations")
    for root in tree.roots:  # the top-level clusters with their counts
        expect(node_item(page, root.name, root.size)).to_be_visible()
    parent = next(root for root in tree.roots if root.children)
    child = tree.nodes[parent.children[0]]
    expect(node_item(page, child.name, child.size)).to_have_count(0)
    page.get_by_role("button", name=f"Expand {parent.name}").click()
    expect(node_item(page, parent.name, parent.size)).to_have_attribute("aria-expanded", "true")
    expect(node_item(page, child.name, child.size)).to_be_visible()
    if child.summary:
        expect(node_item(page, child.name, child.size)).to_contain_text(child.summary[:40])

    node_item(page, child.name, child.size).get_by_role("button", name=child.name).click()
    expect(node_item(page, child.name, child.size)).to_have_attribute("aria-selected", "true")
    breadcrumb = page.get_by_role("navigation", name="Selected cluster")
    expect(breadcrumb).to_contain_text(f"{parent.name}›{child.name}")
    conversations = page.get_by_test_id("clio-conversation")
    expect(conversations).to_have_count(min(20, child.size))
    first = conversations.first
    expect(first.locator(".turn-role").first).to_have_text("user")
    expect(first.locator(".turn-role").nth(1)).to_have_text("assistant")
    expect(first.locator(".turn-body").first).not_to_be_empty()
    expect(page.locator(".map-canvas canvas")).to_have_attribute("data-points", str(CHAT_ROWS))
    screenshot(page, "clio")

    # The node's filter is the view's: the Rows tab shows exactly its conversations.
    expect(page.get_by_test_id("filter-pill")).to_contain_text("messages__clio.request_cluster")
    page.get_by_role("button", name="Show in Rows").click()
    expect(page.get_by_role("tab", name="Rows")).to_have_attribute("aria-selected", "true")
    wait_for_count(page, child.size)
    first_row = page.locator(".row-card[data-rowid]").first
    expect(first_row).to_be_visible()

    # Back in Insights, the selection is still there (it is the filter); a top-level cluster's
    # legend entry selects that cluster instead.
    page.get_by_role("tab", name="Insights").click()
    expect(node_item(page, child.name, child.size)).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name=f"Collapse {parent.name}").click()  # and it can be folded
    expect(node_item(page, child.name, child.size)).to_have_count(0)
    other_root = next(root for root in tree.roots if root.id != parent.id)
    legend = page.get_by_label("Legend: Top-level clusters")
    legend.locator(".map-legend-entry", has_text=other_root.name).click()
    expect(node_item(page, other_root.name, other_root.size)).to_have_attribute(
        "aria-selected", "true"
    )
    wait_for_count(page, other_root.size)
    expect(page.get_by_test_id("filter-pill")).to_have_count(1)  # it replaced the child

    # Clearing the selection, then a bar of the Concerning histogram filters by its value.
    breadcrumb.get_by_role("button", name=re.compile("^All request clusters")).click()
    wait_for_count(page, CHAT_ROWS)
    concerning = stored.values["Concerning"]
    histogram = page.get_by_label("Concerning histogram")
    for value in range(1, 6):
        count = sum(1 for v in concerning if v == value)
        bar = histogram.get_by_role("button", name=f"Concerning {value}: {count} conversations")
        expect(bar).to_be_visible()
    commonest = max(range(1, 6), key=concerning.count)
    histogram.get_by_role("button", name=re.compile(f"^Concerning {commonest}:")).click()
    wait_for_count(page, concerning.count(commonest))
    expect(page.get_by_test_id("filter-pill")).to_contain_text("messages__clio.concerning")


def test_clicking_a_point_selects_its_cluster(
    page: Page, server: ServerHandle, insights: Any
) -> None:
    _, tree = insights
    open_insights(page, server)
    expect(page.locator(".map-canvas canvas")).to_have_attribute("data-points", str(CHAT_ROWS))
    root = tree.roots[0]
    rgb = swatch_rgb(page, root.name)
    wait_for_pixels(page, rgb, "p.count > 0")
    found = page.evaluate(
        """([rgb]) => {
            const source = document.querySelector('.map-canvas canvas');
            const copy = document.createElement('canvas');
            copy.width = source.width; copy.height = source.height;
            const ctx = copy.getContext('2d'); ctx.drawImage(source, 0, 0);
            const d = ctx.getImageData(0, 0, copy.width, copy.height).data;
            const scale = source.width / source.getBoundingClientRect().width;
            // The pixel of this colour with the most of it around: the middle of a point.
            let best = null, most = -1;
            for (let i = 0; i < d.length; i += 4) {
                if (d[i] !== rgb[0] || d[i + 1] !== rgb[1] || d[i + 2] !== rgb[2]) continue;
                const p = i / 4, x = p % copy.width, y = Math.floor(p / copy.width);
                let around = 0;
                for (let dy = -3; dy <= 3; dy++) for (let dx = -3; dx <= 3; dx++) {
                    const j = ((y + dy) * copy.width + x + dx) * 4;
                    if (d[j] === rgb[0] && d[j + 1] === rgb[1] && d[j + 2] === rgb[2]) around++;
                }
                if (around > most) { most = around; best = [x / scale, y / scale]; }
            }
            return best;
        }""",
        [list(rgb)],
    )
    assert found is not None
    ox, oy = canvas_origin(page)
    page.mouse.click(ox + found[0], oy + found[1])
    selected = page.locator("[role=treeitem][aria-selected=true]")
    expect(selected).to_have_count(1)
    node_id = selected.get_attribute("data-node-id")
    assert node_id is not None
    node = tree.nodes[node_id]
    top = node
    while top.parent is not None:
        top = tree.nodes[top.parent]
    assert top.id == root.id  # a point of the root's colour belongs to that root
    wait_for_count(page, node.size)


def test_compute_insights_when_there_are_none(
    page: Page, server: ServerHandle, tmp_path: Path, fake_embedding: None
) -> None:
    rows = [{"id": i, "messages": line["chosen"]} for i, line in enumerate(read_jsonl(CHATS))]
    load_jsonl(write_jsonl(tmp_path / "few.jsonl", rows), "chats")
    open_insights(page, server)
    empty = page.get_by_test_id("clio-empty")
    expect(empty).to_contain_text("No conversation insights yet")
    expect(empty.get_by_label("Conversations field")).to_have_value("messages")
    empty.get_by_label("Embedding").select_option(EMBEDDING)
    empty.get_by_role("button", name="Compute insights (LLM-free)").click()
    expect(page.get_by_test_id("clio-tree")).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("clio-summary")).to_contain_text("40 conversations")
    expect(page.get_by_test_id("clio-summary")).to_contain_text("LLM-free")
    expect(page.get_by_role("treeitem").first).to_be_visible()


def test_a_lasso_on_the_insights_map_filters_the_rows_to_its_conversations(
    page: Page, server: ServerHandle, insights: Any
) -> None:
    from tests.ui.test_map_ui import draw_lasso

    open_insights(page, server)
    canvas = page.locator(".map-canvas canvas")
    expect(canvas).to_have_attribute("data-points", str(CHAT_ROWS))
    box = canvas.bounding_box()
    assert box is not None
    # Around the left half of the map: some conversations, not all.
    draw_lasso(page, [16, 48, box["width"] / 2, box["height"] - 16], margin=0)
    message = page.get_by_text(
        re.compile(r"Filtered the rows to the \d+ conversations? in the lasso")
    )
    expect(message).to_be_visible()
    inside = int(re.findall(r"\d+", message.inner_text())[0])
    assert 0 < inside < CHAT_ROWS
    page.get_by_role("tab", name="Rows").click()
    wait_for_count(page, inside)
