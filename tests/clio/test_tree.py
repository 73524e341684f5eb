"""The hierarchy object: walking it, its leaves, and its plain-JSON form."""

from __future__ import annotations

import json

import pytest

from gristmill.clio import ClioNode, ClioTree
from gristmill.errors import InvalidInputError


def _tree() -> ClioTree:
    nodes = [
        ClioNode("0.0", "Soup recipes", "s", 0, parent="1.0", size=3, facet="Request"),
        ClioNode("0.1", "Bread baking", "s", 0, parent="1.0", size=2, facet="Request"),
        ClioNode("0.2", "Python errors", "s", 0, parent="1.1", size=4, facet="Request"),
        ClioNode("1.0", "Cooking", "s", 1, parent="2.0", children=["0.0", "0.1"], size=5),
        ClioNode("1.1", "Programming", "s", 1, parent="2.0", children=["0.2"], size=4),
        ClioNode("2.0", "Everything", "s", 2, children=["1.0", "1.1"], size=9),
        ClioNode("0.3", "Loose", "s", 0, size=1),
    ]
    return ClioTree({node.id: node for node in nodes}, facet="Request")


def test_walk_visits_parents_before_children_and_every_node_once() -> None:
    tree = _tree()
    order = [node.id for node in tree.walk()]
    assert order == ["2.0", "1.0", "0.0", "0.1", "1.1", "0.2", "0.3"]
    assert [node.id for node in tree.walk("1.1")] == ["1.1", "0.2"]


def test_roots_leaves_levels_and_depth() -> None:
    tree = _tree()
    assert [node.id for node in tree.roots] == ["2.0", "0.3"]  # largest first
    assert [node.id for node in tree.leaves_of("2.0")] == ["0.0", "0.1", "0.2"]
    assert [node.id for node in tree.leaves_of(tree.nodes["0.3"])] == ["0.3"]
    assert tree.depth == 3
    assert [len(level) for level in tree.levels()] == [4, 2, 1]


def test_json_round_trip_is_plain_json_and_lossless() -> None:
    tree = _tree()
    text = tree.to_json()
    data = json.loads(text)  # plain JSON: readable without gristmill
    assert data["facet"] == "Request"
    assert {item["id"] for item in data["nodes"]} == set(tree.nodes)
    again = ClioTree.from_json(text)
    assert again == tree
    assert again.to_json() == text


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["nodes"][4]["children"].append("0.0"),  # two parents
        lambda d: d["nodes"][3]["children"].append("9.9"),  # unknown child
        lambda d: d["nodes"][0].update(parent="1.1"),  # links disagree
        lambda d: d["nodes"][0].pop("name"),  # missing field
    ],
)
def test_from_json_rejects_a_damaged_tree(damage: object) -> None:
    data = _tree().to_dict()
    damage(data)  # type: ignore[operator]
    with pytest.raises(InvalidInputError):
        ClioTree.from_dict(data)


def test_from_json_rejects_a_cycle_and_non_json() -> None:
    nodes = [
        ClioNode("a", "A", "", 1, parent="b", children=["b"]),
        ClioNode("b", "B", "", 1, parent="a", children=["a"]),
    ]
    with pytest.raises(InvalidInputError, match="cycle"):
        ClioTree.from_dict(ClioTree({n.id: n for n in nodes}).to_dict())
    with pytest.raises(InvalidInputError):
        ClioTree.from_json("not json")
    with pytest.raises(InvalidInputError):
        ClioTree.from_json("[1, 2]")
