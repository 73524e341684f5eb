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


def test_category_weighting_drops_words_most_groups_share() -> None:
    # "feel" is in every text (as in the emotion set): the category weighting must not use it,
    # alone or in a phrase.
    groups = [
        ["i feel the mental health talk helped"] * 4 + ["i feel calm after mental health week"],
        ["i feel the football match was great"] * 3 + ["i feel the striker football skill"],
        ["i feel my garden roses bloom"] * 3 + ["i feel tomato plants in the garden grow"],
        ["i feel the cake recipe works"] * 3 + ["i feel baking bread recipe"],
    ]
    categories = top_terms(groups, few_groups=True)
    assert all("feel" not in " ".join(terms) for terms in categories)
    assert categories[0][0] == "mental health"  # a recurring bigram beats its single words
    assert keyword_titles(groups, few_groups=True)[1].startswith("football")


def test_markup_and_retweet_residue_are_not_keywords() -> None:
    groups = [
        ["RT @kieffer_jason: http://t.co/bpu86qzyft &amp; great game &#128514; 2014"] * 3,
        ["RT check www.example.com href &#9733; new recipe"] * 3,
    ]
    words = {w for terms in top_terms(groups, num_terms=9) for term in terms for w in term.split()}
    assert words == {"great", "game", "check", "new", "recipe"}
