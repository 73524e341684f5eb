"""Experiments over the API: create and run one with the fake model on 20 dialogue rows, then
read its table, best and worst rows, per-row predictions and a model comparison; errors too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures import DIALOGUES, read_jsonl
from tests.server.conftest import MakeClient, assert_error, wait_for_job

URL = "/api/v1/experiments"
MODELS = [
    {"address": "fake", "label": "fake-a"},
    {"address": "fake", "label": "fake-terse", "system_prompt": "Be terse."},
]


@pytest.fixture(autouse=True)
def offered_models(project_dir: Path) -> None:
    """A server offers only the models its gristmill.yml names: here the deterministic stand-in,
    and one whose server is down."""
    (project_dir / "gristmill.yml").write_text(
        "models:\n  fake: {provider: fake}\n"
        "  down: {provider: openai, model: none, base_url: 'http://127.0.0.1:9/v1'}\n",
        encoding="utf-8",
    )


@pytest.fixture
def dialogues() -> str:
    """local/dialogues: meeting dialogues with three human summaries each (tests/fixtures)."""
    import gristmill as gm

    gm.create_dataset(
        gm.DatasetConfig(
            namespace="local", name="dialogues", source=gm.JSONSource(filepaths=[str(DIALOGUES)])
        ),
        show_progress=False,
    )
    return "local/dialogues"


def _request(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "fake-sum",
        "dataset": "local/dialogues",
        "input_column": "dialogue",
        "reference_columns": ["summary", "topic_summary"],
        "models": MODELS,
        "metrics": ["rouge", "chrf"],
        "max_samples": 20,
    }
    return {**body, **changes}


def _run(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = client.post(URL, json=_request(**changes))
    assert response.status_code == 202, response.text
    started: dict[str, Any] = response.json()
    assert started["dataset"] == "local/dialogues"
    assert isinstance(started["job_id"], str)
    job = wait_for_job(client, started["job_id"], timeout=120.0)
    assert job["status"] == "completed", job
    assert job["kind"] == "experiment"
    return started


def test_create_run_and_read_an_experiment(client: TestClient, dialogues: str) -> None:
    assert client.get(URL).json() == {"experiments": []}
    started = _run(client)
    assert started["name"] == "fake-sum"

    listed = client.get(URL).json()["experiments"]
    assert [(e["name"], e["status"], e["num_rows"]) for e in listed] == [
        ("fake-sum", "completed", 20)
    ]
    assert listed[0]["models"] == ["fake-a", "fake-terse"]

    detail = client.get(f"{URL}/fake-sum").json()
    assert detail["status"] == "completed" and detail["error"] is None
    assert detail["config"]["input_column"] == "dialogue"
    assert detail["num_rows"] == 20 and detail["errors"] == {}
    assert detail["metrics"] == ["rouge1", "rouge2", "rougeL", "rougeLsum", "chrf"]
    outcome = detail["models"][0]
    assert outcome["prediction_column"] == "dialogue__pred__fake-a"
    assert outcome["status"] == "completed" and outcome["n_rows"] == 20
    chrf_column = outcome["score_columns"]["chrf"]
    # The score column is a real dataset path: the dataset can be sorted by it.
    rows = client.post(
        "/api/v1/datasets/local/dialogues/select_rows",
        json={"columns": [chrf_column], "sort_by": [chrf_column], "limit": 3},
    ).json()["rows"]
    assert rows[0][chrf_column] is not None

    cells = {(c["model"], c["metric"]): c for c in detail["table"]}
    chrf = cells[("fake-a", "chrf")]
    assert chrf["kind"] == "metric" and chrf["higher_is_better"] is True and chrf["n"] == 20
    assert chrf["ci_low"] <= chrf["mean"] <= chrf["ci_high"]
    assert chrf["mean"] > 0  # the fake's words share characters with real summaries
    assert cells[("fake-a", "latency_s")]["kind"] == "usage"
    assert cells[("fake-a", "latency_s")]["higher_is_better"] is None

    # Best and worst rows, ordered by the score, with input, references and prediction.
    found = client.get(
        f"{URL}/fake-sum/best_worst", params={"model": "fake-a", "metric": "chrf", "n": 3}
    ).json()
    assert found["metric"] == "chrf" and found["column"] == chrf_column
    best = [r["scores"]["chrf"] for r in found["best"]]
    worst = [r["scores"]["chrf"] for r in found["worst"]]
    assert len(best) == len(worst) == 3
    assert best == sorted(best, reverse=True) and worst == sorted(worst)
    assert best[0] >= worst[0]
    top = found["best"][0]
    assert top["input"] in {row["dialogue"] for row in read_jsonl(DIALOGUES)}
    assert len(top["references"]) == 2
    assert isinstance(top["prediction"], str) and top["prediction"]
    # A metric name stands for its first sub-metric.
    by_metric = client.get(
        f"{URL}/fake-sum/best_worst", params={"model": "fake-a", "metric": "rouge"}
    ).json()
    assert by_metric["metric"] == "rouge1" and len(by_metric["best"]) == 5

    page = client.get(
        f"{URL}/fake-sum/rows", params={"model": "fake-terse", "limit": 5, "offset": 15}
    ).json()
    assert page["total_num_rows"] == 20 and page["model"] == "fake-terse"
    assert [r["rowid"] for r in page["rows"]] == [15, 16, 17, 18, 19]
    assert set(page["rows"][0]["scores"]) == set(detail["metrics"])

    compared = client.get(f"{URL}/fake-sum/compare", params={"a": "fake-a", "b": "fake-terse"})
    body = compared.json()
    assert compared.status_code == 200, body
    assert (body["model_a"], body["model_b"]) == ("fake-a", "fake-terse")
    chrf_pair = body["metrics"]["chrf"]
    assert chrf_pair["n"] == 20
    assert chrf_pair["wins"] + chrf_pair["ties"] + chrf_pair["losses"] == 20
    assert chrf_pair["mean_difference"] == pytest.approx(
        cells[("fake-a", "chrf")]["mean"] - cells[("fake-terse", "chrf")]["mean"]
    )

    # Errors on an existing experiment.
    missing_model = client.get(
        f"{URL}/fake-sum/best_worst", params={"model": "gpt", "metric": "chrf"}
    )
    assert "fake-a" in str(assert_error(missing_model, 404, "not_found")["hint"])
    assert_error(
        client.get(f"{URL}/fake-sum/best_worst", params={"model": "fake-a", "metric": "bleu"}),
        400,
        "invalid_input",
    )
    assert_error(
        client.get(
            f"{URL}/fake-sum/best_worst", params={"model": "fake-a", "metric": "chrf", "n": 0}
        ),
        422,
        "validation_error",
    )
    assert_error(
        client.get(f"{URL}/fake-sum/compare", params={"a": "fake-a", "b": "fake-a"}),
        400,
        "invalid_input",
    )
    # Same name, other settings: refused unless overwrite.
    conflict = client.post(URL, json=_request(metrics=["chrf"]))
    assert_error(conflict, 409, "already_exists")


def test_a_failing_model_is_reported_and_the_others_still_run(
    client: TestClient, dialogues: str
) -> None:
    models = [MODELS[0], {"address": "down", "label": "down"}]
    _run(client, name="with-failure", models=models, metrics=["chrf"], max_samples=3)
    detail = client.get(f"{URL}/with-failure").json()
    assert detail["status"] == "completed"
    assert set(detail["errors"]) == {"down"}
    down = detail["models"][1]
    assert down["status"] == "failed" and down["error"]
    assert {c["model"] for c in detail["table"]} == {"fake-a"}
    failed_rows = client.get(f"{URL}/with-failure/rows", params={"model": "down"})
    assert_error(failed_rows, 400, "invalid_input")


def test_bad_requests_fail_before_any_job(client: TestClient, dialogues: str) -> None:
    assert_error(client.get(f"{URL}/nope"), 404, "not_found")
    for path in ("best_worst?model=a&metric=b", "rows?model=a", "compare?a=x&b=y"):
        assert_error(client.get(f"{URL}/nope/{path}"), 404, "not_found")
    error = assert_error(client.post(URL, json=_request(input_column="dialog")), 400,
                         "invalid_path")  # fmt: skip
    assert "dialogue" in str(error["hint"]) + str(error["message"])
    assert_error(client.post(URL, json=_request(dataset="local/missing")), 404, "not_found")
    assert_error(client.post(URL, json=_request(metrics=["no-such-metric"])), 404, "not_found")
    assert_error(client.post(URL, json=_request(models=["nonsense-provider"])), 400,
                 "invalid_input")  # fmt: skip
    assert_error(client.post(URL, json=_request(max_samples=0)), 422, "validation_error")
    assert_error(client.post(URL, json=_request(modles=["fake"])), 422, "validation_error")
    assert client.get(URL).json() == {"experiments": []}
    assert client.get("/api/v1/jobs").json()["jobs"][0]["kind"] == "load"


def test_without_models_the_configured_llm_is_used(
    client: TestClient, dialogues: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRISTMILL_LLM", "fake")
    started = _run(client, name="configured", models=None, metrics=["chrf"], max_samples=2)
    detail = client.get(f"{URL}/{started['name']}").json()
    assert [m["address"] for m in detail["models"]] == ["fake"]


def test_read_only_server_lists_but_does_not_create(
    make_client: MakeClient, dialogues: str
) -> None:
    client = make_client(read_only=True)
    assert client.get(URL).status_code == 200
    assert_error(client.post(URL, json=_request()), 403, "read_only")
