"""Experiments in the browser: an experiment of two fake models on 20 dialogue rows, its table
with confidence intervals, best and worst rows with word diffs, all rows, the dataset link."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.fixtures import DIALOGUES
from tests.ui.conftest import load_jsonl, screenshot

MODELS = [
    {"address": "fake", "label": "fake-a"},
    {"address": "fake", "label": "fake-terse", "system_prompt": "Be terse."},
]


# The deletions followed by an insertion with no space between them ("wroteI awon"): a readable
# diff has none.
JOINED_RUNS = """bodies => bodies.flatMap(body => [...body.querySelectorAll('del')]
    .filter(del => {
        let between = '';
        let next = del.nextSibling;
        while (next && !['INS', 'DEL'].includes(next.nodeName)) {
            between += next.textContent;
            next = next.nextSibling;
        }
        return next?.nodeName === 'INS' && !/\\s/.test(between);
    })
    .map(del => del.textContent))"""


def _run_experiment() -> None:
    from gristmill.evals import Experiment

    ds = load_jsonl(DIALOGUES, "dialogues")
    Experiment(
        ds, "dialogue", ["summary", "topic_summary"], models=MODELS, metrics=["chrf", "rouge"],
        max_samples=20, name="dialogues-fake",
    ).run(show_progress=False)  # fmt: skip


def test_an_experiment_page_shows_the_table_samples_and_diffs(
    page: Page, server: ServerHandle
) -> None:
    _run_experiment()
    page.goto(f"{server.url}/experiments")
    listed = page.get_by_role("table", name="Experiments")
    expect(listed).to_contain_text("dialogues-fake")
    expect(listed).to_contain_text("completed")
    listed.get_by_role("link", name="dialogues-fake").click()
    expect(page).to_have_url(f"{server.url}/experiments/dialogues-fake")

    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("row")).to_have_count(3)  # the header and two models
    expect(results).to_contain_text("95% bootstrap confidence interval")
    chrf = results.get_by_role("button", name="fake-a chrf", exact=True)
    expect(chrf).to_contain_text("[")  # mean [low, high]
    # One interval bar per model and score (5 sub-metrics) plus the usage columns.
    assert results.get_by_test_id("ci-bar").count() >= 2 * 5

    samples = page.get_by_role("region", name="Samples")
    best = samples.get_by_test_id("best-rows")
    worst = samples.get_by_test_id("worst-rows")
    expect(best.get_by_test_id("sample")).to_have_count(3)
    expect(worst.get_by_test_id("sample")).to_have_count(3)
    expect(best.get_by_test_id("diff").first).to_contain_text("reference 1")
    expect(best.locator(".diff-body ins").first).to_be_visible()  # the prediction's words
    # A deletion and the insertion replacing it never run together ("wroteI awon").
    diffs = samples.locator(".diff-body")
    expect(diffs.first).to_be_visible()
    assert diffs.evaluate_all(JOINED_RUNS) == []
    samples.scroll_into_view_if_needed()
    screenshot(page, "experiment-diff")

    # Clicking another cell shows that model's rows by that metric.
    results.get_by_role("button", name="fake-terse rougeL", exact=True).click()
    expect(best.locator(".bw-head")).to_contain_text("Best by rougeL")
    expect(samples.get_by_label("Model")).to_have_value("fake-terse")
    page.get_by_role("region", name="Compare models").scroll_into_view_if_needed()
    expect(page.get_by_role("region", name="Compare models")).to_contain_text("chrf")
    results.get_by_role("button", name="fake-a chrf", exact=True).click()
    expect(best.locator(".bw-head")).to_contain_text("Best by chrf")
    screenshot(page, "experiments")

    samples.get_by_role("tab", name="All rows").click()
    rows = samples.get_by_test_id("experiment-rows")
    expect(rows.get_by_test_id("sample")).to_have_count(10)
    expect(samples).to_contain_text("rows 1–10 of 20")
    samples.get_by_role("button", name="Next →").click()
    expect(samples).to_contain_text("rows 11–20 of 20")
    expect(rows.get_by_test_id("sample").first).to_contain_text("row 10")

    # The dataset view, filtered to the evaluated rows and sorted by the score column.
    samples.get_by_test_id("open-in-dataset").click()
    column = "dialogue__pred__fake-a__chrf.chrf"
    query = urlencode(
        {
            "filters": json.dumps([{"path": column, "op": "exists"}], separators=(",", ":")),
            "sort": column,
            "compare": "summary|dialogue__pred__fake-a.text",
        }
    )
    expect(page).to_have_url(f"{server.url}/datasets/local/dialogues?{query}")
    expect(page.get_by_test_id("result-count")).to_contain_text("20")


def test_start_an_experiment_from_the_form(
    page: Page, server: ServerHandle, project_dir: Path
) -> None:
    load_jsonl(DIALOGUES, "dialogues")
    # The form offers only the models the server names; the deterministic stand-in is one.
    (project_dir / "gristmill.yml").write_text(
        "models:\n  stand-in: {provider: fake}\n", encoding="utf-8"
    )
    page.goto(f"{server.url}/experiments")
    expect(page.get_by_text("No experiments yet")).to_be_visible()
    form = page.get_by_role("form", name="New experiment")
    form.get_by_label("Input column").select_option("dialogue")
    references = form.get_by_role("group", name="Reference columns")
    references.get_by_label("summary", exact=True).check()
    references.get_by_label("topic_summary").check()
    # None chosen would mean the configured LLM; the deterministic stand-in keeps the test fast.
    models = form.get_by_role("group", name="Models")
    expect(models.get_by_label("stand-in")).not_to_be_checked()
    models.get_by_label("stand-in").check()
    form.get_by_label("Metrics").fill("chrf")
    form.get_by_label("Max samples").fill("5")
    form.get_by_label("Experiment name").fill("from-the-form")
    screenshot(page, "experiments-new")
    form.get_by_role("button", name="Run experiment").click()
    expect(page).to_have_url(f"{server.url}/experiments/from-the-form")
    # The page follows the running experiment until its table is complete.
    expect(page.locator(".exp-status")).to_have_text("completed", timeout=60_000)
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("button", name="stand-in chrf", exact=True)).to_contain_text("[")
    expect(page.get_by_test_id("best-rows").get_by_test_id("sample")).to_have_count(3)

    # A model the server does not allow is refused with the API's message, and no experiment
    # is made.
    page.goto(f"{server.url}/experiments")
    expect(form.get_by_label("Input column")).to_have_value("query")
    form.get_by_label("Other model").fill("not-offered")
    form.get_by_role("button", name="Run experiment").click()
    expect(page.locator(".toast.error")).to_contain_text("not-offered")
    expect(page.get_by_role("table", name="Experiments").get_by_role("row")).to_have_count(2)


LONG_MODELS = [
    {"address": "fake", "label": f"provider-{i}/an-instruction-tuned-model-with-a-long-name-{i}"}
    for i in range(4)
]


def test_a_wide_results_table_scrolls_inside_its_card(page: Page, server: ServerHandle) -> None:
    from gristmill.evals import Experiment

    ds = load_jsonl(DIALOGUES, "dialogues")
    metrics = ["chrf", "rouge", "bleu", "token_f1", "exact_match", "answer_length"]
    Experiment(
        ds, "dialogue", ["summary"], models=LONG_MODELS, metrics=metrics, max_samples=4,
        name="wide",
    ).run(show_progress=False)  # fmt: skip
    page.goto(f"{server.url}/experiments/wide")
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("row")).to_have_count(1 + len(LONG_MODELS))
    wrap = results.locator(".exp-table-wrap")
    # The table is wider than the card, so it scrolls inside the card ...
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    # ... and neither the document nor the page around the card scrolls sideways.
    width = page.evaluate("() => window.innerWidth")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= width
    page_box = page.locator(".experiment-page").evaluate(
        "e => ({scroll: e.scrollWidth, client: e.clientWidth})"
    )
    assert page_box["scroll"] <= page_box["client"], page_box
    card = results.bounding_box()
    main = page.locator("main").bounding_box()
    assert card and main and card["x"] + card["width"] <= main["x"] + main["width"]
    # A long model name wraps instead of pushing the scores out of the card ...
    name = results.get_by_role("rowheader").first
    expect(name).to_contain_text(LONG_MODELS[0]["label"])
    assert name.evaluate("e => e.getBoundingClientRect().width") < 300
    # ... and stays in view while the scores scroll under it.
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    box = wrap.bounding_box()
    after = name.bounding_box()
    assert box and after and after["x"] >= box["x"] - 1, (box, after)
