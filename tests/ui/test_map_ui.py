"""The data map in the browser (issue 14 item 5): points drawn on a canvas, coloured with a
legend, hover shows the row's text, a lasso or a legend entry filters the rows view, points the
filters exclude are dimmed, and "Compute map" when there is none.

Most tests answer the projection routes with `page.route` (a map laid out so each category sits
in its own region, so the test can find them by colour as a person does); the rows, counts and
filters are the real server's. The last test uses the real projection routes end to end.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, Route, expect

from gristmill.server import ServerHandle
from tests.fixtures import CLASSIFICATION_TASKS, TASK_ROWS, TASKS, read_jsonl
from tests.ui.conftest import load_jsonl, result_count, screenshot, wait_for_count

API = "/api/v1/datasets/local/seed"
EMBEDDING = "fake_words"
TASK_LIST = list(read_jsonl(TASKS))
# rowid i is line i of the fixture.
IS_CLASSIFICATION = [bool(task["is_classification"]) for task in TASK_LIST]
TRUE_ROWIDS = [i for i, flag in enumerate(IS_CLASSIFICATION) if flag]


def blob_layout() -> tuple[list[float], list[float]]:
    """Classification tasks in a blob on the left, the others on the right, well apart."""
    rng = random.Random(7)
    xs: list[float] = []
    ys: list[float] = []
    for flag in IS_CLASSIFICATION:
        cx, cy, spread = (0.2, 0.55, 0.05) if flag else (0.72, 0.45, 0.1)
        x = rng.gauss(cx, spread)
        xs.append(min(0.33, x) if flag else max(0.5, min(0.98, x)))
        ys.append(min(0.95, max(0.05, rng.gauss(cy, spread))))
    return xs, ys


def passes(rowid: int, filters: list[dict[str, Any]]) -> bool:
    """The mock's filter semantics: just the filters these tests make."""
    for f in filters:
        if f["path"] == "__rowid__" and f["op"] == "in":
            if rowid not in f["value"]:
                return False
        elif f["path"] == "is_classification" and f["op"] == "equals":
            if IS_CLASSIFICATION[rowid] != f["value"]:
                return False
        else:
            raise AssertionError(f"the mock does not know the filter {f}")
    return True


class FakeProjection:
    """Answers GET /projections and POST /projection (and /compute_projection) for local/seed."""

    def __init__(self, page: Page, server: ServerHandle, *, exists: bool = True) -> None:
        self.exists = exists
        self.requests: list[dict[str, Any]] = []
        self.computed: list[dict[str, Any]] = []
        self.xs, self.ys = blob_layout()
        base = f"{server.url}{API}"
        page.route(f"{base}/projections", self._list)
        page.route(f"{base}/projection", self._projection)
        page.route(f"{base}/compute_projection", self._compute)

    def _list(self, route: Route) -> None:
        listed = [
            {
                "path": "instruction",
                "embedding": EMBEDDING,
                "column": "instruction__projection",
                "num_points": TASK_ROWS,
                "sampled": False,
            }
        ]
        route.fulfill(json={"projections": listed if self.exists else []})

    def _compute(self, route: Route) -> None:
        self.computed.append(route.request.post_data_json or {})
        self.exists = True
        route.fulfill(
            status=202, json={"job_id": None, "kind": "projection", "dataset": "local/seed"}
        )

    def _projection(self, route: Route) -> None:
        body: dict[str, Any] = route.request.post_data_json or {}
        self.requests.append(body)
        rowids = list(range(TASK_ROWS))
        color = None
        if body.get("color_by") == "is_classification":
            color = {
                "field": "is_classification",
                "kind": "categorical",
                "categories": ["false", "true"],
                "values": [int(flag) for flag in IS_CLASSIFICATION],
            }
        filters = body.get("filters") or []
        included = [passes(r, filters) for r in rowids] if filters else None
        route.fulfill(
            json={
                "path": "instruction",
                "embedding": EMBEDDING,
                "num_points": TASK_ROWS,
                "sampled": False,
                "rowids": rowids,
                "x": self.xs,
                "y": self.ys,
                "color": color,
                "included": included,
            }
        )


# Pixels of the map canvas matching each colour: how many, their bounding box and one of them.
# The canvas is copied into a 2-D canvas (the WebGL one keeps its last frame for this).
PIXELS_JS = """([colours, tolerance]) => {
    const source = document.querySelector('.map-canvas canvas');
    const copy = document.createElement('canvas');
    copy.width = source.width; copy.height = source.height;
    const ctx = copy.getContext('2d');
    ctx.drawImage(source, 0, 0);
    const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
    const scale = source.width / source.getBoundingClientRect().width;
    return colours.map(([r, g, b]) => {
        let count = 0, minX = 1e9, minY = 1e9, maxX = -1, maxY = -1, sx = 0, sy = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (Math.abs(data[i] - r) <= tolerance && Math.abs(data[i + 1] - g) <= tolerance
                && Math.abs(data[i + 2] - b) <= tolerance) {
                const p = i / 4, x = p % copy.width, y = Math.floor(p / copy.width);
                count++; minX = Math.min(minX, x); maxX = Math.max(maxX, x);
                minY = Math.min(minY, y); maxY = Math.max(maxY, y); sx += x; sy += y;
            }
        }
        return {count, box: [minX / scale, minY / scale, maxX / scale, maxY / scale],
                centre: count ? [sx / count / scale, sy / count / scale] : null};
    });
}"""


def swatch_rgb(page: Page, name: str) -> tuple[int, int, int]:
    """The colour the legend shows for a category."""
    entry = page.locator(".map-legend-entry", has_text=name)
    css = entry.locator(".map-swatch").evaluate("el => getComputedStyle(el).backgroundColor")
    r, g, b = (int(part) for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return r, g, b


def pixels(page: Page, *colours: tuple[int, int, int], tolerance: int = 2) -> list[Any]:
    result: list[Any] = page.evaluate(PIXELS_JS, [list(colours), tolerance])
    return result


def wait_for_pixels(
    page: Page, rgb: tuple[int, int, int], condition: str, value: Any = None
) -> None:
    """Wait until `condition` (JS over `p`, the colour's pixels, and `v`) holds."""
    page.wait_for_function(
        f"([js, c, v]) => {{ const p = eval(js)([[c], 2])[0]; return {condition}; }}",
        arg=[PIXELS_JS, list(rgb), value],
    )


def canvas_origin(page: Page) -> tuple[float, float]:
    box = page.locator(".map-canvas canvas").bounding_box()
    assert box is not None
    return box["x"], box["y"]


def hover_point(page: Page, rgb: tuple[int, int, int]) -> None:
    """Rest the pointer on a point drawn in this colour."""
    found = page.evaluate(
        """([rgb]) => {
            const source = document.querySelector('.map-canvas canvas');
            const copy = document.createElement('canvas');
            copy.width = source.width; copy.height = source.height;
            const ctx = copy.getContext('2d'); ctx.drawImage(source, 0, 0);
            const d = ctx.getImageData(0, 0, copy.width, copy.height).data;
            for (let i = 0; i < d.length; i += 4)
                if (d[i] === rgb[0] && d[i + 1] === rgb[1] && d[i + 2] === rgb[2]) {
                    const p = i / 4; return [p % copy.width + 1, Math.floor(p / copy.width) + 1];
                }
            return null;
        }""",
        [list(rgb)],
    )
    assert found is not None, f"no point drawn in {rgb}"
    ox, oy = canvas_origin(page)
    page.mouse.move(ox + found[0] - 40, oy + found[1])
    page.mouse.move(ox + found[0], oy + found[1], steps=4)


def draw_lasso(page: Page, box: list[float], margin: float = 12, *, shift: bool = False) -> None:
    """Drag a closed loop around a box (canvas coordinates): with the Lasso tool, or holding
    Shift in the default (pan) mode."""
    if not shift:
        page.get_by_role("button", name="Lasso").click()
    ox, oy = canvas_origin(page)
    x0, y0, x1, y1 = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
    if shift:
        page.keyboard.down("Shift")
    # From the bottom-left corner: the top-left one is under the map's tools.
    page.mouse.move(ox + x0, oy + y1)
    page.mouse.down()
    for x, y in [(x1, y1), (x1, y0), (x0, y0), (x0, y1 - 1)]:
        page.mouse.move(ox + x, oy + y, steps=8)
    page.mouse.up()
    if shift:
        page.keyboard.up("Shift")


def open_map(page: Page, server: ServerHandle, query: str = "") -> None:
    page.goto(f"{server.url}/datasets/local/seed{query}")
    page.get_by_role("tab", name="Map").click()


def wait_for_points(page: Page, count: int) -> None:
    expect(page.locator(".map-canvas canvas")).to_have_attribute("data-points", str(count))


@pytest.fixture
def seed() -> Iterator[None]:
    load_jsonl(TASKS, "seed")
    yield


def test_map_draws_colours_hovers_and_lasso_filters_the_rows(
    page: Page, server: ServerHandle, seed: None
) -> None:
    fake = FakeProjection(page, server)
    open_map(page, server)
    wait_for_points(page, TASK_ROWS)
    assert "map=" in page.url  # the link reproduces the map view

    # Coloured by a field: the legend lists its values with their counts, the canvas shows them.
    page.get_by_label("Colour by").select_option("is_classification")
    legend = page.get_by_label("Legend: is_classification")
    expect(legend.locator(".map-legend-entry", has_text="true")).to_contain_text(
        str(CLASSIFICATION_TASKS)
    )
    expect(legend.locator(".map-legend-entry", has_text="false")).to_contain_text(
        str(TASK_ROWS - CLASSIFICATION_TASKS)
    )
    assert fake.requests[-1]["color_by"] == "is_classification"
    true_rgb, false_rgb = swatch_rgb(page, "true"), swatch_rgb(page, "false")
    wait_for_pixels(page, true_rgb, "p.count > 0")
    trues, falses = pixels(page, true_rgb, false_rgb)
    assert trues["count"] > 0 and falses["count"] > 0
    # The classification tasks were laid out on the left, the others on the right.
    assert trues["box"][2] < falses["box"][0]
    renderer = page.locator(".map-canvas canvas").get_attribute("data-renderer")
    print(f"\nmap renderer in headless Chromium: {renderer}")

    # Hovering a point shows the text of its row (fetched from the server by its rowid).
    hover_point(page, true_rgb)
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_contain_text("is_classification: true")
    text = page.get_by_test_id("map-tooltip-text")
    expect(text).not_to_contain_text("loading")
    shown = text.inner_text().rstrip("…")[:60]
    assert any(TASK_LIST[r]["instruction"].startswith(shown) for r in TRUE_ROWIDS), (
        f"the tooltip shows {shown!r}, not a classification task's instruction"
    )

    # A lasso around the left blob filters the rows view to exactly its rows: a removable pill.
    draw_lasso(page, trues["box"])
    pill = page.get_by_test_id("filter-pill")
    expect(pill).to_have_count(1)
    expect(pill).to_contain_text("__rowid__ in")
    # The pill names a few of the ids and how many there are, not all of them.
    expect(pill).to_contain_text(f"({CLASSIFICATION_TASKS} values)")
    wait_for_count(page, CLASSIFICATION_TASKS)
    filters = json.loads(parse_qs(urlparse(page.url).query)["filters"][0])
    assert filters == [{"path": "__rowid__", "op": "in", "value": TRUE_ROWIDS}]

    # The points the filter excludes are dimmed (faded towards the background), the rest stay.
    wait_for_pixels(page, false_rgb, "p.count === 0")
    # (A faded point may cover a pixel's edge: the count stays within a few pixels.)
    assert abs(pixels(page, true_rgb)[0]["count"] - trues["count"]) <= 0.02 * trues["count"]

    # The rows view shows only the lassoed rows.
    page.get_by_role("tab", name="Rows").click()
    cards = page.locator(".row-card[data-rowid]")
    expect(cards.first).to_be_visible()
    shown_ids = {int(card.get_attribute("data-rowid") or -1) for card in cards.all()}
    assert shown_ids and shown_ids <= set(TRUE_ROWIDS)
    assert result_count(page) == CLASSIFICATION_TASKS

    # Removing the pill brings every row back.
    pill.get_by_role("button").click()
    wait_for_count(page, TASK_ROWS)


def test_a_legend_entry_filters_by_its_value(page: Page, server: ServerHandle, seed: None) -> None:
    FakeProjection(page, server)
    open_map(page, server, "?color=is_classification")
    wait_for_points(page, TASK_ROWS)
    legend = page.get_by_label("Legend: is_classification")
    entry = legend.locator(".map-legend-entry", has_text="true")
    entry.click()
    expect(page.get_by_test_id("filter-pill")).to_have_text("is_classification = true×")
    wait_for_count(page, CLASSIFICATION_TASKS)
    expect(entry).to_have_attribute("aria-pressed", "true")
    # A second click clears it.
    entry.click()
    expect(page.get_by_test_id("filter-pill")).to_have_count(0)
    wait_for_count(page, TASK_ROWS)


def test_compute_map_when_there_is_none(page: Page, server: ServerHandle) -> None:
    from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

    register_embedding(EMBEDDING, FakeEmbedding())
    try:
        load_jsonl(TASKS, "seed").compute_embedding(EMBEDDING, "instruction", show_progress=False)
        fake = FakeProjection(page, server, exists=False)
        open_map(page, server)
        empty = page.get_by_test_id("map-empty")
        expect(empty).to_contain_text("No map yet")
        empty.get_by_role("button", name="Compute map of instruction").click()
        wait_for_points(page, TASK_ROWS)
        assert fake.computed == [{"path": "instruction", "embedding": EMBEDDING}]
    finally:
        unregister_embedding(EMBEDDING)


def test_without_an_embedding_the_map_offers_to_compute_one(
    page: Page, server: ServerHandle, seed: None
) -> None:
    FakeProjection(page, server, exists=False)
    open_map(page, server)
    empty = page.get_by_test_id("map-empty")
    expect(empty).to_contain_text("needs an embedding")
    empty.get_by_role("button", name="Compute an embedding…").click()
    expect(page.get_by_role("dialog", name="Enrich this dataset")).to_be_visible()


@pytest.mark.parametrize("renderer", ["webgl", "canvas2d"])
def test_each_renderer_draws_and_lassoes(
    page: Page, server: ServerHandle, seed: None, renderer: str
) -> None:
    """Headless Chromium declines software WebGL by default; both paths are forced here."""
    page.add_init_script(f"localStorage.setItem('gristmill.mapRenderer', '{renderer}')")
    FakeProjection(page, server)
    open_map(page, server, "?color=is_classification")
    wait_for_points(page, TASK_ROWS)
    expect(page.locator(".map-canvas canvas")).to_have_attribute("data-renderer", renderer)
    true_rgb, false_rgb = swatch_rgb(page, "true"), swatch_rgb(page, "false")
    trues, falses = pixels(page, true_rgb, false_rgb)
    assert trues["count"] > 0 and falses["count"] > 0
    assert trues["box"][2] < falses["box"][0]
    draw_lasso(page, trues["box"], shift=True)
    wait_for_count(page, CLASSIFICATION_TASKS)
    wait_for_pixels(page, false_rgb, "p.count === 0")


def test_pan_and_zoom_move_the_points(page: Page, server: ServerHandle, seed: None) -> None:
    FakeProjection(page, server)
    open_map(page, server, "?color=is_classification")
    wait_for_points(page, TASK_ROWS)
    true_rgb = swatch_rgb(page, "true")
    before = pixels(page, true_rgb)[0]
    ox, oy = canvas_origin(page)

    # A drag moves the points with the pointer.
    page.mouse.move(ox + 400, oy + 300)
    page.mouse.down()
    page.mouse.move(ox + 500, oy + 340, steps=6)
    page.mouse.up()
    wait_for_pixels(page, true_rgb, "Math.abs(p.box[0] - v) > 50", before["box"][0])
    moved = pixels(page, true_rgb)[0]
    assert math.isclose(moved["box"][0], before["box"][0] + 100, abs_tol=3)
    assert math.isclose(moved["box"][1], before["box"][1] + 40, abs_tol=3)

    # The wheel zooms in around the pointer: the blob grows.
    page.mouse.move(ox + moved["centre"][0], oy + moved["centre"][1])
    page.mouse.wheel(0, -400)
    width = moved["box"][2] - moved["box"][0]
    wait_for_pixels(page, true_rgb, "p.box[2] - p.box[0] > 1.5 * v", width)
    # "Fit" shows the whole map again.
    page.get_by_role("button", name="Fit").click()
    wait_for_pixels(page, true_rgb, "Math.abs(p.box[0] - v) < 2", before["box"][0])


@pytest.mark.slow  # UMAP of 175 rows on the real server: ~10 s on a busy two-core machine
def test_end_to_end_compute_map_then_lasso_filters_the_rows(
    page: Page, server: ServerHandle
) -> None:
    """The real projection routes: compute the map as a job, see it drawn, lasso some points,
    and the rows view shows only those rows."""
    from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

    register_embedding(EMBEDDING, FakeEmbedding())
    try:
        load_jsonl(TASKS, "seed").compute_embedding(EMBEDDING, "instruction", show_progress=False)
        open_map(page, server)
        page.get_by_test_id("map-empty").get_by_role(
            "button", name="Compute map of instruction"
        ).click()
        job = page.get_by_role("region", name="Jobs").locator(".job", has_text="projection")
        expect(job).to_have_attribute("data-status", "completed", timeout=120_000)
        wait_for_points(page, TASK_ROWS)

        page.get_by_label("Colour by").select_option("is_classification")
        legend = page.get_by_label("Legend: is_classification")
        expect(legend.locator(".map-legend-entry", has_text="true")).to_contain_text(
            str(CLASSIFICATION_TASKS)
        )
        true_rgb, false_rgb = swatch_rgb(page, "true"), swatch_rgb(page, "false")
        wait_for_pixels(page, true_rgb, "p.count > 0")
        hover_point(page, true_rgb)
        expect(page.get_by_test_id("map-tooltip-text")).not_to_contain_text("loading")
        screenshot(page, "map")
        everything = pixels(page, true_rgb, false_rgb)
        box = [
            min(everything[0]["box"][0], everything[1]["box"][0]),
            min(everything[0]["box"][1], everything[1]["box"][1]),
            max(everything[0]["box"][2], everything[1]["box"][2]),
            max(everything[0]["box"][3], everything[1]["box"][3]),
        ]
        # The left half of the drawn points.
        draw_lasso(page, [box[0], box[1], (box[0] + box[2]) / 2, box[3]], margin=4)
        pill = page.get_by_test_id("filter-pill")
        expect(pill).to_contain_text("__rowid__ in")
        filters = json.loads(parse_qs(urlparse(page.url).query)["filters"][0])
        lassoed = filters[0]["value"]
        assert filters[0]["path"] == "__rowid__" and 0 < len(lassoed) < TASK_ROWS
        wait_for_count(page, len(lassoed))
        expect(page.get_by_test_id("map-status")).to_contain_text(
            f"{len(lassoed)} match the filters"
        )

        page.get_by_role("tab", name="Rows").click()
        cards = page.locator(".row-card[data-rowid]")
        expect(cards.first).to_be_visible()
        shown = {int(card.get_attribute("data-rowid") or -1) for card in cards.all()}
        assert shown and shown <= set(lassoed)
    finally:
        unregister_embedding(EMBEDDING)
