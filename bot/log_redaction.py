"""Keeping secrets out of every log line of the process.

Some libraries log URLs that carry a secret (the Telegram Bot API puts the bot token in every
request path, and httpx logs each request). Rather than chase each logger, the process's log
record factory replaces a registered secret in every record's message and exception text
before any handler sees it. The Rasa process imports this module: standard library only.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

MASK = "[secret]"
_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def _masked(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, MASK)
    return text


def _wrap(factory: Any) -> Any:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = factory(*args, **kwargs)
        if not _secrets:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return record
        masked = _masked(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[0] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = _masked(text)
            record.exc_info = None
        return record

    return make_record


def hide_in_logs(secret: str) -> None:
    """Mask `secret` in every log record of this process from now on."""
    global _installed
    if len(secret) < 8:  # a short value would mask ordinary words; no real secret is that short
        return
    with _lock:
        _secrets.add(secret)
        if not _installed:
            logging.setLogRecordFactory(_wrap(logging.getLogRecordFactory()))
            _installed = True
