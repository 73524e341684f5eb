"""c-TF-IDF keyword titles."""

from __future__ import annotations

from gristmill.cluster import keyword_titles, top_terms


def test_distinctive_terms_win_over_shared_ones() -> None:
    groups = [
        ["I baked bread with flour and yeast", "fresh bread from the oven", "yeast bread recipe"],
        ["the striker scored a goal", "a late goal won the match", "the goal keeper saved it"],
        ["the bread and the goal", "nothing in common here"],
    ]
    terms = top_terms(groups)
    assert terms[0][0] == "bread" and terms[1][0] == "goal"
    titles = keyword_titles(groups)
    assert titles[0].startswith("bread") and "goal" not in titles[0]


def test_no_repeated_words_inside_a_title() -> None:
    groups = [["machine learning models"] * 5, ["cooking dinner tonight"] * 5]
    first = top_terms(groups)[0]
    words = [w for term in first for w in term.split()]
    assert len(words) == len(set(words))


def test_groups_with_no_usable_words() -> None:
    assert keyword_titles([["the", "and a"], ["of the"]]) == [
        "(no distinctive words)",
        "(no distinctive words)",
    ]
    assert keyword_titles([[], ["rain rain"]])[1] == "rain"
