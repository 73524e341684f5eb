"""The side-by-side benchmark's pieces that must agree between its two environments.

Lilac's runner cannot be imported here (Lilac lives in its own venv), so its step table is read
from the source; the shared hashed embedding is checked for what both tools rely on.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bow_embedding  # noqa: E402
import side_by_side_steps as spec  # noqa: E402


def _step_keys(runner: str) -> set[str]:
    tree = ast.parse((BENCHMARKS / runner).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "STEPS":
            assert isinstance(node.value, ast.Dict)
            return {str(k.value) for k in node.value.keys if isinstance(k, ast.Constant)}
    raise AssertionError(f"no STEPS table in {runner}")


@pytest.mark.parametrize("runner", ["side_by_side_gristmill.py", "side_by_side_lilac.py"])
def test_every_step_has_an_implementation_in_each_runner(runner: str) -> None:
    assert _step_keys(runner) == set(spec.STEPS_BY_NAME)


def test_the_embedding_is_unit_length_and_the_same_in_another_process() -> None:
    texts = ["How do I sort a list?", "", "sort sort LIST"]
    vectors = bow_embedding.embed(texts)
    assert vectors.shape == (3, bow_embedding.DIM)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-5
    assert not vectors[1].any()  # no token: a zero vector, not NaNs
    # Python's hash() is salted per process; the buckets must not be.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bow_embedding as b;"
        " print(b.embed(['How do I sort a list?'])[0].nonzero()[0].tolist())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(BENCHMARKS)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123"},
    )
    assert other.stdout.strip() == str(vectors[0].nonzero()[0].tolist())
