"""The schema panel in the browser: what a person computed, named by its meaning, with the
internals (span offsets, the text a clustering embeds) folded away until asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

import gristmill as gm
from gristmill.concepts import create_concept
from gristmill.server import ServerHandle
from tests.fixtures import TASKS, read_jsonl, write_jsonl
from tests.ui.conftest import load_jsonl, screenshot

EMBEDDING = "fake_words"


@pytest.fixture
def fake_embedding() -> Iterator[str]:
    """Registered in this process, the one the server runs in: instant and offline."""
    from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding

    register_embedding(EMBEDDING, FakeEmbedding(), replace=True)
    yield EMBEDDING
    unregister_embedding(EMBEDDING)


def lowercase(text: str | None) -> str | None:
    """A render function, so the clustering stores the text it embeds as its own column."""
    return None if text is None else text.lower()


def test_the_schema_shows_what_was_computed_and_folds_internals(
    page: Page, server: ServerHandle, fake_embedding: str, tmp_path: Path
) -> None:
    # Fewer rows than UMAP needs, so the clustering takes a second rather than ten.
    ds = load_jsonl(write_jsonl(tmp_path / "tasks.jsonl", read_jsonl(TASKS)[:50]), "seed")
    ds.compute_embedding(fake_embedding, "instruction", show_progress=False)
    ds.compute_signal(gm.LangDetectionSignal(), "instruction", show_progress=False)
    concept = create_concept("local", "coding")
    concept.add_examples(["Write a Python program", "Implement a function in Java"], label=True)
    concept.add_examples(["Describe a sunset", "Write a poem about the sea"], label=False)
    ds.compute_concept("local", "coding", fake_embedding, "instruction", show_progress=False)
    ds.cluster(
        "instruction",
        render=lowercase,
        embedding=fake_embedding,
        min_cluster_size=4,
        use_llm=False,
        show_progress=False,
    )
    columns = {c.name for c in ds.manifest().derived_columns}
    assert {"instruction__fake_words", "instruction__cluster_text"} <= columns

    page.goto(f"{server.url}/datasets/local/seed")
    panel = page.get_by_role("complementary", name="Schema")
    expect(panel.locator(".schema-row").first).to_be_visible()

    def row(path: str) -> Locator:
        return panel.locator(f".schema-row[data-path='{path}']")

    # What was computed reads as what it means, each label whole (wrapped, never cut off).
    labels = panel.locator(".schema-label")
    for meaning in (
        f"{fake_embedding} embedding of instruction",
        "Language of instruction",
        "Clusters of instruction",
        "Concept coding on instruction",
    ):
        label = labels.filter(has_text=meaning)
        expect(label).to_have_count(1)
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth")
    # Meaningful sub-fields stay at hand: a signal's language, a clustering's titles.
    expect(row("instruction__lang_detection.language")).to_be_visible()
    expect(row("instruction__cluster.cluster_title")).to_be_visible()

    # The stored name and lineage show on hover.
    clusters = row("instruction__cluster")
    title = clusters.get_attribute("title") or ""
    assert title.splitlines()[0] == "instruction__cluster"
    assert "cluster" in title.splitlines()[1]
    embedding = row("instruction__fake_words")
    assert (embedding.get_attribute("title") or "").startswith("instruction__fake_words\n")

    # No span offsets, no temporary columns, no ids beside titles by default.
    expect(panel.locator(".schema-row[data-path$='.start']")).to_have_count(0)
    expect(panel.locator(".schema-row[data-path$='.end']")).to_have_count(0)
    expect(panel.locator(".schema-row[data-path*='__cluster_text']")).to_have_count(0)
    expect(panel).not_to_contain_text("__cluster_text")
    expect(row("instruction__local_coding.spans")).to_have_count(0)
    expect(row("instruction__cluster.cluster_id")).to_have_count(0)

    row("instruction__lang_detection.language").click()
    expect(
        panel.locator(".histogram[aria-label='Histogram of instruction__lang_detection.language']")
    ).to_be_visible()
    row("instruction").click()
    expect(panel.locator(".histogram[aria-label='Histogram of instruction']")).to_be_visible()
    screenshot(page, "schema")

    # The toggle brings the internals back, muted; pressing it again folds them away.
    toggle = panel.get_by_role("button", name="Show internals")
    toggle.click()
    expect(row("instruction__cluster_text")).to_be_visible()
    expect(row("instruction__fake_words.*.start")).to_be_visible()
    expect(row("instruction__fake_words.*.end")).to_be_visible()
    expect(row("instruction__local_coding.spans")).to_be_visible()
    expect(
        panel.locator(".schema-row.internal[data-path='instruction__cluster.cluster_id']")
    ).to_be_visible()
    panel.get_by_role("button", name="Hide internals").click()
    expect(panel.locator(".schema-row[data-path*='__cluster_text']")).to_have_count(0)
