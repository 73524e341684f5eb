"""The headless Chromium of the browser benchmarks: the same binary and flags as the browser
tests (tests/conftest.py) — no GPU, so WebGL runs in software if at all."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
