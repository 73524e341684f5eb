"""The hierarchy: each step, termination and one parent per node whatever the namer answers."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from gristmill.clio import (
    ClioNode,
    ClioTree,
    KeyphraseNamer,
    LLMNamer,
    Named,
    NamingTask,
    OpenClioConfig,
    base_clusters,
    build_hierarchy,
    cluster_centroids,
)
from gristmill.clio._hierarchy import _dedup_names, _majority, _valid_proposals
from gristmill.embed import FakeEmbedding
from gristmill.llm import get_llm
from tests.clio.conftest import constant_llm, topic_values


class ScriptedNamer:
    """A namer whose every answer comes from a function; records what it was asked."""

    mode = "llm"
    calls = 0

    def __init__(
        self,
        *,
        name: Callable[[NamingTask, int], list[Named]] | None = None,
        propose: Callable[[Sequence[Named], int], list[str]] | None = None,
        merge: Callable[[Sequence[str]], str] | None = None,
        categorize: Callable[[Named, Sequence[str]], list[str]] | None = None,
    ) -> None:
        self.name = name or (lambda task, level: [Named(f"L{level} {task.texts[0]}", "s")])
        self.propose = propose or (lambda members, wanted: [m.name for m in members[:wanted]])
        self.merge = merge or (lambda names: names[0])
        self.categorize_one = categorize or (lambda child, options: [options[0]])
        self.name_tasks: list[list[NamingTask]] = []
        self.proposals_asked: list[tuple[int, int]] = []
        self.options_seen: list[list[str]] = []
        self.samples_asked: list[int] = []

    def name_groups(self, tasks: Sequence[NamingTask], *, level: int) -> list[list[Named]]:
        self.name_tasks.append(list(tasks))
        return [self.name(task, level) for task in tasks]

    def propose_names(
        self, neighbourhoods: Sequence[Sequence[Named]], desired: Sequence[int]
    ) -> list[list[str]]:
        self.proposals_asked += [(len(m), w) for m, w in zip(neighbourhoods, desired, strict=True)]
        return [self.propose(m, w) for m, w in zip(neighbourhoods, desired, strict=True)]

    def merge_names(self, groups: Sequence[Sequence[str]]) -> list[str]:
        return [self.merge(names) for names in groups]

    def categorize(
        self, children: Sequence[Named], options: Sequence[Sequence[str]], samples: int
    ) -> list[list[str]]:
        self.options_seen += [list(o) for o in options]
        self.samples_asked.append(samples)
        return [self.categorize_one(c, o) for c, o in zip(children, options, strict=True)]


def _base(count: int = 400, seed: int = 0) -> tuple[list[ClioNode], Any]:
    values, _ = topic_values(count, seed)
    vectors = FakeEmbedding().embed(values)
    labels, nodes = base_clusters(values, vectors, None, KeyphraseNamer(), facet="Task")
    return nodes, cluster_centroids(vectors, labels)


def _assert_sound(tree: ClioTree, base: Sequence[ClioNode], top: int) -> None:
    tree.check()  # one parent per node, links agree both ways, no cycle
    levels = tree.levels()
    assert [n.id for n in levels[0]] == [n.id for n in base]
    sizes = [len(level) for level in levels]
    assert all(a > b for a, b in itertools.pairwise(sizes)), sizes
    assert len(tree.roots) == sizes[-1]
    assert len(tree.roots) <= top or len(levels) == 1
    for node in tree.nodes.values():
        if node.level > 0:
            assert node.children
            assert node.size == sum(tree.nodes[c].size for c in node.children)
            assert all(tree.nodes[c].level == node.level - 1 for c in node.children)
    for level in levels:
        assert len({n.name.lower() for n in level}) == len(level)
    assert sum(root.size for root in tree.roots) == sum(n.size for n in base)


def test_llm_free_hierarchy_is_sound_and_reaches_min_top_level_size() -> None:
    base, vectors = _base()
    config = OpenClioConfig(minTopLevelSize=3)
    tree = build_hierarchy(base, vectors, config, KeyphraseNamer(FakeEmbedding()), FakeEmbedding())
    _assert_sound(tree, base, 3)
    assert tree.depth >= 2


def test_fake_llm_hierarchy_is_sound_and_calls_grow_with_clusters() -> None:
    base, vectors = _base()
    namer = LLMNamer(get_llm("fake"))
    tree = build_hierarchy(base, vectors, None, namer, FakeEmbedding())
    _assert_sound(tree, base, 5)
    above = sum(len(level) for level in tree.levels()[1:])
    # Per level: a proposal per neighbourhood, a merge per group, nCategorizeSamples per
    # child, nRenameSamples per parent: bounded by the clusters, whatever the conversations.
    assert namer.calls <= 5 * len(base) + 5 * above + 2 * len(base) * (tree.depth - 1)


@pytest.mark.parametrize("top", [1, 2, 7, 1000])
def test_min_top_level_size_is_honoured(top: int) -> None:
    base, vectors = _base()
    config = OpenClioConfig(minTopLevelSize=top)
    tree = build_hierarchy(base, vectors, config, ScriptedNamer(), FakeEmbedding())
    _assert_sound(tree, base, top)
    if top >= len(base):
        assert tree.depth == 1  # already small enough: no level added
    else:
        assert len(tree.roots) <= top
        below = tree.levels()[-2] if tree.depth > 1 else []
        assert len(below) > top  # it stopped at the first level small enough


ADVERSARIAL: dict[str, dict[str, Any]] = {
    "every name the same": {
        "name": lambda task, level: [Named("Same", "same")],
        "propose": lambda members, wanted: ["Same"] * wanted,
        "merge": lambda names: "Same",
        "categorize": lambda child, options: ["Same"],
    },
    "names assignment does not know": {
        "categorize": lambda child, options: ["Something never offered", "???"],
    },
    "empty answers": {
        "name": lambda task, level: [],
        "propose": lambda members, wanted: [],
        "merge": lambda names: "",
        "categorize": lambda child, options: [],
    },
    "blank strings": {
        "name": lambda task, level: [Named("  ", "")],
        "propose": lambda members, wanted: ["", " ", "..."],
        "merge": lambda names: " ",
        "categorize": lambda child, options: ["", ""],
    },
    "a flood of proposals": {
        "propose": lambda members, wanted: [f"Name {i}" for i in range(500)],
        "merge": lambda names: "Merged",
    },
    "more names than clusters, never merged": {
        "propose": lambda members, wanted: [f"{m.name} {i}" for m in members for i in range(3)],
        "merge": lambda names: names[0],
    },
}


@pytest.mark.parametrize("case", sorted(ADVERSARIAL))
def test_adversarial_answers_terminate_with_one_parent_per_node(case: str) -> None:
    base, vectors = _base()
    namer = ScriptedNamer(**ADVERSARIAL[case])
    tree = build_hierarchy(base, vectors, OpenClioConfig(minTopLevelSize=2), namer, None)
    _assert_sound(tree, base, 2)
    assert all(node.name.strip() for node in tree.nodes.values())


@pytest.mark.parametrize(
    "reply",
    [
        '{"summary": "s", "name": "Same", "names": ["Same", "Same"], "category": "Same"}',
        '{"summary": "", "name": "", "names": [], "category": ""}',
        "not json at all",
    ],
)
def test_an_llm_that_always_answers_the_same_terminates(reply: str) -> None:
    base, vectors = _base(200)
    config = OpenClioConfig(nCategorizeSamples=2, nRenameSamples=2)
    namer = LLMNamer(constant_llm(reply))
    tree = build_hierarchy(base, vectors, config, namer, FakeEmbedding())
    _assert_sound(tree, base, 5)


def test_neighbourhoods_ask_for_proposals_as_configured() -> None:
    base, vectors = _base()
    config = OpenClioConfig(
        nAverageClustersPerNeighborhood=lambda n: 4,
        nSamplesOutsideNeighborhood=2,
        nDesiredHigherLevelNamesPerClusterFunc=lambda n: max(1, n // 2),
        nCategorizeSamples=3,
    )
    namer = ScriptedNamer()
    build_hierarchy(base, vectors, config, namer, FakeEmbedding())
    first = namer.proposals_asked[:4]
    assert len(first) == 4  # four neighbourhoods at the first level
    # Each shows its members plus 2 nearest outside clusters; asks for members // 2 names.
    assert sum(shown - 2 for shown, _ in first) == len(base)
    assert all(wanted == max(1, (shown - 2) // 2) for shown, wanted in first)
    assert namer.samples_asked[0] == 3


def test_dedup_merges_names_across_neighbourhoods() -> None:
    proposals = [["Cooking help", "Baking bread"], ["cooking help.", "Bread baking"], ["Taxes"]]
    merged: list[list[str]] = []

    def merge(names: Sequence[str]) -> str:
        merged.append(list(names))
        return "Bread"

    namer = ScriptedNamer(merge=merge)
    names, became = _dedup_names(proposals, 3, namer, FakeEmbedding(), seed=1)
    assert len(names) <= 3
    assert len({n.lower() for n in names}) == len(names)
    # The same name from two neighbourhoods is one parent, whatever its spelling.
    assert became["Cooking help"] == became["cooking help."]
    assert set(became.values()) <= set(names)
    assert set(became) == {name for group in proposals for name in group}
    # Near-duplicates (the same words here) went to the namer together and became one.
    assert ["Baking bread", "Bread baking"] in merged
    assert became["Baking bread"] == became["Bread baking"] == "Bread"


def test_dedup_keeps_fewer_names_than_the_target() -> None:
    proposals = [[f"Topic {i}"] for i in range(30)]
    names, became = _dedup_names(proposals, 7, ScriptedNamer(), FakeEmbedding(), seed=1)
    assert len(names) <= 7
    assert set(became.values()) == set(names)


def test_assignment_takes_the_majority_of_known_names() -> None:
    names = ["Cooking", "Travel", "Music"]
    offered = ["Travel", "Cooking"]
    assert _majority(["Cooking", "travel", "Cooking.", "Nonsense"], offered, names) == "Cooking"
    assert _majority(["Travel", "Cooking"], offered, names) == "Travel"  # tie: nearest first
    assert _majority(["Music", "music", "Travel"], offered, names) == "Music"  # known name
    assert _majority(["Unknown", ""], offered, names) == "Travel"  # nearest offered


def test_proposals_are_cleaned_capped_and_replaced_when_empty() -> None:
    assert _valid_proposals(["A b", "a B.", " ", "C"], 5, ["x"]) == ["A b", "C"]
    assert len(_valid_proposals([f"N{i}" for i in range(50)], 3, ["x"])) == 6
    assert _valid_proposals(["", "  "], 2, ["First", "Second", "Third"]) == ["First", "Second"]


def test_renaming_uses_samples_of_the_children() -> None:
    base, vectors = _base()
    config = OpenClioConfig(maxChildrenForRenaming=3, nRenameSamples=4, minTopLevelSize=2)
    namer = ScriptedNamer(name=lambda task, level: [Named(f"Parent of {task.draws[0][0]}", "")])
    tree = build_hierarchy(base, vectors, config, namer, FakeEmbedding())
    tasks = namer.name_tasks[0]
    child_texts = {f"{n.name}: {n.summary}" for n in base}
    assert all(len(t.draws) == 4 and all(len(d) <= 3 for d in t.draws) for t in tasks)
    assert all(set(d) <= child_texts for t in tasks for d in t.draws)
    parents = tree.levels()[1]
    for parent, task in zip(parents, tasks, strict=True):
        children = {f"{tree.nodes[c].name}: {tree.nodes[c].summary}" for c in parent.children}
        assert set(task.texts) == children
        assert parent.name.startswith("Parent of ")


def test_resume_from_a_checkpoint_gives_the_same_tree() -> None:
    base, vectors = _base()
    checkpoints: list[str] = []
    config = OpenClioConfig(minTopLevelSize=2)
    full = build_hierarchy(
        base,
        vectors,
        config,
        ScriptedNamer(),
        FakeEmbedding(),
        on_level=lambda t: checkpoints.append(t.to_json()),
    )
    assert len(checkpoints) == full.depth - 1
    saved = ClioTree.from_json(checkpoints[0])
    resumed = build_hierarchy(base, vectors, config, ScriptedNamer(), FakeEmbedding(), resume=saved)
    assert json.loads(resumed.to_json()) == json.loads(full.to_json())


def test_vectors_must_match_the_base_clusters() -> None:
    from gristmill.errors import InvalidInputError

    base, vectors = _base()
    with pytest.raises(InvalidInputError):
        build_hierarchy(base, vectors[:-1], None, ScriptedNamer(), FakeEmbedding())
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


def test_llm_free_levels_keep_topics_apart() -> None:
    # Grouping by word overlap with proposed names once put cooking and health clusters under
    # one "Flour and vitamin" parent; grouping by embeddings keeps each parent to one topic.
    values, topics = topic_values(400)
    vectors = FakeEmbedding().embed(values)
    namer = KeyphraseNamer(FakeEmbedding())
    labels, base = base_clusters(values, vectors, None, namer)
    topic_of = {}
    for cluster in range(len(base)):
        found = [t for t, label in zip(topics, labels, strict=True) if label == cluster]
        topic_of[base[cluster].id] = max(set(found), key=found.count)
    config = OpenClioConfig(minTopLevelSize=8)
    tree = build_hierarchy(base, cluster_centroids(vectors, labels), config, namer, FakeEmbedding())
    for parent in tree.levels()[1]:
        assert len({topic_of[leaf.id] for leaf in tree.leaves_of(parent)}) == 1, parent.name


def test_no_base_clusters_give_an_empty_tree() -> None:
    tree = build_hierarchy([], np.zeros((0, 4), np.float32), None, ScriptedNamer())
    assert tree.nodes == {} and tree.roots == [] and tree.depth == 0


def test_a_single_base_cluster_is_its_own_root() -> None:
    base, vectors = _base()
    tree = build_hierarchy(base[:1], vectors[:1], None, ScriptedNamer(), FakeEmbedding())
    assert [root.id for root in tree.roots] == [base[0].id]


@pytest.mark.parametrize("value", [0, -5, 10**9])
def test_out_of_range_config_functions_still_terminate(value: int) -> None:
    base, vectors = _base()
    config = OpenClioConfig(
        nAverageClustersPerNeighborhood=lambda n: value,
        nDesiredHigherLevelNamesPerClusterFunc=lambda n: value,
        minTopLevelSize=2,
    )
    for namer in (ScriptedNamer(), KeyphraseNamer()):
        tree = build_hierarchy(base, vectors, config, namer, FakeEmbedding())
        _assert_sound(tree, base, 2)


def test_the_last_level_ends_at_min_top_level_size_not_below() -> None:
    """n // 3 takes 11 clusters to 3; with minTopLevelSize 5 the top level holds 5."""
    base, vectors = _base()
    for top in (3, 5, 7):
        config = OpenClioConfig(minTopLevelSize=top)
        tree = build_hierarchy(
            base, vectors, config, KeyphraseNamer(FakeEmbedding()), FakeEmbedding()
        )
        _assert_sound(tree, base, top)
        below = tree.levels()[-2]
        assert len(below) > top
        assert len(tree.roots) == min(top, len(below) - 1)
