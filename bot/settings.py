"""Settings of the web app and the `faq` command, read once per process from the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


def comma_list(setting: str) -> list[str]:
    """The items of a comma-separated setting, without blanks around or between them."""
    return [item.strip() for item in setting.split(",") if item.strip()]


class Settings(BaseSettings):
    """Configuration taken from `FAQ_*` environment variables (and `DATABASE_URL`)."""

    model_config = SettingsConfigDict(env_prefix="FAQ_", extra="ignore")

    kb_dir: Path = ROOT / "data" / "kb"
    finder_file: Path = ROOT / "data" / "finder.yml"
    """The permit finder's decision tree."""
    search_config: Path = ROOT / "data" / "search.yml"
    models_dir: Path = ROOT / "models"
    var_dir: Path = ROOT / "var"
    database_url: str = Field(default="", validation_alias="DATABASE_URL")
    encoder: str = Field(
        default="",
        description="overrides data/search.yml: 'use-multilingual' or 'st:<model name or path>'",
    )
    rasa_public_url: str = "http://127.0.0.1:5005"
    """Where browsers reach the Rasa server (the web chat widget's `data-server`)."""
    public_url: str = ""
    """Where users reach the web app (links to printable checklists); the request's own URL
    when empty."""
    kb_poll_seconds: float = 2.0
    rasa_url: str = "http://127.0.0.1:5005"
    """Where the web app reaches the Rasa server's HTTP API (to send consultants' messages)."""
    rasa_servers: str = ""
    """Comma-separated URLs of every Rasa server, each server's own address (not the
    balancer's), when several run behind one: a model retrained from the console is loaded
    into each of them. Empty: `rasa_url` only."""
    rasa_auth_token: str = Field(default="", validation_alias="RASA_AUTH_TOKEN")
    internal_token: str = ""
    """Shared with the action server; required on the internal handoff API when set."""
    handoff_hours: str = "Mon-Fri 07:30-15:30"
    handoff_timezone: str = "Europe/Warsaw"
    handoff_claim_timeout: float = 600.0
    """Seconds a conversation may wait in the queue before it becomes a ticket."""
    consultant_presence_seconds: float = 30.0
    handoff_poll_seconds: float = 1.0
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "info.opt@muw.pl"
    rasa_project_dir: Path = ROOT
    """Holds config.yml, domain.yml and data/: what retraining from the console trains on."""
    cookie_secure: bool = False
    """Send every cookie (session and CSRF) over HTTPS only; set true behind TLS in production."""
    trusted_proxies: str = ""
    """Comma-separated addresses or networks of reverse proxies whose `X-Forwarded-For` is
    believed (e.g. `127.0.0.1`); from anyone else the header is ignored."""
    worker_threads: int = 40
    """Threads running the blocking routes; the database pool holds as many connections, so
    no route waits for one."""
    widget_topics: str = "card.fees,trp.work,ukr.protection,proc.status"
    """Comma-separated entry ids the widget suggests while too few questions have been answered
    to tell which are asked most."""
    api_docs: bool = False
    """Serve the interactive API documentation (`/docs`, `/openapi.json`); off in production."""

    @property
    def db_url(self) -> str:
        """The database URL; a SQLite file under `var/` unless DATABASE_URL is set."""
        return self.database_url or f"sqlite:///{self.var_dir / 'faq.db'}"

    @property
    def rasa_server_urls(self) -> list[str]:
        """Every Rasa server a new model must reach."""
        return [url.rstrip("/") for url in comma_list(self.rasa_servers)] or [self.rasa_url]

    @property
    def widget_topic_ids(self) -> list[str]:
        return comma_list(self.widget_topics)

    @property
    def index_dir(self) -> Path:
        return self.models_dir / "index"

    @property
    def domain_path(self) -> Path:
        """The Rasa domain: the bot's responses in every language."""
        return self.rasa_project_dir / "domain.yml"

    @property
    def nlu_dir(self) -> Path:
        """The Rasa NLU examples: intents, and the words the language detector knows."""
        return self.rasa_project_dir / "data" / "nlu"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings object."""
    return Settings()
