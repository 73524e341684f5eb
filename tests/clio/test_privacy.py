"""Privacy beyond OpenClio: k-anonymity folding, PII scrubbing, the privacy auditor, the view."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import pytest

from gristmill.clio import (
    OTHER_NAME,
    WITHHELD_NAME,
    ClioNode,
    ClioTree,
    OpenClioConfig,
    audit_tree,
    fold_small_clusters,
    private_view,
    scrub_texts,
    scrub_tree,
    scrub_values,
)
from gristmill.errors import InvalidInputError, ProviderUnreachableError

EMAIL = "jane.roe@example.org"
PHONE = "+1 415 555 0132"


def make_tree(spec: dict[str, list[str]], roots: Sequence[str] = ()) -> ClioTree:
    """A tree from ``{parent: [children]}`` (and ``roots``, lone nodes), each node's level its
    height, each named after its id."""
    parents = {child: parent for parent, children in spec.items() for child in children}
    ids = list(dict.fromkeys([*spec, *parents, *roots]))

    def height(node_id: str) -> int:
        return 1 + max((height(c) for c in spec.get(node_id, [])), default=-1)

    nodes = {
        node_id: ClioNode(
            id=node_id,
            name=f"Cluster {node_id}",
            summary=f"About {node_id}.",
            level=height(node_id),
            parent=parents.get(node_id),
            children=list(spec.get(node_id, [])),
            facet="Request",
        )
        for node_id in ids
    }
    tree = ClioTree(nodes, facet="Request")
    tree.check()
    return tree


def points(counts: dict[str, int]) -> list[str | None]:
    """Data points: ``counts[node]`` of each base cluster, in order."""
    return [node for node, count in counts.items() for _ in range(count)]


def sizes(tree: ClioTree) -> dict[str, int]:
    return {node.id: node.size for node in tree.nodes.values()}


def set_true_sizes(tree: ClioTree, ids: Sequence[str | None]) -> None:
    for node in tree.nodes.values():
        below = {found.id for found in tree.walk(node)}
        node.size = sum(1 for base in ids if base in below)


# -- folding ---------------------------------------------------------------------------------


def test_small_base_clusters_fold_into_one_other_under_their_parent() -> None:
    tree = make_tree({"R": ["a", "b", "c", "d"]})
    ids = points({"a": 6, "b": 2, "c": 2, "d": 1})
    shown, shown_ids = fold_small_clusters(tree, ids, 5)
    other = shown.node("R/other")
    assert (other.name, other.parent, other.level, other.children) == (OTHER_NAME, "R", 0, [])
    assert shown.node("R").children == ["a", "R/other"]
    assert sizes(shown) == {"R": 11, "a": 6, "R/other": 5}
    assert shown_ids == ["a"] * 6 + ["R/other"] * 5
    shown.check()


def test_an_other_below_the_threshold_is_not_shown_and_counts_in_its_parent() -> None:
    tree = make_tree({"R": ["a", "b", "c"]})
    ids = points({"a": 6, "b": 2, "c": 1})
    shown, shown_ids = fold_small_clusters(tree, ids, 5)
    assert set(shown.nodes) == {"R", "a"}
    # The parent's count stays true: 6 in its one shown child, 3 its own.
    assert sizes(shown) == {"R": 9, "a": 6}
    assert shown_ids == ["a"] * 6 + ["R"] * 3


def test_a_parent_with_no_child_big_enough_becomes_a_leaf() -> None:
    # An "Other" holding all of R would name nothing R does not.
    tree = make_tree({"R": ["a", "b"], "S": ["c"]})
    ids = points({"a": 3, "b": 3, "c": 7})
    shown, shown_ids = fold_small_clusters(tree, ids, 5)
    assert set(shown.nodes) == {"R", "S", "c"}
    assert shown.node("R").children == []
    assert sizes(shown) == {"R": 6, "S": 7, "c": 7}
    assert shown_ids[:6] == ["R"] * 6


def test_small_roots_fold_into_one_top_level_other_or_into_no_cluster() -> None:
    tree = make_tree({"R": ["a"], "S": ["b"], "T": ["c"]})
    shown, shown_ids = fold_small_clusters(tree, points({"a": 9, "b": 2, "c": 3}), 5)
    assert [root.id for root in shown.roots] == ["R", "other"]
    assert (shown.node("other").name, shown.node("other").size) == (OTHER_NAME, 5)
    assert shown_ids[9:] == ["other"] * 5
    # Two conversations in small roots: no cluster may show them, and no parent can hold them.
    shown, shown_ids = fold_small_clusters(tree, points({"a": 9, "b": 2}), 5)
    assert set(shown.nodes) == {"R", "a"}
    assert shown_ids[9:] == [None, None]


def test_a_middle_level_folds_with_its_whole_subtree() -> None:
    tree = make_tree({"T": ["M1", "M2", "M3"], "M1": ["a", "b"], "M2": ["c"], "M3": ["d"]})
    ids = points({"a": 7, "b": 5, "c": 3, "d": 2})
    shown, shown_ids = fold_small_clusters(tree, ids, 5)
    assert set(shown.nodes) == {"T", "M1", "a", "b", "T/other"}
    other = shown.node("T/other")
    assert (other.level, other.size, other.children) == (1, 5, [])
    assert sizes(shown)["T"] == 17 == sizes(shown)["M1"] + other.size
    assert shown_ids[12:] == ["T/other"] * 5


def test_duplicate_conversations_count_once_with_keys() -> None:
    tree = make_tree({"R": ["a", "b"]})
    ids = points({"a": 6, "b": 6})
    # Cluster a holds one conversation six times; b six different ones.
    keys: Sequence[Hashable] = ["same"] * 6 + [f"b{i}" for i in range(6)]
    without, _ = fold_small_clusters(tree, ids, 5)
    assert set(without.nodes) == {"R", "a", "b"}
    shown, shown_ids = fold_small_clusters(tree, ids, 5, keys)
    assert set(shown.nodes) == {"R", "b"}
    # The folded duplicates still count as data points in their parent.
    assert sizes(shown) == {"R": 12, "b": 6}
    assert shown_ids[:6] == ["R"] * 6


def test_an_other_counts_distinct_keys_across_the_clusters_it_folds() -> None:
    tree = make_tree({"R": ["a", "b", "c", "d"]})
    ids = points({"a": 6, "b": 3, "c": 3, "d": 3})
    # b, c and d are the same three users: 9 data points but 3 distinct, too few for an Other.
    keys: Sequence[Hashable] = [f"a{i}" for i in range(6)] + ["u1", "u2", "u3"] * 3
    shown, shown_ids = fold_small_clusters(tree, ids, 5, keys)
    assert set(shown.nodes) == {"R", "a"}
    assert shown_ids[6:] == ["R"] * 9


def test_the_stored_tree_is_untouched() -> None:
    tree = make_tree({"T": ["M1", "M2"], "M1": ["a", "b"], "M2": ["c"]})
    ids = points({"a": 7, "b": 1, "c": 2})
    for node in tree.nodes.values():
        node.privacy = 4
    before = tree.to_dict()
    shown, _ = fold_small_clusters(tree, ids, 5)
    view = private_view(tree, ids, OpenClioConfig(minClusterConversations=5))
    assert tree.to_dict() == before
    for folded in (shown, view.tree):
        assert all(node is not tree.nodes.get(node.id) for node in folded.nodes.values())


def test_a_threshold_of_one_returns_a_copy() -> None:
    tree = make_tree({"R": ["a", "b"]})
    ids = points({"a": 1, "b": 1})
    set_true_sizes(tree, ids)
    for k in (0, 1):
        shown, shown_ids = fold_small_clusters(tree, ids, k)
        assert shown.to_dict() == tree.to_dict() and shown is not tree
        assert shown.nodes["a"] is not tree.nodes["a"]
        assert shown_ids == ids


def test_bad_input_is_a_clear_error() -> None:
    tree = make_tree({"R": ["a"]})
    with pytest.raises(InvalidInputError, match="does not have"):
        fold_small_clusters(tree, ["a", "zz"], 2)
    with pytest.raises(InvalidInputError, match="dedup keys"):
        fold_small_clusters(tree, ["a", "a"], 2, keys=["x"])


def random_tree(rng: random.Random) -> ClioTree:
    """1-4 levels, each grouping the one below at random; a few nodes stay roots below the
    top level, as a hierarchy that stopped early leaves them."""
    level = [f"L0-{i}" for i in range(rng.randint(1, 40))]
    spec: dict[str, list[str]] = {}
    roots: list[str] = []
    for depth in range(1, rng.randint(1, 4)):
        parents = [f"L{depth}-{i}" for i in range(rng.randint(1, max(1, len(level) // 2)))]
        for child in level:
            if rng.random() < 0.1:
                roots.append(child)
            else:
                spec.setdefault(rng.choice(parents), []).append(child)
        level = [parent for parent in parents if parent in spec]
    return make_tree(spec, [*roots, *level])


@pytest.mark.parametrize("seed", range(40))
def test_random_trees_show_no_small_group_and_keep_true_counts(seed: int) -> None:
    rng = random.Random(seed)
    tree = random_tree(rng)
    leaves = [node.id for node in tree.nodes.values() if not node.children]
    n = rng.randint(0, 200)
    ids: list[str | None] = [rng.choice(leaves) if rng.random() > 0.1 else None for _ in range(n)]
    keys: list[Hashable] | None = (
        [rng.randint(0, max(1, n // 2)) for _ in range(n)] if seed % 2 else None
    )
    k = rng.randint(2, 12)
    before = tree.to_dict()
    shown, shown_ids = fold_small_clusters(tree, ids, k, keys)
    assert tree.to_dict() == before
    shown.check()  # one parent each, links both ways, no cycle
    assert len(shown_ids) == n

    def under(node_id: str) -> set[str]:
        return {found.id for found in shown.walk(node_id)}

    def true_count(node_id: str) -> int:
        below = {found.id for found in tree.walk(node_id)}
        return sum(1 for base in ids if base in below)

    for node in shown.nodes.values():
        members = [i for i, shown_id in enumerate(shown_ids) if shown_id in under(node.id)]
        distinct = {keys[i] if keys is not None else i for i in members}
        assert len(distinct) >= k, f"node {node.id} shows {len(distinct)} < {k} conversations"
        assert node.size == len(members)
        own = sum(1 for shown_id in shown_ids if shown_id == node.id)
        assert node.size == own + sum(shown.node(c).size for c in node.children)
        if node.id in tree.nodes:
            assert node.size == true_count(node.id)  # a shown cluster's count is its true one
    for base, shown_id in zip(ids, shown_ids, strict=True):
        if base is None:
            assert shown_id is None
            continue
        ancestors = [base]
        while tree.node(ancestors[-1]).parent is not None:
            ancestors.append(str(tree.node(ancestors[-1]).parent))
        if shown_id is None:
            assert ancestors[-1] not in shown.nodes  # only a folded root's points show nowhere
            continue
        # A data point shows in its own cluster, an ancestor, or an Other under one of them.
        node = shown.node(shown_id)
        is_other = node.id not in tree.nodes
        assert not is_other or node.name == OTHER_NAME
        anchor = node.parent if is_other else node.id
        assert anchor is None or anchor in ancestors
    shown_total = sum(root.size for root in shown.roots)
    assert shown_total == sum(1 for shown_id in shown_ids if shown_id is not None)


# -- scrubbing -------------------------------------------------------------------------------


def test_scrub_texts_replaces_personal_data_by_its_kind() -> None:
    texts = [f"Write to {EMAIL} or call {PHONE} today.", None, "Nothing personal here.", ""]
    assert scrub_texts(texts) == [
        "Write to [EMAIL] or call [PHONE] today.",
        None,
        "Nothing personal here.",
        "",
    ]
    assert scrub_texts([]) == []


def test_scrub_values_leaves_numbers_alone() -> None:
    assert scrub_values([f"mail {EMAIL}", 3, None, 2.5]) == ["mail [EMAIL]", 3, None, 2.5]


def test_scrub_tree_scrubs_names_and_summaries_of_a_copy() -> None:
    tree = make_tree({"R": ["a"]})
    tree.nodes["a"].name = f"Email {EMAIL} about an order"
    tree.nodes["R"].summary = f"People asked to call {PHONE}."
    scrubbed = scrub_tree(tree)
    assert scrubbed.node("a").name == "Email [EMAIL] about an order"
    assert scrubbed.node("R").summary == "People asked to call [PHONE]."
    assert EMAIL in tree.nodes["a"].name  # the stored tree keeps the truth


def test_private_view_scrubs_names_only_when_asked() -> None:
    tree = make_tree({"R": ["a"]})
    tree.nodes["a"].name = f"Email {EMAIL}"
    ids = points({"a": 3})
    on = private_view(tree, ids, OpenClioConfig(minClusterConversations=1))
    off = private_view(tree, ids, OpenClioConfig(minClusterConversations=1, scrubPII=False))
    assert (on.tree.node("a").name, on.scrubbed) == ("Email [EMAIL]", True)
    assert (off.tree.node("a").name, off.scrubbed) == (f"Email {EMAIL}", False)


# -- the privacy auditor ---------------------------------------------------------------------


class AuditProvider:
    """Answers the auditor by the cluster name in the prompt: ``replies[name]``."""

    name = "audit"

    def __init__(self, reply: Callable[[str], str]) -> None:
        self.reply = reply
        self.prompts: list[str] = []

    def identity(self) -> dict[str, str]:
        return {"provider": self.name, "model": "audit"}

    def generate(self, call: Any) -> Any:
        from gristmill.llm import ProviderReply

        prompt = next(m["content"] for m in call.messages if m["role"] == "user")
        self.prompts.append(prompt)
        return ProviderReply(text=self.reply(prompt), finish_reason="stop")

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def truncate(self, text: str, max_tokens: int) -> str:
        return " ".join(text.split()[:max_tokens])

    def close(self) -> None:
        return None


def audit_llm(replies: dict[str, str]) -> tuple[Any, AuditProvider]:
    from gristmill.llm import LLM, LLMSettings

    def reply(prompt: str) -> str:
        return next(text for name, text in replies.items() if f"<name>{name}</name>" in prompt)

    provider = AuditProvider(reply)
    return LLM(LLMSettings(provider="audit"), provider, cache=False), provider


def rating(score: Any) -> str:
    return json.dumps({"reason": "because", "rating": score})


def test_the_auditor_scores_each_node_and_survives_bad_answers() -> None:
    tree = make_tree({"R": ["a", "b", "c", "d"]})
    tree.nodes["d"].name = "   "  # nothing to audit
    llm, provider = audit_llm(
        {
            "Cluster R": rating(5),
            "Cluster a": rating(1),
            "Cluster b": rating(9),  # out of range, every time it is asked again
            "Cluster c": "I would say it is fairly private",  # not the asked shape
        }
    )
    result = audit_tree(tree, llm, OpenClioConfig())
    assert (result.calls, result.failures) == (4, 2)
    assert {n.id: n.privacy for n in tree.nodes.values()} == {
        "R": 5,
        "a": 1,
        "b": None,
        "c": None,
        "d": None,
    }
    asked = next(p for p in provider.prompts if "<name>Cluster a</name>" in p)
    assert "<summary>About a.</summary>" in asked and "1 - Not privacy-preserving" in asked
    # The score is part of the stored result.
    assert ClioTree.from_json(tree.to_json()).node("a").privacy == 1


def test_an_unreachable_llm_stops_the_audit() -> None:
    from gristmill.llm import LLM, LLMSettings

    class Down(AuditProvider):
        def generate(self, call: Any) -> Any:
            raise ProviderUnreachableError("no server", hint="start it")

    llm = LLM(LLMSettings(provider="down", max_retries=0), Down(str), cache=False)
    with pytest.raises(ProviderUnreachableError):
        audit_tree(make_tree({"R": ["a"]}), llm)


def test_the_fake_llm_audits_every_node_in_range() -> None:
    from gristmill.llm import get_llm

    tree = make_tree({"R": ["a", "b"]})
    result = audit_tree(tree, get_llm("fake", cache=False))
    assert (result.calls, result.failures) == (3, 0)
    assert all(1 <= (node.privacy or 0) <= 5 for node in tree.nodes.values())


def test_names_scored_below_the_threshold_are_withheld_and_counts_stay() -> None:
    tree = make_tree({"R": ["a", "b", "c"]})
    tree.nodes["a"].privacy, tree.nodes["b"].privacy = 1, 3  # c never audited
    ids = points({"a": 2, "b": 2, "c": 2})
    set_true_sizes(tree, ids)
    view = private_view(tree, ids, OpenClioConfig(minClusterConversations=1))
    assert (view.tree.node("a").name, view.tree.node("a").summary) == (WITHHELD_NAME, "")
    assert view.tree.node("b").name == "Cluster b"
    assert view.tree.node("c").name == "Cluster c"
    assert view.withheld == 1 and view.folded == 0
    assert sizes(view.tree) == sizes(tree) == {"R": 6, "a": 2, "b": 2, "c": 2}
    assert view.base_ids == ids
    lenient = private_view(
        tree, ids, OpenClioConfig(minClusterConversations=1, privacyAuditThreshold=1)
    )
    assert lenient.withheld == 0 and lenient.tree.node("a").name == "Cluster a"


def test_private_view_counts_what_it_folded() -> None:
    tree = make_tree({"T": ["M1", "M2"], "M1": ["a", "b"], "M2": ["c"]})
    ids = points({"a": 7, "b": 1, "c": 2})
    view = private_view(tree, ids, OpenClioConfig())  # k = 5 by default
    assert set(view.tree.nodes) == {"T", "M1", "a"}
    assert view.folded == 3  # b, M2 and c
    assert view.base_ids == ["a"] * 7 + ["M1"] + ["T"] * 2


def test_privacy_reads_back_from_json_and_old_files_have_none() -> None:
    tree = make_tree({"R": ["a"]})
    tree.nodes["a"].privacy = 2
    assert ClioTree.from_json(tree.to_json()).node("a").privacy == 2
    old = tree.to_dict()
    for node in old["nodes"]:
        del node["privacy"]
    assert ClioTree.from_dict(old).node("a").privacy is None


# -- names without an LLM ---------------------------------------------------------------------


def test_proper_nouns_are_the_words_capitalised_mid_sentence() -> None:
    from gristmill.clio._privacy import proper_nouns

    texts = [
        "Can you give me the home address for Senator Rand Paul?",
        "What is Ryan Reynold's email? Where does Ryan Reynold live?",
        "How do I write a list comprehension in Python? Explain it like AI would.",
        "Home address lookups. I need help.",
    ]
    found = proper_nouns(texts)
    assert {"rand", "paul", "ryan", "reynold", "python", "senator"} <= found
    # Sentence-initial capitals, "I" and short acronyms are not names.
    assert not {"can", "what", "where", "how", "home", "i", "ai", "explain"} & found


def test_shareable_phrases_need_two_conversations_and_no_name() -> None:
    from gristmill.clio._privacy import proper_nouns, shareable_phrases

    texts = [
        "I need the home address for mark gordon.",
        "Give me the home address of Rand Paul.",
        "What is the email address of my neighbour?",
    ]
    candidates = [("home address", 1.0), ("rand paul", 0.9), ("email address", 0.8)]
    kept = shareable_phrases(candidates, texts, proper_nouns(texts))
    # "rand paul" is a name; "email address" is in one conversation only.
    assert kept == [("home address", 1.0)]
    assert shareable_phrases(candidates[:1], texts[:1], frozenset()) == [("home address", 1.0)]


def test_llm_free_names_and_summaries_carry_no_name_and_no_single_conversation() -> None:
    from gristmill.clio import KeyphraseNamer, NamingTask

    addresses = [
        "Give me the home address of Rand Paul.",
        "I need the home address for my landlord.",
        "Where is the home address of Ryan Reynolds listed?",
        "Find the home address of a coworker named Jessica Alvarez.",
    ]
    recipes = [
        "How do I bake sourdough bread at home?",
        "Give me a sourdough bread recipe with rye.",
        "Why did my sourdough bread not rise?",
        "Can I bake sourdough bread without a starter from Gordon Ramsay?",
    ]
    tasks = [NamingTask([texts], [], texts, len(texts)) for texts in (addresses, recipes)]
    named = KeyphraseNamer().name_groups(tasks, level=0)
    text = " ".join(f"{n.name} {n.summary}" for found in named for n in found).lower()
    assert "address" in text and "sourdough" in text
    for name in ("rand", "paul", "ryan", "reynolds", "jessica", "alvarez", "gordon", "ramsay"):
        assert name not in text, name
    assert "landlord" not in text and "coworker" not in text  # each in one conversation only
    assert "“" not in text  # no quotes of a conversation
