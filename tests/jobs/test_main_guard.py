"""A script that maps with processes but has no ``if __name__ == '__main__':`` is told so.

Spawned workers import the script again; without the guard each of them runs its ``ds.map``
again and dies while starting, which used to be reported as running out of memory.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import gristmill as gm
from gristmill.jobs._main_guard import _inside_guard

MAP_CALL = (
    "ds.map(length, input_path='text', output_column='text_len', execution_type='processes',"
    " num_jobs=2, show_progress=False)"
)
UNGUARDED = f"""
import gristmill as gm

ds = gm.get_dataset("local", "rows")


def length(text):
    return len(text)


{MAP_CALL}
print("mapped")
"""
GUARDED = f"""
import gristmill as gm


def length(text):
    return len(text)


if __name__ == "__main__":
    ds = gm.get_dataset("local", "rows")
    {MAP_CALL}
    print("mapped")
"""


@pytest.fixture
def rows(project_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps({"text": "x" * i}) + "\n" for i in range(8)), "utf-8")
    gm.create_dataset(
        gm.DatasetConfig(namespace="local", name="rows", source=gm.JSONSource(filepaths=[path])),
        show_progress=False,
    )
    return project_dir


def _run_script(tmp_path: Path, project: Path, code: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "job.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    env = {**os.environ, "GRISTMILL_PROJECT_DIR": str(project)}
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


def test_a_script_without_a_main_guard_is_told_to_add_one(rows: Path, tmp_path: Path) -> None:
    done = _run_script(tmp_path, rows, UNGUARDED)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert "the worker processes could not start" in last
    assert "`if __name__ == '__main__':`" in last
    assert "job.py:11 runs at the top level" in last
    assert "out of memory" not in last


def test_the_same_script_with_a_main_guard_maps(rows: Path, tmp_path: Path) -> None:
    done = _run_script(tmp_path, rows, GUARDED)
    assert done.returncode == 0, done.stderr
    assert "mapped" in done.stdout
    lengths = gm.get_dataset("local", "rows").select_rows(["text_len"]).df()["text_len"]
    assert lengths.tolist() == list(range(8))


@pytest.mark.parametrize(
    ("source", "line", "guarded"),
    [
        ("import x\nx.run()\n", 2, False),
        ("if __name__ == '__main__':\n    run()\n", 2, True),
        ('if "__main__" == __name__:\n    run()\n', 2, True),
        ("if __name__ != '__main__':\n    pass\nelse:\n    run()\n", 4, True),
        ("if __name__ == '__main__':\n    pass\nelse:\n    run()\n", 4, False),
        ("try:\n    if __name__ == '__main__':\n        run()\nfinally:\n    pass\n", 3, True),
        ("with ctx():\n    run()\n", 2, False),
        ("if DEBUG:\n    run()\n", 2, False),
    ],
)
def test_the_guard_is_found_where_python_would_honour_it(
    source: str, line: int, guarded: bool
) -> None:
    assert _inside_guard(ast.parse(source).body, line) is guarded
