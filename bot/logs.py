"""Structured logs: one JSON object per line, the same fields in all three processes.

The web app (uvicorn `--log-config`), the action server and the Rasa server
(`--logging-config-file`) all load `logging.yml`, whose handler is `json_handler` below. Every
line has `ts`, `level`, `service`, `logger`, `message`, `request_id` and `conversation_id`
(and `exc` for tracebacks). The conversation id is a hash of Rasa's sender id, computed alike
in every process, so one conversation's lines can be joined without storing who it was.
Messages pass through the same redaction as stored questions, and known secrets are masked.
The level comes from `LOG_LEVEL` (default INFO).

Runs in the Rasa process too: standard library only, Python 3.10.
"""

from __future__ import annotations

import hashlib
import json
import logging
import logging.config
import os
import re
import sys
from contextvars import ContextVar
from datetime import datetime, timezone

from bot.privacy import redact

SERVICE_VARIABLE = "FAQ_LOG_SERVICE"
"""Names the process in its log lines: `webapp`, `actions` or `rasa`."""
REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="")
CONVERSATION_ID: ContextVar[str] = ContextVar("conversation_id", default="")
REQUEST_ID_HEADER = "X-Request-ID"
CONVERSATION_ID_HEADER = "X-Conversation-ID"
SECRET_VARIABLES = (
    "RASA_AUTH_TOKEN",
    "FAQ_INTERNAL_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_SECRET_TOKEN",
    "FAQ_SMTP_PASSWORD",
    "DATABASE_URL",
    "TRACKER_STORE_URL",
)
"""Environment variables whose values never appear in a log line."""
_SECRET_PARAMETERS = re.compile(
    r"(?i)((?:token|auth_token|password|secret)=|bearer\s+|x-internal-token:\s*)[^\s&\"',]+"
)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "[secret]"


def conversation_id(sender_id: str) -> str:
    """A stable, non-reversible id of a conversation for logs (not its sender id)."""
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:16] if sender_id else ""


def service_name() -> str:
    """Which process this is: `FAQ_LOG_SERVICE` (whoever starts it sets it), else the program."""
    configured = os.environ.get(SERVICE_VARIABLE)
    if configured:
        return configured
    return os.path.splitext(os.path.basename(sys.argv[0]))[0] or "python"


def scrub(text: str) -> str:
    """`text` without personal data (PESEL, passport, case numbers, e-mail) or secrets."""
    for variable in SECRET_VARIABLES:
        value = os.environ.get(variable, "")
        if len(value) >= 8:
            text = text.replace(value, MASK)
    text = _SECRET_PARAMETERS.sub(lambda m: m.group(1) + MASK, text)
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + "@", text)
    return redact(_EMAIL.sub("[email]", text))


class JsonFormatter(logging.Formatter):
    """One JSON object per record, in the schema described above."""

    def __init__(self, service: str | None = None):
        super().__init__()
        self.service = service or service_name()

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": REQUEST_ID.get(),
            "conversation_id": CONVERSATION_ID.get(),
        }
        if record.exc_info:
            line["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def level() -> int:
    """The level named by `LOG_LEVEL` (DEBUG, INFO, WARNING, ERROR), INFO by default."""
    value = logging.getLevelName(os.environ.get("LOG_LEVEL", "INFO").upper())
    return value if isinstance(value, int) else logging.INFO


def json_handler() -> logging.Handler:
    """The handler `logging.yml` installs on the root logger; it also sets the root level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    # dictConfig builds handlers before it configures the root logger, and logging.yml leaves
    # the root level out, so this is where LOG_LEVEL reaches it.
    logging.getLogger().setLevel(level())
    # Python's warnings (deprecations of libraries) become records too, not raw stderr text.
    logging.captureWarnings(True)
    return handler


CONFIG_FLAGS = ("--log-config", "--logging-config-file", "--logging-config_file")
"""How uvicorn, Rasa and rasa-sdk are told which logging configuration to apply."""


def requested_config() -> str | None:
    """The logging configuration file named on this process's command line, if any."""
    args = sys.argv
    for position, arg in enumerate(args):
        name, _, value = arg.partition("=")
        if name in CONFIG_FLAGS:
            return value or (args[position + 1] if position + 1 < len(args) else None)
    return None


def keep_json_logging() -> None:
    """Apply the requested logging configuration again if something has replaced it.

    The Rasa server applies `--logging-config-file` and then installs its own coloured
    handler on the root logger; Sanic's worker processes (the action server's) start with no
    handler at all. Our channels and actions call this when loaded, afterwards. Does nothing
    in a process started without a logging configuration, or when it is still in place.
    """
    path = requested_config()
    if path is None:
        return
    handlers = logging.getLogger().handlers
    if len(handlers) == 1 and isinstance(handlers[0].formatter, JsonFormatter):
        return
    import yaml

    with open(path, encoding="utf-8") as config:
        logging.config.dictConfig(yaml.safe_load(config))
