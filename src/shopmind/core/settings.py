"""Typed settings read from ``SHOPMIND_*`` environment variables, built once by ``get_settings``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shopmind.core.errors import ConfigError


class Settings(BaseSettings):
    """Process-wide configuration. Secrets are never stored here, only names of env vars."""

    model_config = SettingsConfigDict(env_prefix="SHOPMIND_", extra="ignore")

    home: Path = Field(default=Path(".shopmind"), description="data directory")
    cache_dir: Path = Field(
        default_factory=lambda: _user_cache() / "shopmind",
        description="machine-level files derived from pinned weights (built runtimes, checks)",
    )
    database_url: str | None = Field(
        default=None, description="sqlite:///… or postgresql://…; default: SQLite in home"
    )
    default_currency: str = Field(default="USD", min_length=3, max_length=3)
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    max_batch: int = Field(default=10_000, ge=1, le=1_000_000)
    max_field_chars: int = Field(default=100_000, ge=1_000, le=10_000_000)
    api_cors_origins: str = Field(
        default="",
        description="comma-separated browser origins allowed to call the API"
        " (e.g. https://shop.example); empty: no cross-origin browser calls",
    )

    # Search.
    search_synonyms: Path | None = Field(
        default=None,
        description='JSON {"term": ["equivalent", ...]} added to the built-in synonym groups',
    )
    search_brand_aliases: Path | None = Field(
        default=None,
        description='JSON {"Nike": ["耐克"]}: names of one brand; a query with either finds both',
    )
    search_mine_synonyms: bool = Field(
        default=False,
        description="also use query -> title synonyms mined from search clicks, unreviewed"
        " (review them first with `shopmind search synonyms`)",
    )

    # Assistant.
    assistant_policy: Path | None = Field(
        default=None, description="policy rules JSON (default: <home>/assistant/policy.json)"
    )
    assistant_embedder: str = Field(
        default="e5-small", description="passage embedder for the knowledge base; none: BM25 only"
    )
    assistant_rephrase: bool = Field(
        default=False,
        description="let the configured LLM reword grounded answers (checked against sources)",
    )

    # Reviews.
    reviews_analyse_on_ingest: bool = Field(
        default=True,
        description="analyse new or changed reviews right after an ingest or an API upsert"
        " (off: they wait for `shopmind reviews analyse`)",
    )

    # Models. Every capability must still work with llm="none" (grounded, non-generative paths).
    embedder: str = Field(default="e5-small", description="registered embedder name")
    embed_threads: int = Field(default=0, ge=0, le=256, description="0: all cores")
    llm: Literal["llamacpp", "openai", "none"] = "llamacpp"
    llm_model_path: Path | None = Field(
        default=None, description="GGUF for llamacpp; default: SmolLM2-135M-Instruct"
    )
    llm_threads: int = Field(default=2, ge=1, le=256)
    llm_context: int = Field(default=4096, ge=256, le=1_048_576)
    llm_base_url: str = Field(default="http://127.0.0.1:8080/v1", description="OpenAI-compatible")
    llm_model: str = Field(default="default", description="model name sent to the server")
    llm_api_key_env: str = Field(
        default="SHOPMIND_LLM_API_KEY", description="name of the env var holding the API key"
    )
    llm_timeout_s: float = Field(default=60.0, gt=0, le=3600)
    llm_retries: int = Field(default=2, ge=0, le=10)

    @field_validator("default_currency")
    @classmethod
    def _upper_currency(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError(f"default_currency must be an ISO 4217 code, got {value!r}")
        return value.upper()

    @field_validator("api_cors_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        for origin in _split(value):
            if origin != "*" and (
                not origin.startswith(("http://", "https://")) or origin.count("/") != 2
            ):
                raise ValueError(
                    f"api_cors_origins: {origin!r} is not an origin (scheme://host[:port], "
                    "no path) or '*'"
                )
        return value

    @property
    def cors_origins(self) -> list[str]:
        """``api_cors_origins`` as a list, without blanks."""
        return _split(self.api_cors_origins)

    @field_validator("llm_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"llm_base_url must start with http:// or https://, got {value!r}")
        return value.rstrip("/")

    @property
    def models_dir(self) -> Path:
        """Where trained artifacts, the registry and built runtime files live."""
        return self.home / "models"

    def resolved_database_url(self) -> str:
        """The store URL: ``database_url`` if set, else an SQLite file inside ``home``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'shopmind.db').resolve()}"


def _user_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, built on first use and then cached."""
    try:
        return Settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ConfigError(f"invalid SHOPMIND_* setting: {exc}") from exc


def _split(value: str) -> list[str]:
    return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
