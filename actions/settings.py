"""Settings of the action server process."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class ActionSettings(BaseSettings):
    """Read from `FAQ_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="FAQ_", extra="ignore")

    webapp_url: str = "http://127.0.0.1:8000"
    webapp_timeout: float = 10.0
    internal_token: str = ""
    """Sent to the web app's internal handoff API (`FAQ_INTERNAL_TOKEN`)."""
    actions_metrics_port: int = 0
    """Where the action server serves its Prometheus metrics on loopback (0: nowhere)."""


@lru_cache(maxsize=1)
def get_action_settings() -> ActionSettings:
    return ActionSettings()
