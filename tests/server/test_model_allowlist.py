"""Over REST a request names models only as the server offers them (gristmill.yml's models:
block and the embedded ones): an address with a URL, a path, a provider or a key variable is
refused before anything is contacted or loaded, and GET /models lists what may be named.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.llm.recording_server import RecordingServer, recording_server
from tests.server.conftest import assert_error, wait_for_job

DATASET = "local/notes"
DATASET_URL = f"/api/v1/datasets/{DATASET}"
SECRET = "sk-server-SECRET-0123456789"
ROWS = [
    {"text": "Alice met Bob at noon to plan the garden.", "summary": "Alice and Bob plan."},
    {"text": "The train was late, so Carol took a taxi home.", "summary": "Carol took a taxi."},
    {"text": "Dan baked bread and shared it with his neighbours.", "summary": "Dan shared bread."},
]
# Addresses a request must never bring: a new server, a file on the server, a provider's model.
REFUSED_LLMS = [
    "openai:{attacker}/v1/x",
    "openai/gpt-4o-mini",
    "local:/etc/passwd",
    "hf/facebook/bart-large-cnn",
    "fake",
]
REFUSED_EMBEDDINGS = [
    "openai",
    "openai/text-embedding-3-small",
    "sentence-transformers//etc",
    "sentence-transformers/all-MiniLM-L6-v2",
]


@pytest.fixture
def attacker() -> Iterator[RecordingServer]:
    with recording_server() as server:
        yield server


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A three-row dataset, and a server key in the environment that must never leave."""
    import gristmill as gm

    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="notes", source=gm.JSONSource(filepaths=[str(path)])
        ),
        show_progress=False,
    )
    return DATASET


def configure(project_dir: Path, text: str) -> None:
    (project_dir / "gristmill.yml").write_text(text, encoding="utf-8")


def assert_refused(response: Any, status: int = 400) -> dict[str, object]:
    error = assert_error(response, status, "invalid_input" if status == 400 else "not_found")
    assert "GET /api/v1/models" in str(error["hint"]) and "models:" in str(error["hint"])
    return error


def experiment(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "dataset": DATASET,
        "input_column": "text",
        "reference_columns": ["summary"],
        "metrics": ["chrf"],
        "name": "allowlist",
    }
    return {**body, **changes}


def test_experiments_refuse_models_the_server_does_not_name(
    client: TestClient, notes: str, attacker: RecordingServer
) -> None:
    for refused in REFUSED_LLMS:
        address = refused.format(attacker=attacker.url)
        assert_refused(client.post("/api/v1/experiments", json=experiment(models=[address])))
        as_config = {"address": address, "label": "x"}
        assert_refused(client.post("/api/v1/experiments", json=experiment(models=[as_config])))
    # A request cannot pick a server, a key variable or a judge: those fields do not exist.
    for extra in (
        {"base_url": attacker.base_url},
        {"api_key_env": "OPENAI_API_KEY"},
        {"model_path": "/etc/passwd"},
    ):
        smuggled = {"address": "local", "label": "x", **extra}
        response = client.post("/api/v1/experiments", json=experiment(models=[smuggled]))
        assert_error(response, 422, "validation_error")
    judged = experiment(models=["local"], judge_model=f"openai:{attacker.base_url}/x")
    assert_error(client.post("/api/v1/experiments", json=judged), 422, "validation_error")
    assert client.get("/api/v1/experiments").json() == {"experiments": []}
    assert attacker.requests == []


def test_clusters_refuse_llms_and_embeddings_the_server_does_not_name(
    client: TestClient, notes: str, attacker: RecordingServer
) -> None:
    url = f"{DATASET_URL}/cluster"
    for address in REFUSED_LLMS:
        body = {"path": "text", "use_llm": True, "llm": address.format(attacker=attacker.url)}
        assert_refused(client.post(url, json=body))
    for name in REFUSED_EMBEDDINGS:
        assert_refused(client.post(url, json={"path": "text", "embedding": name}))
    assert_refused(client.post(url, json={"path": "text", "embedding": "nope"}), 404)
    assert attacker.requests == []
    assert client.get("/api/v1/jobs").json()["jobs"][0]["kind"] == "load"


def test_enrichment_and_concepts_refuse_embeddings_the_server_does_not_name(
    client: TestClient, notes: str
) -> None:
    concept = {"namespace": "gristmill", "name": "profanity", "path": "text"}
    signal = {"signal": "semantic_duplicates", "path": "text"}
    for name in REFUSED_EMBEDDINGS:
        requests = [
            (f"{DATASET_URL}/compute_embedding", {"path": "text", "embedding": name}),
            (f"{DATASET_URL}/compute_concept", {**concept, "embedding": name}),
            (f"{DATASET_URL}/compute_signal", {**signal, "params": {"embedding": name}}),
            ("/api/v1/concepts/gristmill/profanity/train", {"embedding": name}),
        ]
        for url, body in requests:
            assert_refused(client.post(url, json=body))
        detail = client.get("/api/v1/concepts/gristmill/profanity", params={"embedding": name})
        assert_refused(detail)
    assert client.get("/api/v1/jobs").json()["jobs"][0]["kind"] == "load"


def test_searches_refuse_embeddings_the_server_does_not_name(
    client: TestClient, notes: str
) -> None:
    semantic = {"type": "semantic", "path": "text", "query": "bread"}
    concept = {"type": "concept", "path": "text", "concept_namespace": "gristmill"}
    for name in REFUSED_EMBEDDINGS:
        for search in (
            {**semantic, "embedding": name},
            {**concept, "concept_name": "profanity", "embedding": name},
        ):
            for route in ("select_rows", "count", "delete_rows", "restore_rows"):
                response = client.post(f"{DATASET_URL}/{route}", json={"searches": [search]})
                assert_refused(response)
            for route in ("labels", "labels/remove"):
                body = {"name": "x", "searches": [search]}
                assert_refused(client.post(f"{DATASET_URL}/{route}", json=body))


def test_a_search_over_an_embedding_the_dataset_holds_is_answered(
    client: TestClient, notes: str, fake_embedding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An embedding the operator computed (from Python or the CLI) under a name the server does
    # not offer, e.g. 'sentence-transformers/...', stays searchable: the model was theirs.
    import gristmill as gm
    from gristmill.server import _model_catalog

    gm.get_dataset("local", "notes").compute_embedding(fake_embedding, "text", show_progress=False)
    monkeypatch.setattr(_model_catalog, "allowed_embedding_names", lambda: ["minilm"])
    search = {"type": "semantic", "path": "text", "query": "bread", "embedding": fake_embedding}
    found = client.post(f"{DATASET_URL}/select_rows", json={"searches": [search]})
    assert found.status_code == 200, found.text
    assert len(found.json()["rows"]) == len(ROWS)
    other = {**search, "embedding": "sentence-transformers/all-MiniLM-L6-v2"}
    assert_refused(client.post(f"{DATASET_URL}/select_rows", json={"searches": [other]}))


def test_the_models_route_lists_what_may_be_named_and_no_secret(
    client: TestClient, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.llm import local_llm_available

    monkeypatch.setenv("SUMM_KEY", SECRET)
    monkeypatch.delenv("MISSING_KEY", raising=False)
    configure(
        project_dir,
        "models:\n"
        "  summ: {provider: openai, model: qwen3-8b, base_url: 'http://10.1.2.3:8000/v1', "
        "api_key_env: SUMM_KEY}\n"
        "  nokey: {provider: openai, model: big, base_url: 'http://10.1.2.4/v1', "
        "api_key_env: MISSING_KEY}\n"
        "  tiny: {provider: local, model_path: /srv/models/tiny.gguf}\n"
        "  bge: {kind: embedding, provider: openai, model: bge-small, "
        "base_url: 'http://10.1.2.3:8000/v1'}\n",
    )
    response = client.get("/api/v1/models")
    assert response.status_code == 200
    listed = response.json()
    llms = {m["name"]: m for m in listed["llms"]}
    assert llms["summ"] == {
        "name": "summ",
        "kind": "llm",
        "provider": "openai",
        "model": "qwen3-8b",
        "remote": True,
        "key_set": True,
    }
    assert llms["nokey"]["key_set"] is False
    assert llms["tiny"]["model"] == "tiny.gguf" and llms["tiny"]["remote"] is False
    assert ("local" in llms) == local_llm_available()
    assert "fake" not in llms
    embeddings = {m["name"]: m for m in listed["embeddings"]}
    assert {"bge", "minilm", "wordllama"} <= set(embeddings)
    assert not {"openai", "sentence-transformers"} & set(embeddings)
    assert embeddings["bge"]["key_set"] is None  # no key is configured for that server
    assert listed["default_embedding"] == "minilm"
    # Never a key, a key variable, a base URL or where a file lives.
    for secret in (SECRET, "SUMM_KEY", "10.1.2.3", "/srv/models"):
        assert secret not in response.text
    # What the list names is accepted, and the enrichment list agrees with it.
    assert set(client.get("/api/v1/embeddings").json()["embeddings"]) == set(embeddings)


def test_the_embedding_block_of_gristmill_yml_offers_openai(
    client: TestClient, project_dir: Path
) -> None:
    configure(project_dir, "embedding:\n  openai: {base_url: 'http://10.1.2.3/v1', model: e5}\n")
    names = [m["name"] for m in client.get("/api/v1/models").json()["embeddings"]]
    assert "openai" in names
    assert_refused(
        client.post("/api/v1/concepts/gristmill/profanity/train", json={"embedding": "openai/x"})
    )


def test_a_named_model_runs_an_experiment_and_its_key_goes_only_to_its_server(
    client: TestClient,
    notes: str,
    project_dir: Path,
    attacker: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUMM_KEY", "sk-summ-0123456789")
    with recording_server() as summ:
        configure(
            project_dir,
            # The configured default LLM (the judge's) is the named model too.
            "llm: summ\nmodels:\n"
            f"  summ: {{provider: openai, model: qwen3-8b, base_url: '{summ.base_url}', "
            "api_key_env: SUMM_KEY}\n",
        )
        body = experiment(models=["summ"], metrics=["chrf", "llm_judge"])
        response = client.post("/api/v1/experiments", json=body)
        assert response.status_code == 202, response.text
        job = wait_for_job(client, response.json()["job_id"], timeout=120.0)
        assert job["status"] == "completed", job
        detail = client.get("/api/v1/experiments/allowlist").json()
        assert detail["errors"] == {}
        judged = [c for c in detail["table"] if c["metric"] == "llm_judge"]
        assert judged and judged[0]["mean"] == 4.0
        # Three answers and three verdicts, each with the key configured for this server.
        assert summ.authorizations() == ["Bearer sk-summ-0123456789"] * 6
        assert {r.body["model"] for r in summ.requests} == {"qwen3-8b"}
    assert attacker.requests == []


def test_a_real_server_refuses_a_new_url_and_never_calls_it(
    notes: str, attacker: RecordingServer
) -> None:
    import gristmill as gm

    handle = gm.start_server(port=0)
    try:
        with httpx.Client(base_url=handle.url, timeout=30.0) as http:
            address = f"openai:{attacker.base_url}/x"
            response = http.post("/api/v1/experiments", json=experiment(models=[address]))
            assert_refused(response)
            cluster = {"path": "text", "use_llm": True, "llm": address}
            assert_refused(http.post(f"{DATASET_URL}/cluster", json=cluster))
            embed = {"path": "text", "embedding": "openai"}
            assert_refused(http.post(f"{DATASET_URL}/compute_embedding", json=embed))
            assert [job["kind"] for job in http.get("/api/v1/jobs").json()["jobs"]] == ["load"]
    finally:
        handle.stop()
    assert attacker.requests == []
