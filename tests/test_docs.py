"""The Python snippets of docs/coming-from.md run, in order, as the page says they do.

They run as one script in a fresh folder holding the page's data files, with the page's two
model names (qwen, gpt4o) pointing at the offline fake LLM, so a renamed or removed call in the
library fails here instead of in a reader's notebook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)

TOPICS = {
    "cooking": ["How do I bake {} bread?", "A recipe for {} pasta sauce", "Roast {} vegetables"],
    "code": ["Write a Python function to sort {}", "Fix this {} JavaScript loop", "Explain {}"],
    "travel": ["Things to do in {} Paris", "Cheap flights to {} Tokyo", "Beaches of {} Spain"],
}
WORDS = ["quick", "simple", "classic", "spicy", "modern", "cheap", "fancy", "easy", "old", "new"]


def python_blocks(page: str) -> list[str]:
    return PYTHON_BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))


def write_alpaca(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(60):
            topic = list(TOPICS)[i % 3]
            template = TOPICS[topic][(i // 3) % 3]
            instruction = template.format(WORDS[i % len(WORDS)])
            output = f"Here is an answer about {topic}: step {i}." if i % 7 else "Short."
            handle.write(json.dumps({"instruction": instruction, "output": output}) + "\n")


def write_dialogs(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(12):
            row = {
                "dialogue": f"#Person1#: Can we meet at {i} o'clock? #Person2#: Yes, at the cafe.",
                "summary": f"They agree to meet at the cafe at {i}.",
            }
            handle.write(json.dumps(row) + "\n")


def test_page_has_snippets_for_each_tool() -> None:
    # Guards the test below against a page whose code blocks stopped being tagged `python`.
    assert len(python_blocks("coming-from.md")) == 3


@pytest.mark.filterwarnings("ignore:cv_accuracy and cv_macro_f1 rest on")
def test_coming_from_snippets_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GRISTMILL_LLM", raising=False)
    write_alpaca(tmp_path / "alpaca.jsonl")
    write_dialogs(tmp_path / "dialogs.jsonl")
    project = tmp_path / "my_project"  # the folder the page's first snippet chooses
    project.mkdir()
    (project / "gristmill.yml").write_text(
        "models:\n  qwen: {provider: fake}\n  gpt4o: {provider: fake, model: other}\n",
        encoding="utf-8",
    )
    namespace: dict[str, object] = {"__name__": "__coming_from__"}
    for index, block in enumerate(python_blocks("coming-from.md")):
        code = compile(block, f"docs/coming-from.md (python block {index + 1})", "exec")
        exec(code, namespace)

    import gristmill as gm

    assert [e.name for e in gm.list_experiments()] == ["summaries"]
    assert (tmp_path / "summaries.json").is_file()
    assert (tmp_path / "topics.gristmill").is_file()
