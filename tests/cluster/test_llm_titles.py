"""Cleaning what an LLM returns as a title (seen from SmolLM2-135M on the emotion set)."""

from __future__ import annotations

from gristmill.cluster._llm_titles import GroupTitle, _clean


def test_numbered_prefixes_are_stripped() -> None:
    assert _clean("Cluster 1: I'm Feeling Shaky") == "I'm Feeling Shaky"
    assert _clean('"Title: Books and reading."') == "Books and reading"
    assert _clean("Category 3 - Food") == "Food"
    assert _clean("Cluster headaches") == "Cluster headaches"  # a real title is kept


def test_the_schema_wording_is_not_a_title() -> None:
    # the schema shown to the model carries no class description it could copy back ...
    assert "description" not in GroupTitle.model_json_schema()
    # ... and the field's own description, echoed, counts as no answer (keyword fallback)
    assert _clean("A short, specific title of two to six words.") == ""
    assert _clean("Titlle") == _clean("Title.") == _clean("Category") == ""
    assert _clean("Titles of songs") == "Titles of songs"
