"""An API key goes only to the server it was configured for: never to a URL from elsewhere,
never on through a redirect, and a named model from gristmill.yml brings its own server and key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from gristmill.errors import ProviderError
from gristmill.llm import LLMSettings, get_llm
from tests.llm.recording_server import recording_server

OPENAI_KEY = "sk-openai-SECRET-0123456789"
MINE_KEY = "sk-mine-SECRET-0123456789"


class Recorder:
    """A transport that answers every chat call and records where it went and with what key."""

    def __init__(self, answer: httpx.Response | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.answer is not None:
            return self.answer
        return httpx.Response(
            200,
            json={"choices": [{"message": {"content": "ok"}, "finish_reason": "stop"}]},
        )

    def sent(self) -> list[tuple[str, str | None]]:
        return [(r.url.host, r.headers.get("authorization")) for r in self.requests]


def ask(model: Any, **settings: Any) -> Recorder:
    recorder = Recorder()
    llm = get_llm(model, http_transport=httpx.MockTransport(recorder), cache=False, **settings)
    llm.complete("hi")
    return recorder


def write_yml(project: Path, text: str) -> None:
    (project / "gristmill.yml").write_text(text, encoding="utf-8")


def test_the_openai_key_goes_only_to_openai(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    assert ask("openai/gpt-4o-mini").sent() == [("api.openai.com", f"Bearer {OPENAI_KEY}")]
    assert ask("openai:http://attacker.test/v1/x").sent() == [("attacker.test", None)]
    assert ask(
        {"provider": "openai", "model": "x", "base_url": "http://attacker.test/v1"}
    ).sent() == [("attacker.test", None)]


def test_a_configured_key_stays_with_its_server(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINE_KEY", MINE_KEY)
    write_yml(
        project,
        "llm:\n  provider: openai\n  model: qwen\n  base_url: http://mine.test/v1\n"
        "  api_key_env: MINE_KEY\n",
    )
    assert ask(None).sent() == [("mine.test", f"Bearer {MINE_KEY}")]
    # Another model on the same server keeps the key; another server never gets it.
    assert ask("openai:http://mine.test/v1/other").sent() == [("mine.test", f"Bearer {MINE_KEY}")]
    assert ask("openai:http://attacker.test/v1/x").sent() == [("attacker.test", None)]
    assert ask(None, base_url="http://attacker.test/v1").sent() == [("attacker.test", None)]
    # Naming the variable with the new server is the user's own choice, and is honoured.
    explicit = ask(None, base_url="http://other.test/v1", api_key_env="MINE_KEY")
    assert explicit.sent() == [("other.test", f"Bearer {MINE_KEY}")]


def test_the_environments_key_stays_with_the_environments_server(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINE_KEY", MINE_KEY)
    monkeypatch.setenv("GRISTMILL_LLM_BASE_URL", "http://mine.test/v1")
    monkeypatch.setenv("GRISTMILL_LLM_API_KEY_ENV", "MINE_KEY")
    assert ask("openai/qwen").sent() == [("mine.test", f"Bearer {MINE_KEY}")]
    assert ask("openai:http://attacker.test/v1/x").sent() == [("attacker.test", None)]


def test_settings_pointed_elsewhere_drop_their_key(project: Path) -> None:
    settings = LLMSettings(
        provider="openai", model="m", base_url="http://mine.test/v1", api_key_env="MINE_KEY"
    )
    moved = get_llm(settings, base_url="http://attacker.test/v1")
    assert moved.settings.api_key_env is None
    assert get_llm(settings, temperature=0.5).settings.api_key_env == "MINE_KEY"


def test_a_redirect_is_not_followed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINE_KEY", MINE_KEY)
    recorder = Recorder(
        httpx.Response(307, headers={"location": "http://attacker.test/v1/chat/completions"})
    )
    llm = get_llm(
        "openai:http://mine.test/v1/m",
        api_key_env="MINE_KEY",
        http_transport=httpx.MockTransport(recorder),
        cache=False,
    )
    with pytest.raises(ProviderError, match="redirect"):
        llm.complete("hi")
    assert recorder.sent() == [("mine.test", f"Bearer {MINE_KEY}")]


def test_a_named_model_brings_its_own_server_and_key(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINE_KEY", MINE_KEY)
    monkeypatch.setenv("OTHER_KEY", "sk-other-SECRET")
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    with recording_server() as mine:
        write_yml(
            project,
            # The llm: block's server and key must not leak into the named entries.
            "llm: {provider: openai, model: x, base_url: http://other.test/v1, "
            "api_key_env: OTHER_KEY}\n"
            "models:\n"
            f"  mine: {{provider: openai, model: qwen3-8b, base_url: {mine.base_url}, "
            "api_key_env: MINE_KEY}\n"
            "  gpt: {provider: openai, model: gpt-4o-mini}\n",
        )
        answer = get_llm("mine", cache=False).complete("Summarise.")
        assert answer.text == "a summary from the loopback server"
        assert mine.authorizations() == [f"Bearer {MINE_KEY}"]
        assert mine.requests[0].body["model"] == "qwen3-8b"
        assert ask("gpt").sent() == [("api.openai.com", f"Bearer {OPENAI_KEY}")]


def test_the_default_llm_may_be_a_named_model(project: Path) -> None:
    write_yml(project, "llm: stand-in\nmodels:\n  stand-in: {provider: fake, model: echo}\n")
    llm = get_llm()
    assert (llm.settings.provider, llm.settings.model) == ("fake", "echo")


def test_a_bad_models_entry_breaks_only_itself(project_dir: Path) -> None:
    from gristmill.errors import InvalidInputError
    from gristmill.named_models import named_model, named_models

    (project_dir / "gristmill.yml").write_text(
        "models:\n  broken: {kind: llm}\n  good: {provider: fake}\n", encoding="utf-8"
    )
    assert named_model("good", "llm") is not None
    assert named_model("other", "llm") is None
    with pytest.raises(InvalidInputError, match=r"models\.broken needs a provider"):
        named_model("broken", "llm")
    with pytest.raises(InvalidInputError, match=r"models\.broken"):
        named_models()
