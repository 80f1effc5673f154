"""Typed settings read from ``SHOPMIND_*`` environment variables, built once by ``get_settings``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shopmind.core.errors import ConfigError


class Settings(BaseSettings):
    """Process-wide configuration. Secrets are never stored here, only names of env vars."""

    model_config = SettingsConfigDict(env_prefix="SHOPMIND_", extra="ignore")

    home: Path = Field(default=Path(".shopmind"), description="data directory")
    database_url: str | None = Field(
        default=None, description="sqlite:///… or postgresql://…; default: SQLite in home"
    )
    default_currency: str = Field(default="USD", min_length=3, max_length=3)
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    max_batch: int = Field(default=10_000, ge=1, le=1_000_000)
    max_field_chars: int = Field(default=100_000, ge=1_000, le=10_000_000)

    @field_validator("default_currency")
    @classmethod
    def _upper_currency(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError(f"default_currency must be an ISO 4217 code, got {value!r}")
        return value.upper()

    def resolved_database_url(self) -> str:
        """The store URL: ``database_url`` if set, else an SQLite file inside ``home``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'shopmind.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, built on first use and then cached."""
    try:
        return Settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ConfigError(f"invalid SHOPMIND_* setting: {exc}") from exc
