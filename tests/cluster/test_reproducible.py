"""Same data, seed and settings give the same clusters, titles and categories: in a fresh process,
after a resume, and when the embedding model adds float noise in the last bits (as onnxruntime's
threads do: two runs of MiniLM over the same 2,000 texts differed by up to 3e-8)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import gristmill as gm
from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding
from tests.cluster.conftest import make_dataset
from tests.fixtures import sms_rows

ROOT = Path(__file__).resolve().parents[2]


class NoisyEmbedding(FakeEmbedding):
    """The bag-of-words fake plus noise of a few float32 ulps, different on every call."""

    def _embed(self, texts: list[str]) -> Any:
        import numpy as np

        vectors = super()._embed(texts)
        noise = np.random.default_rng().uniform(-3e-7, 3e-7, size=vectors.shape)
        return (vectors * (1.0 + noise)).astype(np.float32)


@pytest.fixture
def noisy() -> Any:
    register_embedding("noisy", NoisyEmbedding(name="noisy"), replace=True)
    yield "noisy"
    unregister_embedding("noisy")


def _outcome(ds: gm.Dataset) -> list[tuple[int, str, int, str]]:
    rows = ds.select_rows(["text__cluster"], sort_by="__rowid__", sort_order="ASC")
    return [
        (
            r["text__cluster"]["cluster_id"],
            r["text__cluster"]["cluster_title"],
            r["text__cluster"]["category_id"],
            r["text__cluster"]["category_title"],
        )
        for r in rows
    ]


def _sms(tmp_path: Path, name: str) -> gm.Dataset:
    return make_dataset(tmp_path, name, [{"text": text} for text, _ in sms_rows()])


def test_float_noise_in_the_vectors_changes_nothing(tmp_path: Path, noisy: str) -> None:
    first, second = _sms(tmp_path, "first"), _sms(tmp_path, "second")
    first.cluster("text", embedding=noisy, use_llm=False, show_progress=False)
    second.cluster("text", embedding=noisy, use_llm=False, show_progress=False)
    assert _outcome(first) == _outcome(second)
    assert len({row[0] for row in _outcome(first)}) >= 3


_IN_A_FRESH_PROCESS = """
import json, sys
import gristmill as gm
from gristmill.embed import register_embedding
from gristmill.project import set_project_dir
from tests.cluster.test_reproducible import NoisyEmbedding
set_project_dir(sys.argv[1])
register_embedding("noisy", NoisyEmbedding(name="noisy"), replace=True)
source = gm.JSONSource(filepaths=[sys.argv[2]])
ds = gm.create_dataset(gm.DatasetConfig(namespace="local", name="sms", source=source),
                       show_progress=False)
ds.cluster("text", embedding="noisy", use_llm=False, show_progress=False)
rows = ds.select_rows(["text__cluster"], sort_by="__rowid__", sort_order="ASC")
print(json.dumps([r["text__cluster"] for r in rows]))
"""


@pytest.mark.slow
def test_two_fresh_processes_give_identical_clusters(tmp_path: Path) -> None:
    data = tmp_path / "sms.jsonl"
    data.write_text("".join(json.dumps({"text": t}) + "\n" for t, _ in sms_rows()), "utf-8")
    outputs = []
    for run in ("a", "b"):
        done = subprocess.run(
            [sys.executable, "-c", _IN_A_FRESH_PROCESS, str(tmp_path / run), str(data)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            # Each process hashes strings differently: set order must not decide anything.
            env={**__import__("os").environ, "PYTHONHASHSEED": "random"},
        )
        outputs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert outputs[0] == outputs[1]


def test_a_resumed_run_equals_an_uninterrupted_one(
    tmp_path: Path, noisy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gristmill.cluster import _density

    whole, resumed = _sms(tmp_path, "whole"), _sms(tmp_path, "resumed")
    whole.cluster("text", embedding=noisy, use_llm=False, show_progress=False)

    def crash(*args: object, **kwargs: object) -> object:
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(_density, "find_clusters", crash)
        with pytest.raises(RuntimeError, match="power cut"):
            resumed.cluster("text", embedding=noisy, use_llm=False, show_progress=False)
    result = resumed.cluster("text", embedding=noisy, use_llm=False, show_progress=False)
    assert result.resumed[0] == "reduce"
    assert _outcome(resumed) == _outcome(whole)
