"""A job reads as what a person asked for: the CLI, REST and UI jobs lists show its description."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

import gristmill as gm
from gristmill.embed import FakeEmbedding, register_embedding, unregister_embedding
from gristmill.jobs import list_jobs

TEXTS = ["The quick brown fox.", "the quick brown fox!", "A slow green turtle."]


@pytest.fixture
def ds() -> gm.Dataset:
    frame = pd.DataFrame({"prompt": TEXTS})
    return gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="titles", source=gm.PandasSource(frame)),
        show_progress=False,
    )


@pytest.fixture
def words() -> Iterator[str]:
    register_embedding("words", FakeEmbedding(dim=16, name="words"))
    yield "words"
    unregister_embedding("words")


def _descriptions(kind: str) -> list[str]:
    return [job.description for job in list_jobs() if job.kind == kind]


def test_a_signal_job_names_the_signal_as_people_do(ds: gm.Dataset) -> None:
    ds.compute_signal(gm.TextStatisticsSignal(), "prompt", show_progress=False)
    ds.compute_signal(gm.PIISignal(), "prompt", show_progress=False)
    # A whole-column signal runs as its own job, not the chunked one.
    ds.compute_signal(gm.ExactDuplicateSignal(), "prompt", show_progress=False)
    assert sorted(_descriptions("signal")) == [
        "Exact duplicates of prompt",
        "PII of prompt",
        "Text statistics of prompt",
    ]


def test_an_embedding_job_names_the_embedding_as_the_user_chose_it(
    ds: gm.Dataset, words: str
) -> None:
    ds.compute_embedding(words, "prompt", show_progress=False)
    # Not the model id (gristmill/fake-bag-of-words-16d-...) nor the dataset in brackets.
    assert _descriptions("embedding") == ["words embedding of prompt"]


def test_a_map_job_still_says_which_function_made_which_column(ds: gm.Dataset) -> None:
    ds.map(len, input_path="prompt", output_column="prompt_len", show_progress=False)
    assert _descriptions("map") == ["map builtins.len -> prompt_len"]
