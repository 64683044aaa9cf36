"""JSON log lines: one schema, the request's ids, no personal data, no secrets."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

from bot.logs import (
    CONVERSATION_ID,
    REQUEST_ID,
    JsonFormatter,
    conversation_id,
    json_handler,
    scrub,
    service_name,
)
from bot.settings import ROOT

FIELDS = {"ts", "level", "service", "logger", "message", "request_id", "conversation_id"}


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("bot.test", logging.WARNING, __file__, 1, message, args, None)


def test_a_line_has_the_schema_and_the_current_ids():
    request, conversation = REQUEST_ID.set("r1"), CONVERSATION_ID.set(conversation_id("user-7"))
    try:
        line = json.loads(JsonFormatter("webapp").format(record("searched %s", "karta")))
    finally:
        REQUEST_ID.reset(request)
        CONVERSATION_ID.reset(conversation)
    assert set(line) == FIELDS
    assert line["service"] == "webapp" and line["level"] == "WARNING"
    assert line["message"] == "searched karta"
    assert line["request_id"] == "r1"
    assert line["conversation_id"] == conversation_id("user-7") != "user-7"


def test_personal_data_and_secrets_are_masked(monkeypatch):
    monkeypatch.setenv("FAQ_INTERNAL_TOKEN", "s3cret-internal-token")
    text = (
        "user said 85010112345 and jan.kowalski@example.com; "
        "GET /conversations/x/tracker?token=rasa-api-token&x=1 with s3cret-internal-token, "
        "Authorization: Bearer abc.def, postgresql://faq:pa55word@db/faq"
    )
    clean = scrub(text)
    for secret in ("85010112345", "jan.kowalski", "rasa-api-token", "s3cret", "abc.def", "pa55"):
        assert secret not in clean
    assert "token=[secret]&x=1" in clean and "postgresql://faq:[secret]@db/faq" in clean


def test_tracebacks_are_scrubbed_too():
    try:
        raise ValueError("bad PESEL 85010112345")
    except ValueError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = json.loads(JsonFormatter("actions").format(rec))
    assert "ValueError" in line["exc"] and "85010112345" not in line["exc"]


def test_log_level_comes_from_the_environment(monkeypatch):
    root = logging.getLogger()
    previous = root.level
    monkeypatch.setenv("LOG_LEVEL", "debug")
    try:
        json_handler()
        assert root.level == logging.DEBUG
        monkeypatch.setenv("LOG_LEVEL", "nonsense")
        json_handler()
        assert root.level == logging.INFO
    finally:
        root.setLevel(previous)


def test_logging_yml_gives_json_lines_on_stderr():
    # What uvicorn, rasa-sdk and Rasa do with `logging.yml`, in a process of its own.
    script = (
        "import logging, logging.config, yaml;"
        "logging.config.dictConfig(yaml.safe_load(open('logging.yml')));"
        "logging.getLogger('uvicorn.error').info('started 85010112345');"
        "logging.getLogger('uvicorn.access').info('1.2.3.4 GET /');"
        "logging.getLogger('x').debug('hidden')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "LOG_LEVEL": "INFO", "FAQ_LOG_SERVICE": "webapp"},
    )
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(x["logger"], x["message"], x["service"]) for x in lines] == [
        ("uvicorn.error", "started […]", "webapp")
    ]


def test_the_service_is_what_the_starter_named_else_the_program(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/srv/faq/.venv/bin/uvicorn", "bot.web.app:create_app"])
    monkeypatch.setenv("FAQ_LOG_SERVICE", "webapp")
    assert service_name() == "webapp"
    monkeypatch.delenv("FAQ_LOG_SERVICE")
    assert service_name() == "uvicorn"
    monkeypatch.setattr(sys, "argv", ["/srv/faq/actions/server.py", "--port", "5055"])
    assert service_name() == "server"
    monkeypatch.setattr(sys, "argv", [""])  # an interactive interpreter
    assert service_name() == "python"
