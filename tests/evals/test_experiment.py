"""Experiments on real data (QMSum dialogues and meetings) with the fake LLM and a test provider
plugin."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gristmill as gm
from gristmill.data.sources import JSONSource
from gristmill.errors import InvalidInputError, InvalidPathError, NotFoundError
from gristmill.evals import (
    Experiment,
    ExperimentResult,
    compute_scores,
    get_experiment,
    list_experiments,
)
from gristmill.llm import ProviderCall, ProviderReply, providers
from tests.fixtures import DIALOGUE_REFERENCES, DIALOGUES, MEETING_ROWS, MEETINGS

REFS = DIALOGUE_REFERENCES  # three human summaries per dialogue, from narrow to broad


class LeadProvider:
    """A test plugin: answers with the first turn of the dialogue in the prompt (a "lead"
    baseline, so its ROUGE is clearly above the fake's random words). Counts its calls and can
    be told to crash on the n-th call."""

    name = "lead"
    calls = 0
    crash_on: int | None = None
    lock = threading.Lock()

    def __init__(self, settings: Any, resources: Any) -> None:
        self.model = settings.model or "lead"

    def identity(self) -> dict[str, str]:
        return {"provider": "lead", "model": self.model}

    def generate(self, call: ProviderCall) -> ProviderReply:
        with LeadProvider.lock:
            LeadProvider.calls += 1
            if LeadProvider.crash_on is not None and LeadProvider.calls >= LeadProvider.crash_on:
                raise RuntimeError("the lead model crashed")
        prompt = call.messages[-1]["content"]
        body = prompt.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
        first = body.strip().splitlines()[0]
        text = first.split(":", 1)[-1].strip()
        return ProviderReply(text=text, input_tokens=len(prompt.split()),
                             output_tokens=len(text.split()), finish_reason="stop")  # fmt: skip

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def truncate(self, text: str, max_tokens: int) -> str:
        return " ".join(text.split()[:max_tokens])

    def close(self) -> None:
        return None


@pytest.fixture(autouse=True)
def lead_provider() -> Iterator[type[LeadProvider]]:
    providers.register("lead", LeadProvider, replace=True)
    LeadProvider.calls = 0
    LeadProvider.crash_on = None
    yield LeadProvider
    providers.unregister("lead")


@pytest.fixture
def dialogues() -> gm.Dataset:
    """eval/dialogues: 50 meeting dialogues, each with three human summaries (tests/fixtures)."""
    source = JSONSource(filepaths=[str(DIALOGUES)])
    config = gm.DatasetConfig(namespace="eval", name="dialogues", source=source)
    return gm.create_dataset(config, show_progress=False)


def run(ds: gm.Dataset, **kwargs: Any) -> ExperimentResult:
    settings: dict[str, Any] = {
        "models": ["fake", "lead"], "metrics": ["rouge", "bleu"], "max_samples": 30,
        "name": "dsum",
    }  # fmt: skip
    settings.update(kwargs)
    return Experiment(ds, "dialogue", REFS, **settings).run(show_progress=False)


def test_experiment_scores_models_against_three_references(dialogues: gm.Dataset) -> None:
    result = run(dialogues)
    table = result.table()
    assert list(table.index) == ["fake", "lead"]
    for model in ("fake", "lead"):
        for sub in ("rouge1", "rougeL", "bleu"):
            mean, low, high = (table.loc[model, (sub, s)] for s in ("mean", "ci_low", "ci_high"))
            assert low <= mean <= high
    assert result.mean("lead", "rougeL") > result.mean("fake", "rougeL") + 0.05
    assert "lead" in str(result) and "[" in str(result)

    # Predictions and scores are dataset columns with their lineage.
    derived = {c.name: c.lineage for c in dialogues.manifest().derived_columns}
    assert derived["dialogue__pred__lead"].kind == "prediction"
    assert derived["dialogue__pred__lead"].params["model"] == "lead"
    assert derived["dialogue__pred__lead__rouge"].kind == "metric"
    rows = dialogues.select_rows(
        ["dialogue__pred__lead.text", "dialogue__pred__lead__rouge.rougeL", *REFS],
        filters=[("__rowid__", "less", 30)], sort_by="__rowid__", sort_order="ASC",
    ).to_list()  # fmt: skip
    assert len(rows) == 30
    predictions = [r["dialogue__pred__lead.text"] for r in rows]
    references = [[r[c] for c in REFS] for r in rows]
    expected = compute_scores(["rouge"], predictions, references)["rougeL"]
    got = [r["dialogue__pred__lead__rouge.rougeL"] for r in rows]
    assert got == pytest.approx(expected, abs=1e-12)
    # Rows outside the sample were not computed; filters work on score columns.
    assert dialogues.count(filters=[("dialogue__pred__lead.text", "exists")]) == 30
    good = dialogues.count(filters=[("dialogue__pred__lead__rouge.rougeL", "greater", 0.2)])
    assert good == sum(v > 0.2 for v in got)
    # Latency and tokens are summarised too.
    assert result.mean("lead", "output_tokens") > 0


def test_best_worst_compare_and_export(dialogues: gm.Dataset, tmp_path: Path) -> None:
    result = run(dialogues, models=["lead", "fake"], metrics=["rouge"])
    views = result.best_worst("lead", "rougeL", n=3)
    best, worst = views["best"], views["worst"]
    assert list(best.columns) == ["__rowid__", "input", "references", "prediction", "rougeL"]
    assert len(best) == 3 and len(worst) == 3
    assert best["rougeL"].min() >= worst["rougeL"].max()
    [source_row] = dialogues.select_rows(
        ["dialogue"], filters=[("__rowid__", "equals", int(best.loc[0, "__rowid__"]))]
    ).to_list()
    assert len(best.loc[0, "references"]) == 3 and best.loc[0, "input"] == source_row["dialogue"]
    assert list(result.best_worst("lead", "rouge", 1)["best"].columns)[-1] == "rouge1"

    comparison = result.compare("lead", "fake")
    rouge_l = comparison.metrics["rougeL"]
    assert rouge_l.n == 30 and rouge_l.mean_difference is not None
    assert rouge_l.mean_difference > 0 and rouge_l.win_rate is not None and rouge_l.win_rate > 0.5
    assert rouge_l.p_value is not None and rouge_l.p_value < 0.05
    assert "rougeL" in comparison.table().index and "lead vs fake" in str(comparison)
    with pytest.raises(InvalidInputError, match="not a metric"):
        result.best_worst("lead", "bleu")

    document = json.loads(result.to_json(tmp_path / "r.json"))
    assert document["experiment"]["name"] == "dsum" and len(document["models"]) == 2
    assert (tmp_path / "r.json").is_file()
    csv_text = result.to_csv(tmp_path / "r.csv")
    assert csv_text.splitlines()[0] == "model,metric,mean,ci_low,ci_high,n,n_missing,corpus"


def test_results_survive_a_restart_and_rerun_pays_nothing(
    dialogues: gm.Dataset, lead_provider: type[LeadProvider]
) -> None:
    from gristmill.metadata import reset_engines

    first = run(dialogues, models=["lead"], metrics=["rouge"], max_samples=12)
    calls = lead_provider.calls
    assert calls == 12
    reset_engines()  # as after a restart: everything below comes from the database and files
    [info] = list_experiments()
    assert (info.name, info.status, info.num_rows, info.models) == (
        "dsum",
        "completed",
        12,
        ["lead"],
    )
    loaded = ExperimentResult.load("dsum")
    assert loaded.mean("lead", "rougeL") == first.mean("lead", "rougeL")
    # the obvious call from the experiment itself (issue 12)
    assert get_experiment("dsum").result().mean("lead", "rougeL") == first.mean("lead", "rougeL")
    again = get_experiment("dsum").run(show_progress=False)
    assert lead_provider.calls == calls  # predictions were up to date: no call at all
    assert again.mean("lead", "rougeL") == first.mean("lead", "rougeL")


def test_a_crash_mid_run_resumes_without_paying_twice(
    dialogues: gm.Dataset, lead_provider: type[LeadProvider]
) -> None:
    lead_provider.crash_on = 15
    crashed = run(dialogues, models=["lead", "fake"], metrics=["rouge"], max_samples=40,
                  concurrency=1)  # fmt: skip
    assert "crashed" in crashed.errors["lead"]
    assert crashed.model("fake").status == "completed"  # the other model was kept
    # Calls queued behind the crash may still start (and crash) before the batch stops.
    crash_calls = lead_provider.calls
    assert crash_calls >= 15
    lead_provider.crash_on = None
    resumed = get_experiment("dsum").run(show_progress=False)
    assert resumed.errors == {}
    # 14 answers were cached before the crash: only the other 26 rows were paid for.
    assert lead_provider.calls == crash_calls + 26


def test_an_unreachable_server_is_recorded_and_the_others_kept(dialogues: gm.Dataset) -> None:
    result = run(dialogues, models=["openai:http://127.0.0.1:9/v1/nothing", "lead"],
                 metrics=["rouge"], max_samples=5)  # fmt: skip
    [(failed, error)] = result.errors.items()
    assert failed == "openai:http://127.0.0.1:9/v1/nothing"
    assert "could not reach the LLM server" in error
    assert result.mean("lead", "rougeL") is not None
    assert "FAILED" in result.format_table()
    with pytest.raises(InvalidInputError, match="failed"):
        result.best_worst(failed, "rougeL")


def test_bad_input_is_refused_before_any_work(
    dialogues: gm.Dataset, lead_provider: type[LeadProvider]
) -> None:
    with pytest.raises(InvalidPathError):
        Experiment(dialogues, "dialog", REFS, models=["fake"])
    with pytest.raises(InvalidPathError):
        Experiment(dialogues, "dialogue", ["summary9"], models=["fake"])
    with pytest.raises(InvalidInputError, match="invalid model address"):
        Experiment(dialogues, "dialogue", REFS, models=["openai/"])
    with pytest.raises(InvalidInputError, match="compare against references"):
        Experiment(dialogues, "dialogue", [], models=["fake"], metrics=["rouge"])
    with pytest.raises(NotFoundError, match="unknown metric"):
        Experiment(dialogues, "dialogue", REFS, models=["fake"], metrics=["rouge9"])
    with pytest.raises(InvalidInputError, match="share a name"):
        Experiment(dialogues, "dialogue", REFS, models=["fake", "fake"])
    with pytest.raises(InvalidInputError, match="unknown task"):
        Experiment(dialogues, "dialogue", REFS, models=["fake"], task="poetry")
    with pytest.raises(InvalidInputError, match="target_lang"):
        Experiment(dialogues, "dialogue", REFS, models=["fake"], task="To {target_lang}: {input}")
    # References that exist but are empty in every chosen row.
    dialogues.map(lambda row: "", output_column="blank", show_progress=False)
    with pytest.raises(InvalidInputError, match="empty in every chosen row"):
        Experiment(dialogues, "dialogue", ["blank"], models=["lead"]).run(show_progress=False)
    assert lead_provider.calls == 0
    run(dialogues, models=["lead"], metrics=["rouge"], max_samples=3)
    with pytest.raises(gm.UserError, match="other settings"):
        run(dialogues, models=["lead"], metrics=["bleu"], max_samples=3)


def test_hf_models_need_their_extra(dialogues: gm.Dataset) -> None:
    from gristmill.errors import MissingDependencyError

    try:
        import transformers  # noqa: F401
    except ModuleNotFoundError:
        pass
    else:
        pytest.skip("transformers is installed here")
    with pytest.raises(MissingDependencyError, match=r"gristmill\[hf-models\]"):
        run(dialogues, models=["hf/facebook/bart-large-cnn"], max_samples=2)
    with pytest.raises(InvalidInputError, match="no model follows"):
        Experiment(dialogues, "dialogue", REFS, models=["hf/"])


def test_ground_truth_becomes_a_reference_with_provenance(dialogues: gm.Dataset) -> None:
    from gristmill.evals import generate_ground_truth

    produced = generate_ground_truth(
        dialogues, "dialogue", "lead", filters=[("__rowid__", "less", 10)], show_progress=False
    )
    column = produced.column
    assert column == "dialogue__ground_truth__lead" and produced.num_computed == 10
    lineage = next(c.lineage for c in dialogues.manifest().derived_columns if c.name == column)
    assert lineage.kind == "prediction" and lineage.producer == "model:lead"
    assert lineage.params["role"] == "ground_truth" and lineage.params["model"] == "lead"
    assert lineage.created_at is not None
    # The lead model scores perfectly against its own ground truth, the fake does not.
    result = run(dialogues, models=["lead", "fake"], metrics=["rouge"], max_samples=10)
    assert result.mean("lead", "rougeL") < 1.0  # against the human summaries
    own = Experiment(dialogues, "dialogue", [column], models=["lead", "fake"], metrics=["rouge"],
                     max_samples=10, name="own").run(show_progress=False)  # fmt: skip
    assert own.mean("lead", "rougeL") == pytest.approx(1.0)
    assert own.mean("fake", "rougeL") < 0.2


def test_qmsum_question_answering_on_pairs_flattened_by_map() -> None:
    source = JSONSource(filepaths=[str(MEETINGS)])
    ds = gm.create_dataset(gm.DatasetConfig(namespace="eval", name="qmsum", source=source),
                           show_progress=False)  # fmt: skip

    def question(row: dict[str, Any]) -> str:
        pair = row["specific_query_list"][0]
        turns = " ".join(f"{t['speaker']}: {t['content']}" for t in row["meeting_transcripts"][:20])
        return f"Question: {pair['query']}\n\nMeeting: {turns}"

    ds.map(question, output_column="qa_input", show_progress=False)
    ds.map(lambda row: row["specific_query_list"][0]["answer"], output_column="qa_answer",
           show_progress=False)  # fmt: skip
    result = Experiment(ds, "qa_input", ["qa_answer"], models=["fake"], task="question_answering",
                        name="qmsum", max_input_tokens=400).run(show_progress=False)  # fmt: skip
    assert result.num_rows == MEETING_ROWS
    assert set(result.sub_metrics()) == {"token_f1", "exact_match", "rouge1", "rouge2", "rougeL",
                                         "rougeLsum"}  # fmt: skip
    f1 = result.mean("fake", "token_f1")
    assert f1 is not None and 0.0 <= f1 < 0.5


def test_classification_reads_labels_from_answers(lead_provider: type[LeadProvider]) -> None:
    import pandas as pd

    rows = pd.DataFrame({
        "text": ["great: I loved it", "bad: awful service", "great: superb", "bad: broken"],
        "label": ["Great", "Bad", "Great", "Bad"],
    })  # fmt: skip
    ds = gm.create_dataset(gm.DatasetConfig(namespace="eval", name="cls",
                           source=gm.PandasSource(df=rows)), show_progress=False)  # fmt: skip
    # The lead answers "great: I loved it": it names the label Great (in lower case, among other
    # words); a custom template has no labels, and its answer "I loved it" is scored as is.
    template = "Label this.\n\n{input}\n\nLabel:"
    result = Experiment(ds, "text", ["label"], models=["lead"], task="classification",
                        name="cls").run(show_progress=False)  # fmt: skip
    assert result.config.metrics == ["exact_match"]
    assert result.mean("lead", "exact_match") == 1.0
    custom = Experiment(ds, "text", ["label"], models=["lead"], task=template, name="cls2",
                        metrics=["exact_match"]).run(show_progress=False)  # fmt: skip
    assert custom.mean("lead", "exact_match") == 0.0
    from gristmill.evals.experiments._tasks import match_label

    assert match_label("Label: GREAT.", ["Great", "Bad"]) == "Great"
    assert match_label("not great, not bad", ["Great", "Bad"]) == "not great not bad"
    assert match_label("very positive", ["positive", "very positive"]) == "very positive"


@pytest.mark.slow
def test_the_local_llm_summarises_a_few_dialogues(dialogues: gm.Dataset) -> None:
    from gristmill.llm import local_llm_available

    if not local_llm_available():
        pytest.skip("the embedded local LLM is not installed")
    result = run(dialogues, models=["local", "fake"], metrics=["rouge", "answer_length"],
                 max_samples=4, max_tokens=48, concurrency=1)  # fmt: skip
    assert result.errors == {}
    rouge_l = result.mean("local", "rougeL")
    assert rouge_l is not None and 0.0 < rouge_l <= 1.0
    frame = result.per_row("local")
    assert frame["prediction"].map(lambda t: isinstance(t, str) and len(t) > 0).all()


def test_a_run_ending_between_two_reads_is_not_reported_as_interrupted(
    dialogues: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gristmill.jobs
    from gristmill.evals.experiments import _store as store

    run(dialogues, models=["fake"], metrics=["rouge"], max_samples=5)
    real_get_job = gristmill.jobs.get_job

    def get_job_as_the_run_ends(job_id: str) -> Any:
        # The reader has read the row as "running"; the run now records its end, then its job's.
        store.update_experiment("dsum", status="completed")
        return real_get_job(job_id)

    store.update_experiment("dsum", status="running")
    monkeypatch.setattr(gristmill.jobs, "get_job", get_job_as_the_run_ends)
    assert store.load_experiment_row("dsum")["status"] == "completed"

    # A row left "running" under a finished job was left by a process that died.
    monkeypatch.setattr(gristmill.jobs, "get_job", real_get_job)
    store.update_experiment("dsum", status="running")
    assert store.load_experiment_row("dsum")["status"] == "interrupted"


def test_a_failed_run_is_recorded_before_its_job_ends(
    dialogues: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.evals.experiments import _store as store
    from gristmill.jobs._job import Job

    seen_when_the_job_failed: list[str] = []
    real_fail = Job.fail

    def fail(job: Job, error: BaseException) -> None:
        seen_when_the_job_failed.append(store.load_experiment_row("dsum")["status"])
        real_fail(job, error)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Job, "fail", fail)
    monkeypatch.setattr(Experiment, "_run_model", crash)
    with pytest.raises(KeyboardInterrupt):
        run(dialogues, models=["fake"], metrics=["rouge"], max_samples=5)
    assert seen_when_the_job_failed == ["failed"]
    assert store.load_experiment_row("dsum")["status"] == "failed"


def test_a_result_carries_its_runs_own_status_error_and_job(
    dialogues: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the REST detail shows: the run's status, its error and its job, from the result alone.
    done = run(dialogues, models=["fake"], metrics=["rouge"], max_samples=5)
    assert (done.status, done.error) == ("completed", None)
    assert done.job_id is not None and gm.get_job(done.job_id).status == "completed"

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Experiment, "_run_model", crash)
    with pytest.raises(RuntimeError):
        run(dialogues, models=["fake"], metrics=["rouge"], max_samples=5)
    failed = ExperimentResult.load("dsum")
    assert (failed.status, failed.error) == ("failed", "the disk is full")
    assert failed.job_id not in (None, done.job_id)
    assert gm.get_job(str(failed.job_id)).status == "failed"
