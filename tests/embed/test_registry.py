"""The embedding registry: built-ins, a user's own models, and every way a lookup can fail."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import numpy as np
import pytest

from gristmill.embed import (
    EmbeddingModel,
    embedding_names,
    get_embedding,
    register_embedding,
    unregister_embedding,
)
from gristmill.errors import (
    InvalidInputError,
    MissingDependencyError,
    NotFoundError,
    ProviderError,
)


def letter_counts(texts: list[str]) -> np.ndarray:
    """A tiny deterministic embedding: counts of a, b, c."""
    return np.array([[t.count("a"), t.count("b"), t.count("c") + 1] for t in texts], float)


class Constant(EmbeddingModel):
    model_id = "test/constant"

    def __init__(self, variant: str = "plain") -> None:
        self.name = f"constant/{variant}"
        self.variant = variant

    @property
    def dim(self) -> int:
        return 2

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.tile([3.0, 4.0], (len(texts), 1))


@pytest.fixture(autouse=True)
def clean_registry() -> Iterator[None]:
    yield
    for name in ("letters", "constant", "instance", "broken", "not-a-model"):
        unregister_embedding(name)


def test_builtins_are_listed() -> None:
    assert {"minilm", "wordllama", "openai", "sentence-transformers"} <= set(embedding_names())


def test_unknown_name_lists_the_available_ones_and_how_to_add_more() -> None:
    with pytest.raises(NotFoundError) as caught:
        get_embedding("no-such-model")
    text = str(caught.value)
    assert "no-such-model" in text
    assert "minilm" in text and "wordllama" in text
    assert "register_embedding" in text and "pip install" in text


def test_lilac_embedding_names_say_what_stands_in_offline() -> None:
    # Lilac code asks for gte-small, jina-v2-small, sbert (issue 12).
    for name, hub_id in (
        ("gte-small", "thenlper/gte-small"),
        ("jina-v2-small", "jinaai/jina-embeddings-v2-small-en"),
    ):
        with pytest.raises(NotFoundError) as caught:
            get_embedding(name)
        text = str(caught.value)
        assert "'minilm' (all-MiniLM-L6-v2" in text and "stands in" in text
        assert f"'sentence-transformers/{hub_id}'" in text
        assert f"'sentence-transformers//path/to/{name}'" in text
        assert "gristmill[sentence-transformers]" in text
    with pytest.raises(NotFoundError, match="which Gristmill calls 'minilm'"):
        get_embedding("sbert")


def test_a_plain_function_becomes_a_normalised_model() -> None:
    register_embedding("letters", letter_counts)
    model = get_embedding("letters")
    vectors = model.embed(["aab", "ccc", ""])
    assert model.dim == 3
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert model.model_id == f"custom/letters:{__name__}.letter_counts"
    assert get_embedding("letters") is model


def test_a_class_is_built_on_first_use_and_takes_a_variant() -> None:
    register_embedding("constant", Constant)
    assert get_embedding("constant").name == "constant/plain"
    variant = get_embedding("constant/large")
    assert isinstance(variant, Constant) and variant.variant == "large"
    np.testing.assert_allclose(variant.embed(["x"]), [[0.6, 0.8]], atol=1e-6)


def test_an_instance_can_be_registered() -> None:
    instance = Constant("mine")
    register_embedding("instance", instance)
    assert get_embedding("instance") is instance


def test_taken_names_need_replace_and_replacing_drops_the_cached_model() -> None:
    register_embedding("letters", letter_counts)
    first = get_embedding("letters")
    with pytest.raises(InvalidInputError, match="already registered"):
        register_embedding("letters", letter_counts)
    register_embedding("letters", letter_counts, replace=True, model_id="letters-v2")
    assert get_embedding("letters") is not first
    assert get_embedding("letters").model_id == "letters-v2"


def test_bad_registrations_are_rejected() -> None:
    with pytest.raises(InvalidInputError, match="without '/'"):
        register_embedding("a/b", letter_counts)
    with pytest.raises(InvalidInputError, match="cannot register"):
        register_embedding("not-a-model", 42)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        get_embedding("")


def test_a_function_with_a_wrong_output_is_a_provider_error() -> None:
    register_embedding("broken", lambda texts: np.ones((len(texts) + 1, 4)))
    with pytest.raises(ProviderError, match="shape"):
        get_embedding("broken").embed(["a"])
    register_embedding("broken", lambda texts: [[float("nan")]] * len(texts), replace=True)
    with pytest.raises(ProviderError, match="NaN"):
        get_embedding("broken").embed(["a"])


def test_a_factory_returning_something_else_is_rejected() -> None:
    from gristmill.embed import embedding_registry

    embedding_registry.register("not-a-model", lambda: "nope")  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidInputError, match="not an EmbeddingModel"):
        get_embedding("not-a-model")


def test_a_model_without_variants_says_so() -> None:
    with pytest.raises(NotFoundError, match="no variants"):
        get_embedding("minilm/large")


def test_sentence_transformers_needs_a_model_name() -> None:
    with pytest.raises(InvalidInputError, match="sentence-transformers/<name-or-path>"):
        get_embedding("sentence-transformers")


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None,
    reason="sentence-transformers is installed",
)
def test_sentence_transformers_missing_names_its_extra() -> None:
    with pytest.raises(MissingDependencyError) as caught:
        get_embedding("sentence-transformers/all-MiniLM-L6-v2")
    assert "gristmill[sentence-transformers]" in str(caught.value)


def test_dim_of_a_plain_function_is_probed_or_given() -> None:
    register_embedding("letters", letter_counts)
    assert get_embedding("letters").dim == 3  # one probe call, before any embed()
    register_embedding("letters", letter_counts, dim=3, replace=True)
    assert get_embedding("letters").dim == 3


def test_importing_the_package_loads_no_heavy_dependency() -> None:
    import subprocess
    import sys

    heavy = ["numpy", "onnxruntime", "faiss", "httpx", "tokenizers", "wordllama", "pydantic"]
    code = f"import sys, gristmill.embed; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
