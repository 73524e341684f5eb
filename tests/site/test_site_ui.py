"""The written site in headless Chromium: drill down the tree, the map, a conversation, the URL,
and the password prompt (the right password opens it; a wrong one shows an error and no data)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from gristmill.site import SiteServer, start_site_server, write_site
from tests.site.synthetic import MARKER, conversation_text, node_name, synthetic_site
from tests.ui.conftest import TIMEOUT_MS, VIEWPORT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "open sesame"
N = 200


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # A refused style or script is silent in the page but logged: it is a bug here too.
    opened.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield opened
    context.close()
    assert not errors, f"the page raised: {errors}"


def _serve(tmp_path: Path, password: str | None = None) -> Iterator[SiteServer]:
    write_site(synthetic_site(N), tmp_path / "site", password=password, max_file_bytes=4096)
    with start_site_server(tmp_path / "site", port=0) as handle:
        yield handle


@pytest.fixture
def plain_site(tmp_path: Path) -> Iterator[SiteServer]:
    yield from _serve(tmp_path)


@pytest.fixture
def encrypted_site(tmp_path: Path) -> Iterator[SiteServer]:
    yield from _serve(tmp_path, PASSWORD)


def node_button(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator("button.node", has_text=name)


def test_drill_down_map_and_conversation(page: Page, plain_site: SiteServer) -> None:
    from playwright.sync_api import expect

    page.goto(plain_site.url)
    expect(page.locator("#title")).to_have_text("Synthetic insights")
    top = node_name("cooking", 2, 0)
    middle = node_name("cooking", 1, 1)
    base = node_name("cooking", 0, 2)
    # The top level only, biggest first, with counts; the map draws every conversation.
    expect(page.locator("#tree > ul > li")).to_have_count(4)
    expect(node_button(page, top)).to_contain_text("50")
    expect(node_button(page, middle)).to_have_count(0)
    expect(page.locator("#map")).to_have_attribute("data-points", str(N))
    assert _coloured_pixels(page) > 100

    node_button(page, top).click()
    expect(node_button(page, middle)).to_be_visible()
    expect(page.locator("#detail h2")).to_have_text(top)
    expect(page.locator("#detail .summary")).to_contain_text(f"{MARKER}summary of {top}")
    expect(page.locator("#map")).to_have_attribute("data-highlighted", "50")

    node_button(page, middle).click()
    expect(node_button(page, base)).to_be_visible()
    node_button(page, base).click()
    size = int(node_button(page, base).locator(".count").inner_text())
    expect(page.locator("#map")).to_have_attribute("data-highlighted", str(size))
    expect(page.get_by_test_id("conversation-list").locator("li")).to_have_count(size)
    # Numeric facets as histograms, over the selected node's conversations.
    bars = page.get_by_test_id("histogram-Concerning").locator(".bar")
    expect(bars).to_have_count(5)
    heights = bars.locator(".fill").evaluate_all("(fills) => fills.map((f) => f.offsetHeight)")
    assert max(heights) > 10, heights  # drawn, under the page's content security policy

    first = page.get_by_test_id("conversation-list").locator("button").first
    index = int(first.get_attribute("data-conv") or "-1")
    first.click()
    panel = page.locator("#conversation")
    expect(panel.locator(".turn.role-user .content")).to_have_text(conversation_text(index, "user"))
    expect(panel.locator(".turn")).to_have_count(2)

    # The view is in the URL: a reload (or a shared link) shows the same thing.
    assert re.search(r"node=t0m1b0&conv=\d+", page.url), page.url
    page.reload()
    expect(page.locator("#conversation .turn.role-user .content")).to_have_text(
        conversation_text(index, "user")
    )
    expect(page.locator("#detail h2")).to_have_text(base)


def _coloured_pixels(page: Page) -> int:
    count: int = page.evaluate(
        """() => {
            const canvas = document.getElementById('map');
            const { width, height } = canvas;
            const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
            let n = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) n++;
            return n;
        }"""
    )
    return count


def test_clicking_the_map_selects_a_point_and_opens_it(page: Page, plain_site: SiteServer) -> None:
    from playwright.sync_api import expect

    page.goto(plain_site.url)
    expect(page.locator("#map")).to_have_attribute("data-points", str(N))
    box = page.locator("#map").bounding_box()
    assert box is not None
    # Where the canvas shows a point: its first painted pixel, in CSS pixels.
    x, y = page.evaluate(
        """() => {
            const canvas = document.getElementById('map');
            const { width, height } = canvas;
            const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
            const ratio = width / canvas.clientWidth;
            for (let i = 0; i < data.length; i += 4) {
                const pixel = i / 4;
                const [x, y] = [pixel % width, Math.floor(pixel / width)];
                if (data[i + 3] > 0) return [x / ratio, y / ratio];
            }
            return [-1, -1];
        }"""
    )
    assert x >= 0
    page.mouse.click(box["x"] + x + 1, box["y"] + y + 1)
    expect(page.locator("#conversation .turn")).to_have_count(2)
    expect(page.locator("#map")).not_to_have_attribute("data-highlighted", "0")


def test_the_right_password_opens_the_site(page: Page, encrypted_site: SiteServer) -> None:
    from playwright.sync_api import expect

    page.goto(encrypted_site.url)
    expect(page.locator("#password")).to_be_visible()
    expect(page.locator("#site")).to_be_hidden()
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Open").click()
    expect(page.locator("#tree > ul > li")).to_have_count(4)
    expect(page.locator("#map")).to_have_attribute("data-points", str(N))
    node_button(page, node_name("travel", 2, 0)).click()
    page.get_by_test_id("conversation-list").locator("button").first.click()
    expect(page.locator("#conversation .turn")).to_have_count(2)
    expect(page.locator("#unlock")).to_be_hidden()


def test_a_wrong_password_shows_an_error_and_no_data(
    page: Page, encrypted_site: SiteServer
) -> None:
    from playwright.sync_api import expect

    page.goto(encrypted_site.url)
    page.locator("#password").fill("not the password")
    page.get_by_role("button", name="Open").click()
    expect(page.locator("#unlock-error")).to_contain_text("Wrong password")
    expect(page.locator("#site")).to_be_hidden()
    expect(page.locator("button.node")).to_have_count(0)
    assert MARKER not in page.content()
    # Trying again with the right one still works.
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Open").click()
    expect(page.locator("#tree > ul > li")).to_have_count(4)
    expect(page.locator("#unlock-error")).to_be_hidden()
