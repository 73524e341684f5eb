"""Cleaning what an LLM returns as a title (seen from SmolLM2-135M on the emotion set)."""

from __future__ import annotations

from gristmill.cluster._llm_titles import GroupTitle, _clean, _prompt


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


class _Words:
    """Counts words as tokens: all ``_prompt`` needs from an LLM."""

    def truncate(self, text: str, max_tokens: int) -> str:
        return " ".join(text.split()[:max_tokens])


def test_the_prompt_gives_the_phrases_and_a_contrast_example_per_neighbour() -> None:
    prompt = _prompt(
        _Words(),  # type: ignore[arg-type]
        ["my chicken soup recipe", "soup with leeks"],
        "Chicken soup and leeks",
        [("Football and league", "the striker scored twice")],
        "cluster",
    )
    assert "Its distinctive phrases: Chicken soup and leeks" in prompt
    assert '- Football and league (e.g. "the striker scored twice")' in prompt
    assert prompt.index("my chicken soup recipe") < prompt.index("Football")
