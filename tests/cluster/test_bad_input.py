"""Bad input and failures: no text, too few rows, identical texts, junk or unreachable LLMs,
and a crash between stages that a rerun resumes from."""

from __future__ import annotations

from pathlib import Path

import pytest

import gristmill as gm
from gristmill.cluster import _pipeline
from gristmill.errors import InvalidInputError, ProviderError
from gristmill.llm import ProviderCall, ProviderReply, providers
from tests.cluster.conftest import make_dataset


def test_a_path_with_no_text(tmp_path: Path) -> None:
    ds = make_dataset(tmp_path, "empty", [{"text": t} for t in ["", None, "", None, "", None]])
    with pytest.raises(InvalidInputError, match="no text to cluster"):
        ds.cluster("text", embedding="bow", show_progress=False)
    assert "text__cluster" not in {c.name for c in ds.manifest().derived_columns}


def test_fewer_rows_than_min_cluster_size(tmp_path: Path) -> None:
    ds = make_dataset(tmp_path, "few", [{"text": t} for t in ["a cat", "a dog", "", "a cow"]])
    with pytest.raises(InvalidInputError, match="3 rows with text, fewer than min_cluster_size=5"):
        ds.cluster("text", embedding="bow", show_progress=False)
    result = ds.cluster("text", embedding="bow", min_cluster_size=2, show_progress=False)
    assert result.num_rows == 3


def test_rows_without_text_get_no_cluster(tmp_path: Path) -> None:
    rows = [{"text": f"bright sunny weather day {i}"} for i in range(12)] + [{"text": None}]
    ds = make_dataset(tmp_path, "gaps", rows)
    ds.cluster("text", embedding="bow", show_progress=False)
    values = [
        r["text__cluster"]
        for r in ds.select_rows(["text__cluster"], sort_by="__rowid__", sort_order="ASC")
    ]
    assert values[-1] is None and all(v is not None for v in values[:-1])


def test_all_identical_texts_make_one_cluster(tmp_path: Path) -> None:
    ds = make_dataset(tmp_path, "same", [{"text": "the very same sentence"}] * 200)
    result = ds.cluster("text", embedding="bow", show_progress=False)
    assert result.num_clusters == 1 and result.num_categories == 1
    values = [r["text__cluster"] for r in ds.select_rows(["text__cluster"])]
    assert {v["cluster_id"] for v in values} == {0}
    assert {v["cluster_membership_prob"] for v in values} == {1.0}
    assert "sentence" in values[0]["cluster_title"].lower()


class JunkProvider:
    """An LLM that never answers in the asked-for shape."""

    name = "junk"

    def identity(self) -> dict[str, str]:
        return {"provider": "junk", "model": "junk-1"}

    def generate(self, call: ProviderCall) -> ProviderReply:
        return ProviderReply(text="Sure! Here is a title: <<<", input_tokens=5, output_tokens=5)

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def truncate(self, text: str, max_tokens: int) -> str:
        return " ".join(text.split()[:max_tokens])

    def close(self) -> None:
        return None


@pytest.fixture
def junk_llm() -> object:
    providers.register("junk", lambda settings, resources: JunkProvider(), replace=True)
    yield "junk"
    providers.unregister("junk")


def test_junk_llm_output_falls_back_to_keywords_and_says_so(sms: gm.Dataset, junk_llm: str) -> None:
    with pytest.warns(UserWarning, match="returned malformed output"):
        result = sms.cluster(
            "text", embedding="bow", llm="junk", min_cluster_size=15, show_progress=False
        )
    assert result.titles_from == "keywords"
    assert any("junk/junk-1 returned malformed output" in note for note in result.notes)
    assert result.llm_usage is not None and result.llm_usage.calls > result.num_clusters  # re-asked
    lineage = {c.name: c.lineage for c in sms.manifest().derived_columns}["text__cluster"]
    assert lineage.params["notes"] == result.notes
    keywords = sms.cluster(
        "text",
        embedding="bow",
        use_llm=False,
        min_cluster_size=15,
        output_column="plain",
        show_progress=False,
    )
    assert keywords.titles_from == "keywords"
    a = [r["text__cluster"]["cluster_title"] for r in sms.select_rows(["text__cluster"])]
    b = [r["plain"]["cluster_title"] for r in sms.select_rows(["plain"])]
    assert a == b


def test_unreachable_llm_names_the_url_and_loses_nothing(
    sms: gm.Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = "openai:http://127.0.0.1:9/v1/some-model"
    with pytest.raises(ProviderError, match=r"127\.0\.0\.1:9") as caught:
        sms.cluster("text", embedding="bow", llm=address, show_progress=False)
    assert any("rerun to resume" in note for note in caught.value.__notes__)
    work = sms.store.root / "work" / "cluster-text__cluster"
    assert (work / "reduce.npz").exists() and (work / "cluster.npz").exists()
    result = sms.cluster("text", embedding="bow", use_llm=False, show_progress=False)
    assert result.resumed[:2] == ["reduce", "cluster"]
    assert not work.exists()


def test_crash_between_stages_resumes(sms: gm.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    from gristmill import embed
    from gristmill.cluster import _density

    calls = {"reduce": 0}
    real_reduce = embed.reduce_dimensions

    def counting_reduce(*args: object, **kwargs: object) -> object:
        calls["reduce"] += 1
        return real_reduce(*args, **kwargs)  # type: ignore[arg-type]

    def crash(*args: object, **kwargs: object) -> object:
        raise RuntimeError("power cut")

    monkeypatch.setattr(embed, "reduce_dimensions", counting_reduce)
    monkeypatch.setattr(_density, "find_clusters", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        sms.cluster("text", embedding="bow", show_progress=False)
    assert calls["reduce"] == 1
    monkeypatch.undo()
    monkeypatch.setattr(embed, "reduce_dimensions", counting_reduce)
    result = sms.cluster("text", embedding="bow", show_progress=False)
    assert calls["reduce"] == 1 and result.resumed[0] == "reduce"
    # a different setting is a different run: nothing stale is reused
    sms.cluster("text", embedding="bow", min_cluster_size=8, overwrite=True, show_progress=False)
    assert calls["reduce"] == 2
    assert _pipeline.PRODUCER.startswith("gristmill.cluster")
