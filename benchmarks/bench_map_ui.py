"""The data map in headless Chromium with 100k points (issue 14 item 5): time to first paint and
frames per second while panning and zooming.

The projection routes are answered by Playwright (`page.route`) with 100k injected points, so
the numbers measure the browser side: JSON parsing, the renderer's upload and its frames. Two
layouts that nothing was tuned on, each measured with both renderers:

- ``blobs``: a mixture of 20 Gaussian clusters, coloured by a 20-value category;
- ``cloud``: one heavy-tailed (Student-t) cloud, coloured by a number, with half of the points
  excluded by a filter (so the dimmed-points path is drawn too).

For each (layout, renderer) the page is loaded ``--runs`` times (a fresh browser context each);
per load: navigation → first frame on screen and data arrival → first frame (the page's own
clock, ``performance.now()``), then frames per second from ``requestAnimationFrame`` timestamps
during a scripted pan (pointer events dispatched every frame, as a drag does), a scripted zoom
(wheel events every frame) and a pan driven by Playwright's mouse (real input events).

    .venv/bin/python benchmarks/bench_map_ui.py [--points 100000] [--runs 3] [--seconds 3]
        [--ui-build DIR]   # a bundle built by `vite build --outDir DIR` (default: the committed)

Writes ``benchmarks/results/map.md``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import gristmill as gm
from browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # a sibling: benchmarks/ is not a package

RESULTS = Path(__file__).resolve().parent / "results" / "map.md"
DATASET = "local/mapbench"

# Pan (pointer events) or zoom (wheel events) once per animation frame for `seconds`, recording
# the frame timestamps and how many frames the map drew meanwhile.
SCRIPTED_JS = """async ([kind, seconds]) => {
    const canvas = document.querySelector('.map-canvas canvas');
    const box = canvas.getBoundingClientRect();
    const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
    const drawnBefore = Number(canvas.dataset.frames || 0);
    const pointer = (type, x, y, buttons) => canvas.dispatchEvent(new PointerEvent(type, {
        clientX: x, clientY: y, bubbles: true, pointerId: 1, isPrimary: true,
        pointerType: 'mouse', button: 0, buttons}));
    if (kind === 'pan') pointer('pointerdown', cx, cy, 1);
    const stamps = [];
    await new Promise((resolve) => {
        let i = 0;
        const step = (t) => {
            stamps.push(t);
            i++;
            if (kind === 'pan') {
                pointer('pointermove', cx + 160 * Math.sin(i / 25), cy + 110 * Math.sin(i / 17), 1);
            } else {
                canvas.dispatchEvent(new WheelEvent('wheel', {clientX: cx + 120 * Math.sin(i / 30),
                    clientY: cy, deltaY: Math.floor(i / 45) % 2 ? 60 : -60, bubbles: true,
                    cancelable: true}));
            }
            if (t - stamps[0] < seconds * 1000) requestAnimationFrame(step);
            else resolve();
        };
        requestAnimationFrame(step);
    });
    if (kind === 'pan') pointer('pointerup', cx, cy, 0);
    return {stamps, drawn: Number(canvas.dataset.frames || 0) - drawnBefore};
}"""

RECORD_START_JS = """() => {
    const canvas = document.querySelector('.map-canvas canvas');
    window.__mapBench = {stamps: [], drawnBefore: Number(canvas.dataset.frames || 0), on: true};
    const step = (t) => { if (!window.__mapBench.on) return;
        window.__mapBench.stamps.push(t); requestAnimationFrame(step); };
    requestAnimationFrame(step);
}"""
RECORD_STOP_JS = """() => {
    const canvas = document.querySelector('.map-canvas canvas');
    window.__mapBench.on = false;
    return {stamps: window.__mapBench.stamps,
            drawn: Number(canvas.dataset.frames || 0) - window.__mapBench.drawnBefore};
}"""

WEBGL_INFO_JS = """() => {
    const gl = document.createElement('canvas').getContext('webgl');
    if (!gl) return 'no WebGL';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
}"""


def make_layout(name: str, points: int) -> dict[str, Any]:
    """The projection response for one layout (seeded)."""
    import numpy as np

    rng = np.random.default_rng(14)
    if name == "blobs":
        k = 20
        centres = rng.uniform(0.1, 0.9, size=(k, 2))
        spreads = rng.uniform(0.01, 0.06, size=k)
        which = rng.choice(k, size=points, p=rng.dirichlet(np.ones(k) * 2))
        xy = centres[which] + rng.normal(size=(points, 2)) * spreads[which, None]
        color = {
            "field": "category",
            "kind": "categorical",
            "categories": [f"topic {i}" for i in range(k)],
            "values": which.tolist(),
        }
        included = None
    else:
        xy = rng.standard_t(3, size=(points, 2))
        values = np.hypot(xy[:, 0], xy[:, 1])
        color = {"field": "score", "kind": "numeric", "categories": [], "values": values.tolist()}
        included = (rng.random(points) < 0.5).tolist()
    xy = (xy - xy.min(axis=0)) / (xy.max(axis=0) - xy.min(axis=0)).max()
    return {
        "path": "text",
        "embedding": "injected",
        "num_points": points,
        "sampled": False,
        "rowids": list(range(points)),
        "x": xy[:, 0].astype("float32").tolist(),
        "y": xy[:, 1].astype("float32").tolist(),
        "color": color,
        "included": included,
    }


def fps_of(stamps: list[float]) -> dict[str, float]:
    intervals = [b - a for a, b in itertools.pairwise(stamps)]
    if not intervals:
        return {"fps": 0.0, "p50_ms": 0.0, "p95_ms": 0.0}
    ordered = sorted(intervals)
    return {
        "fps": len(intervals) / ((stamps[-1] - stamps[0]) / 1000),
        "p50_ms": statistics.median(intervals),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
    }


def with_draws(run: dict[str, Any]) -> dict[str, Any]:
    """Frame rate, and how many of those frames redrew the map (a frame without a new view
    draws nothing; scripted input changes the view every frame)."""
    stamps = run["stamps"]
    seconds = (stamps[-1] - stamps[0]) / 1000 if len(stamps) > 1 else 1.0
    return {**fps_of(stamps), "drawn": run["drawn"], "draws_per_s": run["drawn"] / seconds}


def measure_load(
    browser: Any, url: str, body: str, renderer: str, seconds: float, points: int
) -> dict[str, Any]:
    from playwright.sync_api import Route

    context = browser.new_context(viewport=VIEWPORT)
    # The map's override (web/src/lib/mapRenderer.ts): both paths measured in the same browser.
    if renderer != "default":
        context.add_init_script(f"localStorage.setItem('gristmill.mapRenderer', '{renderer}')")
    page = context.new_page()
    base = f"{url}/api/v1/datasets/{DATASET}"
    listed = {
        "projections": [
            {
                "path": "text",
                "embedding": "injected",
                "column": "text__projection",
                "num_points": points,
                "sampled": False,
            }
        ]
    }

    def answer(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=body)

    page.route(f"{base}/projections", lambda route: route.fulfill(json=listed))
    page.route(f"{base}/projection", answer)
    page.goto(f"{url}/datasets/{DATASET}?map=&color=x")
    canvas = page.locator(".map-canvas canvas")
    canvas.and_(page.locator(f"[data-points='{points}']")).wait_for(timeout=120_000)
    status = page.get_by_test_id("map-status")
    status.and_(page.locator("[data-paint-ms]:not([data-paint-ms=''])")).wait_for()
    result: dict[str, Any] = {
        "renderer": canvas.get_attribute("data-renderer"),
        "navigation_to_paint_ms": float(canvas.get_attribute("data-painted-at") or "nan"),
        "data_to_paint_ms": float(status.get_attribute("data-paint-ms") or "nan"),
        "request_to_data_ms": float(status.get_attribute("data-fetch-ms") or "nan"),
    }
    page.wait_for_timeout(500)  # the first rows' requests settle before the frames are timed
    for kind in ("pan", "zoom"):
        run = page.evaluate(SCRIPTED_JS, [kind, seconds])
        result[kind] = with_draws(run)
    # Real input: Playwright's mouse drags back and forth while the page records its frames.
    box = canvas.bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(RECORD_START_JS)
    page.mouse.move(cx, cy)
    page.mouse.down()
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        page.mouse.move(cx + 150, cy + 60, steps=20)
        page.mouse.move(cx - 150, cy - 60, steps=20)
    page.mouse.up()
    run = page.evaluate(RECORD_STOP_JS)
    result["mouse_pan"] = with_draws(run)
    context.close()
    return result


def median_of(runs: list[dict[str, Any]], *keys: str) -> float:
    values = []
    for run in runs:
        value: Any = run
        for key in keys:
            value = value[key]
        values.append(float(value))
    return statistics.median(values)


def machine() -> dict[str, Any]:
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "chromium": chromium,
    }


def write_report(
    rows: list[tuple[str, str, list[dict[str, Any]]]],
    info: dict[str, Any],
    args: argparse.Namespace,
) -> None:
    lines = [
        "# The data map in headless Chromium (`benchmarks/bench_map_ui.py`)",
        "",
        f"{args.points:,} injected points (`page.route` on the projection API), viewport "
        f"{VIEWPORT['width']}×{VIEWPORT['height']}, Chromium flags of the UI tests "
        f"(`--disable-gpu`). {args.runs} page loads per row, medians shown; frames per second "
        f"from `requestAnimationFrame` timestamps over {args.seconds:g} s of each interaction.",
        "",
        f"- Machine: {info['cpus']} CPUs, {info['platform']}; {info['chromium']}",
        f"- WebGL in this browser: {info['webgl']}; the map's own choice here:"
        f" **{info['default']}** (it declines software WebGL; each row below forces one path)",
        f"- Load average (1 min) before / after: {info['load_before']:.2f} / "
        f"{info['load_after']:.2f} (the machine is shared by other engineers' jobs)",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| layout | renderer | navigation → first paint (ms) | data → first paint (ms) "
        "| request → data (ms) | pan fps (p95 frame ms; draws/s) | zoom fps (p95; draws/s) "
        "| mouse-drag fps (p95; draws/s) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for layout, renderer, runs in rows:
        cells = [
            layout,
            renderer
            if runs[0]["renderer"] == renderer
            else f"{renderer} (got {runs[0]['renderer']})",
            f"{median_of(runs, 'navigation_to_paint_ms'):.0f}",
            f"{median_of(runs, 'data_to_paint_ms'):.0f}",
            f"{median_of(runs, 'request_to_data_ms'):.0f}",
        ]
        for kind in ("pan", "zoom", "mouse_pan"):
            fps, p95 = median_of(runs, kind, "fps"), median_of(runs, kind, "p95_ms")
            cells.append(f"{fps:.1f} ({p95:.0f}; {median_of(runs, kind, 'draws_per_s'):.0f})")
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "What the columns mean:",
        "",
        "- *navigation → first paint*: `performance.now()` (zero at navigation) when the first "
        "frame holding the points is on screen (one animation frame after the draw call). It "
        "includes loading the app, the dataset's manifest and the first rows, which the page "
        "asks for at the same time.",
        "- *data → first paint*: from the parsed projection response to that frame: fitting, the "
        "colours, the grid for hovering, the upload and the first draw.",
        "- *request → data*: the projection request, answered in-process by Playwright, and "
        "parsing its JSON (here ~3-4 MB).",
        "- *pan* / *zoom*: a pointer-move (drag) or wheel event dispatched at every animation "
        "frame, so every frame has a new view to draw; *mouse-drag*: Playwright's mouse "
        "(real input events through the browser) dragging back and forth. *draws/s*: frames in "
        "which the map was redrawn (a frame with no new input draws nothing).",
        "",
        "Raw runs (JSON):",
        "",
        "```json",
        json.dumps(
            [{"layout": a, "renderer": b, "runs": c} for a, b, c in rows],
            indent=1,
            default=lambda v: round(v, 2) if isinstance(v, float) else v,
        ),
        "```",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--ui-build", type=Path, default=None)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    os.chdir(tempfile.mkdtemp(prefix="bench-map-"))
    source = Path("rows.jsonl")
    source.write_text(
        "".join(json.dumps({"text": f"row {i}", "x": i % 7}) + "\n" for i in range(50)),
        encoding="utf-8",
    )
    namespace, name = DATASET.split("/")
    gm.create_dataset(
        gm.DatasetConfig(
            namespace=namespace, name=name, source=gm.JSONSource(filepaths=[str(source)])
        ),
        show_progress=False,
    )
    if args.ui_build:
        from gristmill.server import _app, _runner

        # The server serves this bundle instead of the committed one (as tests/ui/conftest.py).
        static = args.ui_build.resolve()
        _runner.create_app = partial(_app.create_app, static_dir=static)  # type: ignore[attr-defined]
    bodies = {layout: json.dumps(make_layout(layout, args.points)) for layout in ("blobs", "cloud")}
    handle = gm.start_server(port=0)
    load_before = os.getloadavg()[0]
    rows: list[tuple[str, str, list[dict[str, Any]]]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            probe = browser.new_page()
            info = {**machine(), "webgl": probe.evaluate(WEBGL_INFO_JS)}
            probe.close()
            # What the map picks by itself in this browser (one load, not timed).
            info["default"] = measure_load(
                browser, handle.url, bodies["blobs"], "default", 0.2, args.points
            )["renderer"]
            for layout, body in bodies.items():
                for renderer in ("webgl", "canvas2d"):
                    runs = [
                        measure_load(browser, handle.url, body, renderer, args.seconds, args.points)
                        for _ in range(args.runs)
                    ]
                    rows.append((layout, renderer, runs))
                    paint = median_of(runs, "data_to_paint_ms")
                    fps = {k: median_of(runs, k, "fps") for k in ("pan", "zoom", "mouse_pan")}
                    print(
                        f"{layout:6} {renderer:8} paint {paint:.0f} ms after data, pan"
                        f" {fps['pan']:.1f} fps, zoom {fps['zoom']:.1f},"
                        f" mouse {fps['mouse_pan']:.1f}",
                        flush=True,
                    )
            browser.close()
    finally:
        handle.stop()
    info["load_before"] = load_before
    info["load_after"] = os.getloadavg()[0]
    write_report(rows, info, args)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
