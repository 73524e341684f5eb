from __future__ import annotations

from pathlib import Path

import pytest

from gristmill.errors import InvalidInputError, MissingDependencyError
from gristmill.llm import LLMSettings, configured_llm_address, get_llm


def write_config(project: Path, text: str) -> None:
    (project / "gristmill.yml").write_text(text, encoding="utf-8")


def test_the_yml_block_configures_the_default_llm(project: Path) -> None:
    write_config(
        project,
        "llm:\n  model: openai:http://127.0.0.1:9/v1/qwen3-8b\n  temperature: 0.3\n"
        "  api_key_env: MY_KEY\n  max_tokens: 99\n",
    )
    llm = get_llm(project_dir=project)
    assert llm.settings.provider == "openai"
    assert llm.settings.base_url == "http://127.0.0.1:9/v1"
    assert llm.settings.model == "qwen3-8b"
    assert llm.settings.temperature == 0.3
    assert llm.settings.api_key_env == "MY_KEY"
    assert llm.settings.max_tokens == 99
    assert configured_llm_address(project) is not None


def test_env_beats_yml_and_call_arguments_beat_both(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(project, "llm: fake\n")
    monkeypatch.setenv("GRISTMILL_LLM", "openai/qwen3-8b")
    monkeypatch.setenv("GRISTMILL_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    llm = get_llm(project_dir=project)
    assert (llm.settings.provider, llm.settings.model) == ("openai", "qwen3-8b")
    assert llm.settings.base_url == "http://127.0.0.1:9/v1"
    llm = get_llm("openai/other-model", project_dir=project, temperature=0.9)
    assert llm.settings.model == "other-model"
    assert llm.settings.base_url == "http://127.0.0.1:9/v1"
    assert llm.settings.temperature == 0.9


def test_switching_provider_drops_the_configured_server(project: Path) -> None:
    write_config(project, "llm:\n  model: openai:http://127.0.0.1:9/v1/qwen3-8b\n")
    llm = get_llm("fake", project_dir=project)
    assert llm.settings.provider == "fake"
    assert llm.settings.base_url is None


def test_same_provider_keeps_the_configured_server(project: Path) -> None:
    write_config(project, "llm:\n  model: openai:http://127.0.0.1:9/v1/qwen3-8b\n")
    llm = get_llm("openai/another", project_dir=project)
    assert llm.settings.base_url == "http://127.0.0.1:9/v1"


def test_prices_come_from_the_yml_price_table(project: Path) -> None:
    write_config(
        project,
        "llm:\n  model: fake/pricy\n  prices:\n    pricy: {input: 1.0, output: 2.0}\n",
    )
    llm = get_llm(project_dir=project)
    assert llm.settings.price_input_per_million == 1.0
    assert llm.settings.cost(1_000_000, 500_000) == pytest.approx(2.0)


def test_a_config_mapping_works_as_an_address(project: Path) -> None:
    llm = get_llm({"provider": "fake", "model": "m1", "max_tokens": 7}, project_dir=project)
    assert (llm.settings.model, llm.settings.max_tokens) == ("m1", 7)
    llm = get_llm({"model": "fake/m2"}, project_dir=project)
    assert (llm.settings.provider, llm.settings.model) == ("fake", "m2")
    llm = get_llm(LLMSettings(provider="fake", model="m3"), project_dir=project, max_tokens=5)
    assert (llm.settings.model, llm.settings.max_tokens) == ("m3", 5)


def test_unknown_or_bad_settings_list_the_valid_ones(project: Path) -> None:
    with pytest.raises(InvalidInputError, match="temprature") as caught:
        get_llm("fake", project_dir=project, temprature=0.5)
    assert "temperature" in str(caught.value)
    with pytest.raises(InvalidInputError, match="temperature"):
        get_llm("fake", project_dir=project, temperature=9)
    write_config(project, "llm: [1, 2]\n")
    with pytest.raises(InvalidInputError, match=r"gristmill\.yml"):
        get_llm("fake", project_dir=project)


def test_a_bare_model_name_suggests_the_provider(project: Path) -> None:
    with pytest.raises(InvalidInputError, match="openai/gpt-4o-mini"):
        get_llm("gpt-4o-mini", project_dir=project)


def test_no_llm_anywhere_names_both_ways_to_get_one(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gristmill.llm._local as local

    monkeypatch.setattr(local, "local_llm_available", lambda: False)
    assert configured_llm_address(project) is None
    with pytest.raises(MissingDependencyError) as caught:
        get_llm(project_dir=project)
    message = str(caught.value)
    assert "gristmill[local-llm]" in message
    assert "OpenAI-compatible" in message


def test_without_configuration_the_embedded_model_is_the_default(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gristmill.llm._local as local

    monkeypatch.setattr(local, "local_llm_available", lambda: True)
    seen: list[str] = []

    def fake_local(settings: LLMSettings, resources: object) -> object:
        seen.append(settings.provider)
        from gristmill.llm._fake import FakeProvider

        return FakeProvider(settings)

    from gristmill.llm import providers

    original = providers.get("local")
    providers.register("local", fake_local, replace=True)  # type: ignore[arg-type]
    try:
        get_llm(project_dir=project)
    finally:
        providers.register("local", original, replace=True)
    assert seen == ["local"]


def test_local_without_llama_cpp_names_the_extra(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "llama_cpp" else real_find_spec(name, *args),
    )
    with pytest.raises(MissingDependencyError, match=r"gristmill\[local-llm\]"):
        get_llm("local", project_dir=project)
