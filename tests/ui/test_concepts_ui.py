"""Concepts in the browser: create one, add and remove examples, train and see metrics."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.ui.conftest import screenshot

POSITIVE = [
    "Thank you so much for your help, I really appreciate it.",
    "Could you please send me the report when you have a moment?",
    "I would be grateful if you could take a look, thanks!",
    "Please accept my apologies for the delay, and thank you for waiting.",
]
NEGATIVE = [
    "Send me the report now.",
    "This is wrong, fix it.",
    "Whatever, I don't care.",
    "Stop wasting my time.",
]


def add_examples(page: Page, texts: list[str], button: str) -> None:
    page.get_by_label("New examples").fill("\n".join(texts))
    page.get_by_role("button", name=button).click()


def test_create_a_concept_and_edit_its_examples(page: Page, server: ServerHandle) -> None:
    page.goto(f"{server.url}/concepts")
    expect(page.locator(".concept-item").first).to_be_visible()  # the built-ins
    form = page.get_by_role("form", name="Create a concept")
    form.get_by_label("Concept name").fill("politeness")
    form.get_by_label("Description").fill("Courteous, polite requests and thanks")
    form.get_by_role("button", name="Create").click()
    expect(page).to_have_url(f"{server.url}/concepts/local/politeness")

    add_examples(page, POSITIVE, "Add as positive")
    add_examples(page, NEGATIVE, "Add as negative")
    expect(page.locator(".examples").first.locator("li")).to_have_count(len(POSITIVE))
    expect(page.locator(".examples").nth(1).locator("li")).to_have_count(len(NEGATIVE))
    page.get_by_role("button", name=f"Remove example {NEGATIVE[0]}").click()
    expect(page.locator(".examples").nth(1).locator("li")).to_have_count(len(NEGATIVE) - 1)
    expect(page.locator(".concept-item.active")).to_contain_text("4+ / 3−")


@pytest.mark.slow
def test_train_a_concept_and_see_its_metrics(page: Page, server: ServerHandle) -> None:
    page.goto(f"{server.url}/concepts")
    form = page.get_by_role("form", name="Create a concept")
    form.get_by_label("Concept name").fill("politeness")
    form.get_by_role("button", name="Create").click()
    add_examples(page, POSITIVE, "Add as positive")
    expect(page.locator(".examples").first.locator("li")).to_have_count(len(POSITIVE))
    add_examples(page, NEGATIVE, "Add as negative")
    expect(page.locator(".examples").nth(1).locator("li")).to_have_count(len(NEGATIVE))
    page.get_by_role("button", name="Train (minilm)").click()
    metrics = page.get_by_label("Model metrics")
    expect(metrics.locator(".metric").first).to_be_visible(timeout=60_000)
    expect(metrics).to_contain_text("CV folds")
    screenshot(page, "concept")
