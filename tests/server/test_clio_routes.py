"""Conversation insights over REST: compute them (a job), list the runs, read a clustered facet
as a private view whose nodes filter the rows to exactly their conversations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures import CHATS, read_jsonl, write_jsonl
from tests.server.conftest import assert_error, start_and_finish

URL = "/api/v1/datasets/local/chats"
CHAT_ROWS = 80  # both sides of the 40 fixture chats: enough for a two-level hierarchy
COLUMN = "messages__clio"


@pytest.fixture
def chats(tmp_path: Path) -> None:
    import gristmill as gm

    rows = [
        {"id": index, "side": side, "messages": line[side]}
        for side in ("chosen", "rejected")
        for index, line in enumerate(read_jsonl(CHATS))
    ]
    source = gm.JSONSource(filepaths=[str(write_jsonl(tmp_path / "chats.jsonl", rows))])
    gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="chats", source=source), show_progress=False
    )


@pytest.fixture(autouse=True)
def no_configured_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GRISTMILL_LLM", "GRISTMILL_LLM_BASE_URL", "GRISTMILL_LLM_API_KEY_ENV"):
        monkeypatch.delenv(name, raising=False)


def _count(client: TestClient, filters: list[dict[str, Any]]) -> int:
    response = client.post(f"{URL}/count", json={"filters": filters})
    assert response.status_code == 200, response.text
    count: int = response.json()["count"]
    return count


def _in(key: str, ids: list[str]) -> dict[str, Any]:
    return {"path": f"{COLUMN}.{key}_cluster", "op": "in", "value": ids}


def test_compute_list_and_read_a_facet(
    client: TestClient, chats: None, fake_embedding: str
) -> None:
    assert client.get(f"{URL}/clio").json() == {"columns": []}
    compute = {"path": "messages", "embedding": fake_embedding}
    job = start_and_finish(client, f"{URL}/compute_clio", compute)
    assert job["kind"] == "clio" and job["dataset"] == "local/chats"
    # Stored with the same settings: nothing to do.
    again = client.post(f"{URL}/compute_clio", json=compute)
    assert again.status_code == 202 and again.json()["job_id"] is None

    [info] = client.get(f"{URL}/clio").json()["columns"]
    assert info["column"] == COLUMN and info["path"] == "messages"
    assert info["mode"] == "extractive" and info["conversations"] == CHAT_ROWS
    facets = {facet["name"]: facet for facet in info["facets"]}
    assert facets["Concerning"] == {
        "name": "Concerning", "key": "concerning", "numeric": [1, 5], "clustered": False
    }  # fmt: skip
    assert facets["Request"]["clustered"] and facets["Task"]["clustered"]
    bars = info["histograms"]["Concerning"]
    assert [bar["value"] for bar in bars] == [1, 2, 3, 4, 5]
    for bar in bars:  # a bar counts the rows its filter selects
        equals = {"path": f"{COLUMN}.concerning", "op": "equals", "value": bar["value"]}
        assert _count(client, [equals]) == bar["count"]
    assert sum(bar["count"] for bar in bars) <= CHAT_ROWS

    view = client.get(f"{URL}/clio/{COLUMN}/Request").json()
    assert view["facet"] == "Request" and view["key"] == "request"
    assert view["min_conversations"] == 5 and view["scrubbed"] is True
    nodes = {node["id"]: node for node in view["nodes"]}
    assert view["roots"] and all(nodes[root]["parent"] is None for root in view["roots"])
    assert max(node["level"] for node in nodes.values()) >= 1  # a hierarchy, not a flat list
    assert sum(nodes[root]["size"] for root in view["roots"]) == CHAT_ROWS
    for node in nodes.values():
        assert node["size"] >= 5  # k-anonymity: no shown cluster is smaller
        assert _count(client, [_in("request", node["base_ids"])]) == node["size"]
        assert sum(nodes[child]["size"] for child in node["children"]) in (0, node["size"])
    points = view["points"]
    assert len(points["rowid"]) == len(points["x"]) == len(points["node"]) == CHAT_ROWS
    assert set(points["node"]) <= set(nodes)
    # The key names the facet too.
    assert client.get(f"{URL}/clio/{COLUMN}/request").json()["nodes"] == view["nodes"]

    # Recomputed with other facets: the views read the new run, not the one read before.
    generic = {**compute, "facets": "generic", "overwrite": True}
    start_and_finish(client, f"{URL}/compute_clio", generic)
    [info] = client.get(f"{URL}/clio").json()["columns"]
    assert "Request" not in {facet["name"] for facet in info["facets"]}
    assert_error(client.get(f"{URL}/clio/{COLUMN}/Request"), 404, "not_found")


def test_a_higher_threshold_folds_clusters_and_a_lower_one_is_refused(
    client: TestClient, chats: None, fake_embedding: str
) -> None:
    start_and_finish(
        client, f"{URL}/compute_clio", {"path": "messages", "embedding": fake_embedding}
    )
    import gristmill as gm

    stored = gm.clio.read(gm.get_dataset("local", "chats"), "messages").clusters["Request"]
    sizes = sorted(node.size for node in stored.tree.nodes.values() if node.level == 0)
    threshold = sizes[len(sizes) // 2] + 1  # about half the base clusters are too small
    view = client.get(
        f"{URL}/clio/{COLUMN}/Request", params={"min_conversations": threshold}
    ).json()
    assert view["min_conversations"] == threshold and view["folded"] > 0
    nodes = {node["id"]: node for node in view["nodes"]}
    shown = {node_id for node_id in nodes if node_id in stored.tree.nodes}
    hidden = [node for node in stored.tree.nodes.values() if node.id not in shown]
    assert hidden and all(node["size"] >= threshold for node in nodes.values())
    text = json.dumps(view["nodes"])
    for node in hidden:  # a folded cluster's name is in no view
        if node.name not in {shown_node.name for shown_node in map(stored.tree.node, shown)}:
            assert json.dumps(node.name) not in text
    for node in nodes.values():  # folded or not, a node's base ids select its conversations
        assert _count(client, [_in("request", node["base_ids"])]) == node["size"]

    facet = f"{URL}/clio/{COLUMN}/Request"
    error = assert_error(client.get(facet, params={"min_conversations": 1}), 400, "invalid_input")
    assert "not lower" in str(error["message"])
    too_big = client.get(facet, params={"min_conversations": 10**12})
    assert_error(too_big, 400, "invalid_input")
    assert_error(client.get(facet, params={"min_conversations": "x"}), 422, "validation_error")
    assert_error(client.get(f"{URL}/clio/{COLUMN}/Nope"), 404, "not_found")
    # Concerning is a number per conversation, without a hierarchy.
    assert_error(client.get(f"{URL}/clio/{COLUMN}/Concerning"), 400, "invalid_input")
    assert_error(client.get(f"{URL}/clio/other__clio/Request"), 404, "not_found")
    # Other settings than the stored ones: 409 unless overwrite.
    generic = {"path": "messages", "embedding": fake_embedding, "facets": "generic"}
    assert_error(client.post(f"{URL}/compute_clio", json=generic), 409, "already_exists")


def test_compute_errors_are_4xx_before_any_job(
    client: TestClient, chats: None, fake_embedding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    compute = f"{URL}/compute_clio"
    missing = client.post(compute, json={"path": "nope", "embedding": fake_embedding})
    assert missing.status_code in (400, 404), missing.text
    assert set(missing.json()) == {"error"}
    address = {"path": "messages", "embedding": "openai:http://evil.example/v1"}
    assert_error(client.post(compute, json=address), 400, "invalid_input")
    # A request never names an LLM; only the operator's configured one may be used.
    named = {"path": "messages", "llm": "openai/gpt-4o"}
    assert_error(client.post(compute, json=named), 422, "validation_error")
    from gristmill.server.routes import _clio

    monkeypatch.setattr(_clio, "local_llm_available", lambda: False)
    with_llm = {"path": "messages", "embedding": fake_embedding, "use_llm": True}
    assert_error(client.post(compute, json=with_llm), 400, "missing_dependency")
    assert_error(client.get(f"{URL}/clio/{COLUMN}/Request"), 404, "not_found")
    jobs = client.get("/api/v1/jobs", params={"dataset": "local/chats"}).json()["jobs"]
    assert [job["kind"] for job in jobs] == ["load"]
