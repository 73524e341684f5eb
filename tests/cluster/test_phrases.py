"""Phrase titles: readable noun phrases, no template words, "Mixed:" catch-alls, distinct titles."""

from __future__ import annotations

import random
import string
from pathlib import Path

import numpy as np

from gristmill.cluster._phrases import (
    find_shared_text,
    phrase_candidates,
    phrase_titles,
)
from tests.cluster.conftest import make_dataset

TEMPLATE = (
    "Below is an instruction that describes a task. Write a response that appropriately "
    "completes the request.\n\n### Instruction:\n{}\n\n### Response:"
)
TEMPLATE_WORDS = {
    "below",
    "instruction",
    "describes",
    "task",
    "write",
    "response",
    "appropriately",
    "completes",
    "request",
}
TOPICS = {
    "cooking": ["pasta", "recipe", "garlic", "oven", "sauce", "basil", "simmer"],
    "football": ["match", "goal", "striker", "league", "referee", "penalty", "keeper"],
    "astronomy": ["telescope", "galaxy", "orbit", "comet", "nebula", "planet", "eclipse"],
}


def _words(title: str) -> set[str]:
    return {word.strip(":,()").lower() for word in title.split()}


def test_titles_leave_out_a_prompt_template_every_row_shares(tmp_path: Path) -> None:
    pick = random.Random(5)
    texts = [" ".join(pick.sample(words, 4)) for words in TOPICS.values() for _ in range(25)]
    # Rows with no shared vocabulary: in the old keyword titles the template's words, the only
    # words these rows repeat, became their cluster's title ("instruction, response, task").
    texts += [
        " ".join("".join(pick.choices(string.ascii_lowercase, k=7)) for _ in range(4))
        for _ in range(25)
    ]
    ds = make_dataset(tmp_path, "templated", [{"text": TEMPLATE.format(t)} for t in texts])
    ds.cluster("text", embedding="bow", use_llm=False, show_progress=False)
    values = [r["text__cluster"] for r in ds.select_rows(["text__cluster"])]
    titles = {v["cluster_title"] for v in values} | {v["category_title"] for v in values}
    assert all(not _words(title) & TEMPLATE_WORDS for title in titles), titles
    topic_words = {word for words in TOPICS.values() for word in words}
    assert any(_words(title) & topic_words for title in titles)


def test_shared_lines_and_words_are_found_but_repeated_data_is_not_a_template() -> None:
    shared = find_shared_text([TEMPLATE.format(f"tell me about {w}") for w in TOPICS])
    assert shared == find_shared_text([])  # fewer rows than it takes to call text shared
    rows = [TEMPLATE.format(f"tell me about {w} number {i}") for i in range(6) for w in TOPICS]
    shared = find_shared_text(rows)
    assert "### instruction:" in shared.lines and "instruction" in shared.words
    assert "cooking" not in shared.words
    assert shared.strip(rows[0]).split() == ["tell", "me", "about", "cooking", "number", "0"]
    same = find_shared_text(["the very same sentence"] * 50)
    assert not same.lines and not same.words


def test_a_title_is_a_phrase_not_a_keyword_list() -> None:
    groups = [
        [f"my chicken soup recipe with {w}" for w in ["leeks", "rice", "thyme", "lemon"]] * 3,
        [f"python list comprehension over {w}" for w in ["strings", "dicts", "files"]] * 3,
    ]
    titles = phrase_titles(phrase_candidates(groups))
    assert "," not in titles[0] and titles[0][0].isupper()
    assert "chicken soup" in titles[0].lower()
    assert "python list" in titles[1].lower() or "list comprehension" in titles[1].lower()


def test_a_catch_all_cluster_is_titled_mixed() -> None:
    candidates = [[(f"topic{i}", 1.0), (f"other{i}", 0.5)] for i in range(5)]
    cohesion = [0.71, 0.68, 0.74, 0.70, 0.38]
    titles = phrase_titles(candidates, cohesion=cohesion)
    assert titles[4].startswith("Mixed: ") and titles[4] != "Mixed: "
    assert not any(title.startswith("Mixed") for title in titles[:4])


def test_groups_with_the_same_best_phrases_get_distinct_titles() -> None:
    same = [("football", 1.0), ("league", 0.9), ("referee", 0.8)]
    titles = phrase_titles([same, same, same], sizes=[10, 30, 20])
    assert len(set(titles)) == 3
    assert titles[1] == "Football and league"  # the largest group keeps the best title


def test_category_titles_are_distinct(tmp_path: Path) -> None:
    pick = random.Random(11)
    rows = [
        {"text": " ".join([*pick.sample(words, 3), "today"])}
        for words in TOPICS.values()
        for _ in range(40)
    ]
    ds = make_dataset(tmp_path, "topics", rows)
    result = ds.cluster("text", embedding="bow", use_llm=False, show_progress=False)
    values = [r["text__cluster"] for r in ds.select_rows(["text__cluster"])]
    categories = {v["category_id"]: v["category_title"] for v in values}
    assert len(categories) == result.num_categories
    assert len(set(categories.values())) == len(categories)
    clusters = {v["cluster_id"]: v["cluster_title"] for v in values}
    assert len(set(clusters.values())) == len(clusters)


def test_phrases_near_the_centroid_win_when_a_model_is_given() -> None:
    candidates = [[("weather", 1.0), ("football", 0.95)]]
    centroid = np.array([[0.0, 1.0]], np.float32)

    def embed(phrases: list[str]) -> np.ndarray:
        return np.array([[0.0, 1.0] if p == "football" else [1.0, 0.0] for p in phrases], "f4")

    assert phrase_titles(candidates)[0].startswith("Weather")
    assert phrase_titles(candidates, centroid, embed)[0].startswith("Football")


def test_a_prompt_template_is_left_out_of_what_is_clustered(tmp_path: Path) -> None:
    pick = random.Random(7)
    texts = [" ".join(pick.sample(words, 4)) for words in TOPICS.values() for _ in range(20)]
    ds = make_dataset(tmp_path, "wrapped", [{"text": TEMPLATE.format(t)} for t in texts])
    ds.cluster("text", embedding="bow", use_llm=False, show_progress=False)
    derived = {c.name: c.lineage for c in ds.manifest().derived_columns}
    # The rows are embedded and clustered without the template: what each row says, alone.
    assert derived["text__cluster_text"].input_path == "text"
    # ... a step of the clustering, which the lineage says (the UI folds such columns away).
    assert derived["text__cluster_text"].part_of == "text__cluster"
    assert derived["text__cluster"].part_of is None
    assert "text__cluster_text__bow" in derived
    stripped = [r["text__cluster_text"] for r in ds.select_rows(["text__cluster_text"])]
    assert [s.split() for s in stripped] == [t.split() for t in texts]
    # Rows without a template are clustered as they are: no extra column.
    plain = make_dataset(tmp_path, "plain", [{"text": t} for t in texts])
    plain.cluster("text", embedding="bow", use_llm=False, show_progress=False)
    assert "text__cluster_text" not in {c.name for c in plain.manifest().derived_columns}
