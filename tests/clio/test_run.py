"""gm.clio.run end to end: facets, base clusters, the hierarchy, the map, and a site from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import gristmill as gm
from gristmill.clio import ClioResult, OpenClioConfig, run
from gristmill.llm import get_llm
from tests.clio.conftest import WORDS_EMBEDDING

EMBEDDING = WORDS_EMBEDDING
QUIET = OpenClioConfig(verbose=False)


@pytest.fixture(autouse=True)
def fake_embedding(words_embedding: str) -> None:
    """Every test here embeds with the bag-of-words stand-in (tests/clio/conftest.py)."""


def _check_result(result: ClioResult, n: int) -> None:
    assert set(result.clusters) == {"Request", "Task"}  # the facets with summary criteria
    for clusters in result.clusters.values():
        tree = clusters.tree
        leaves = {node.id for node in tree.nodes.values() if node.level == 0}
        assert len(clusters.base_ids) == n
        assert {base for base in clusters.base_ids if base is not None} <= leaves
        # Every node but the roots sits under exactly one parent, which lists it.
        for node in tree.nodes.values():
            if node.parent is None:
                assert node in tree.roots
            else:
                assert tree.node(node.parent).children.count(node.id) == 1
        placed = [(x, y) for x, y in zip(clusters.x, clusters.y, strict=True) if x is not None]
        assert placed and all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in placed)
        # The tree's counts are the conversations': a root's size is its leaves' sizes.
        for root in tree.roots:
            assert root.size == sum(leaf.size for leaf in tree.leaves_of(root))
    assert len(result.conversations) == n


def test_the_llm_free_mode_runs_end_to_end_and_again_the_same(chats: list[Any]) -> None:
    first = run(chats, config=QUIET, embedding=EMBEDDING, show_progress=False)
    assert first.mode == "extractive" and first.llm_calls == 0
    _check_result(first, len(chats))
    assert first.hierarchy is first.clusters["Request"].tree
    again = run(chats, config=QUIET, embedding=EMBEDDING, show_progress=False)
    assert again.hierarchy.to_dict() == first.hierarchy.to_dict()
    assert again.clusters["Request"].x == first.clusters["Request"].x


def test_with_an_llm_facets_take_one_call_per_conversation(chats: list[Any]) -> None:
    result = run(
        chats[:30],
        config=QUIET,
        llm=get_llm("fake", cache=False),
        embedding=EMBEDDING,
        show_progress=False,
    )
    assert result.mode == "llm"
    assert result.values.calls == 30  # OpenClio: one call per facet, 120
    assert result.naming_calls > 0
    _check_result(result, 30)


def test_a_run_becomes_a_site(chats: list[Any], tmp_path: Path) -> None:
    from gristmill.site import site_data_from_clio, write_site

    result = run(chats, config=QUIET, embedding=EMBEDDING, show_progress=False)
    data = site_data_from_clio(result, title="Fixture chats")
    assert len(data.conversations) == len(chats)
    assert set(data.trees) == {"Request", "Task"}
    write_site(data, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").exists()
    manifest = json.loads((tmp_path / "site" / "site.json").read_text(encoding="utf-8"))
    assert manifest


def test_no_clustered_facet_has_no_hierarchy(chats: list[Any]) -> None:
    facets = [gm.clio.Facet(name="Language", question="What language is it in?")]
    result = run(chats[:5], facets, QUIET, embedding=EMBEDDING, show_progress=False)
    assert result.clusters == {}
    with pytest.raises(gm.errors.InvalidInputError, match="summaryCriteria"):
        _ = result.hierarchy


def test_every_call_carries_the_configured_sampling_and_template_arguments(
    chats: list[Any],
) -> None:
    from gristmill.llm._provider import ProviderCall, ProviderReply

    llm = get_llm("fake", cache=False)
    sent: list[ProviderCall] = []
    generate = llm.provider.generate

    def spy(call: ProviderCall) -> ProviderReply:
        sent.append(call)
        return generate(call)

    llm.provider.generate = spy  # type: ignore[method-assign]
    config = OpenClioConfig(verbose=False, tokenizerArgs={"enable_thinking": True})
    config.llmExtraInferenceArgs.update(top_p=0.5, top_k=7, min_p=0.05, temperature=0.3)
    result = run(chats[:20], config=config, llm=llm, embedding=EMBEDDING, show_progress=False)
    assert result.naming_calls > 0 and len(sent) == result.llm_calls
    for call in sent:  # the facet calls, every naming and hierarchy call, the auditor's
        assert (call.top_p, call.top_k, call.min_p) == (0.5, 7, 0.05)
        assert call.template_args == {"enable_thinking": True}
    # The privacy auditor judges at temperature 0 (the same name, the same score).
    audits = [call for call in sent if call.temperature == 0.0]
    assert len(audits) == result.audit_calls > 0
    assert all(call.temperature == 0.3 for call in sent if call not in audits)


def test_with_an_llm_every_cluster_name_is_audited(chats: list[Any]) -> None:
    result = run(
        chats[:30],
        config=QUIET,
        llm=get_llm("fake", cache=False),
        embedding=EMBEDDING,
        show_progress=False,
    )
    nodes = [node for c in result.clusters.values() for node in c.tree.nodes.values()]
    assert result.audit_calls == len(nodes)
    assert all(node.privacy is None or 1 <= node.privacy <= 5 for node in nodes)
    assert any(node.privacy is not None for node in nodes)
    free = run(chats[:30], config=QUIET, embedding=EMBEDDING, show_progress=False)
    assert free.audit_calls == 0  # no LLM, no auditor: the names are key phrases of the data


def test_duplicates_share_a_dedup_key(chats: list[Any]) -> None:
    data = chats[:10] + chats[:3]
    result = run(data, config=QUIET, embedding=EMBEDDING, show_progress=False)
    assert result.keys is not None and result.keys[10:] == result.keys[:3]
    assert len(set(result.keys)) == 10
