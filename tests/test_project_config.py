"""``gristmill.yml`` is read on every use but parsed only when its text changes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gristmill.errors import InvalidInputError
from gristmill.project import CONFIG_FILENAME, load_config


def test_the_config_is_parsed_once_per_text(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses: list[str] = []
    real = yaml.safe_load

    def counting(text: str) -> object:
        parses.append(text)
        return real(text)

    monkeypatch.setattr(yaml, "safe_load", counting)
    config = project_dir / CONFIG_FILENAME
    config.write_text("llm: {model: fake}\n", encoding="utf-8")
    first = load_config()
    assert load_config() == first == {"llm": {"model": "fake"}}
    assert len(parses) == 1
    first["llm"]["model"] = "changed by a caller"
    assert load_config()["llm"]["model"] == "fake"  # each caller gets its own copy
    # Same length, rewritten in place within the same clock tick: the text decides, not mtime.
    config.write_text("llm: {model: fak2}\n", encoding="utf-8")
    assert load_config()["llm"]["model"] == "fak2"
    assert len(parses) == 2
    config.unlink()
    assert load_config() == {}


def test_a_broken_config_is_refused_every_time(project_dir: Path) -> None:
    (project_dir / CONFIG_FILENAME).write_text("llm: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InvalidInputError, match="is not valid YAML"):
            load_config()
