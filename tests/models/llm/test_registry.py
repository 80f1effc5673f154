"""Backends by name: ``get_llm`` builds light clients, ``none`` means no LLM at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopmind.core.errors import ConfigError
from shopmind.core.settings import Settings, get_settings
from shopmind.models.llm import LLMClient, get_llm, llm_names, register_llm
from shopmind.models.llm import registry as registry_module
from shopmind.models.llm.llamacpp import LlamaCppClient
from shopmind.models.llm.openai_http import OpenAIClient


def test_none_means_no_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPMIND_LLM", "none")
    assert get_llm() is None


def test_unknown_backend_lists_the_valid_names() -> None:
    with pytest.raises(
        ConfigError, match="unknown LLM backend 'gpt9'; valid: llamacpp, openai, none"
    ):
        get_llm(Settings(), "gpt9")


def test_unknown_backend_in_env_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPMIND_LLM", "gpt9")
    with pytest.raises(ConfigError, match="SHOPMIND_"):
        get_llm()


def test_llamacpp_client_is_configured_from_settings_and_not_loaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SHOPMIND_LLM_THREADS", "3")
    monkeypatch.setenv("SHOPMIND_LLM_CONTEXT", "1024")
    client = get_llm()
    assert isinstance(client, LlamaCppClient) and isinstance(client, LLMClient)
    assert (client.threads, client.context, client.model_path) == (3, 1024, None)
    assert client.hash_cache_dir == get_settings().cache_dir
    assert client._llama is None


def test_custom_model_path_that_is_missing_fails_on_load(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SHOPMIND_LLM_MODEL_PATH", str(tmp_path / "nope.gguf"))
    client = get_llm()
    assert client is not None
    with pytest.raises(ConfigError, match=r"nope\.gguf does not exist"):
        client.load()


def test_openai_client_is_configured_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPMIND_LLM", "openai")
    monkeypatch.setenv("SHOPMIND_LLM_BASE_URL", "http://127.0.0.1:9/v1/")
    monkeypatch.setenv("SHOPMIND_LLM_MODEL", "qwen")
    monkeypatch.setenv("SHOPMIND_LLM_RETRIES", "4")
    client = get_llm()
    assert isinstance(client, OpenAIClient) and isinstance(client, LLMClient)
    assert (client.url, client.model, client.retries) == (
        "http://127.0.0.1:9/v1/chat/completions",
        "qwen",
        4,
    )


def test_register_a_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_module, "_FACTORIES", dict(registry_module._FACTORIES))
    register_llm("fixed", lambda s: OpenAIClient(s.llm_base_url, "fixed"))
    assert "fixed" in llm_names()
    client = get_llm(Settings(), "fixed")
    assert isinstance(client, OpenAIClient) and client.model == "fixed"
    with pytest.raises(ValueError, match="already registered"):
        register_llm("fixed", lambda s: OpenAIClient())
    with pytest.raises(ValueError, match="cannot be called 'none'"):
        register_llm("none", lambda s: OpenAIClient())
