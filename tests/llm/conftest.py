"""Every LLM test runs in its own project folder with no LLM configured in the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from gristmill.llm._dialects import schema_forms


@pytest.fixture(autouse=True)
def clean_llm_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # What each server takes for structured output is learnt once per process: every test
    # starts from nothing learnt, as a new process would.
    schema_forms.forget()
    for name in (
        "GRISTMILL_LLM",
        "GRISTMILL_LLM_BASE_URL",
        "GRISTMILL_LLM_API_KEY_ENV",
        "OPENAI_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def project(project_dir: Path) -> Path:
    """The per-test project folder the root conftest sets up (and makes current)."""
    return project_dir
