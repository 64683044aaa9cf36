"""What a client may send: the one rule for message texts, sender ids and metadata at every edge.

Every channel (REST, the web chat's socket.io, Telegram) and the web app's JSON API apply these
functions to what arrives, before anything reaches NLU, a tracker store or a database:

- a text is valid UTF-8 (no lone surrogates) without control characters (tab and newline are
  kept); channels normalise a text (`clean_text`), the JSON API refuses an invalid one
  (`check_text`);
- a message longer than `MAX_MESSAGE_CHARS` is never parsed: the channel hands Rasa the
  `REFUSED_PAYLOAD` with the reason in the metadata, and the assistant sends its polite refusal;
- PESEL, passport and case numbers are redacted before Rasa stores the message, with a mark in
  the metadata so that the assistant still warns the user;
- sender ids are namespaced per channel (`telegram:…`, `webchat:…`) so that no channel can write
  into another channel's conversations, and bounded: an over-long id maps to a hash of itself;
- metadata from clients is reduced to the keys the assistant reads.

The Rasa process imports this module (Python 3.10): standard library only.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from bot.privacy import redact

MAX_MESSAGE_CHARS = 1000
"""The longest message the assistant reads, on every channel and in the JSON API."""
MAX_SENDER_CHARS = 128
MAX_CHANNEL_CHARS = 32
MAX_HINT_CHARS = 16
NAMESPACED_CHANNELS = ("telegram", "webchat")
"""Channels whose sender ids carry their name as a prefix."""
REFUSED_PAYLOAD = "/nlu_fallback"
"""What Rasa receives instead of a message it must not or cannot read (too long, not text):
a payload, so NLU never parses it, which the assistant answers like a question it has no
answer for unless the metadata says why it was refused."""
INTERNAL_INTENTS = frozenset({"restart", "back", "session_start"})
"""Rasa's own intents: a client's payload must not reset or rewind a conversation (a handoff
in progress included)."""
REFUSED = "refused"
"""Metadata key: why the channel refused the message (`too_long`)."""
PERSONAL_DATA = "personal_data"
"""Metadata key: the channel redacted personal data from the message."""
TOO_LONG = "too_long"
HASHED_ID_PREFIX = "h-"

# C0 and C1 control characters, except tab and newline; lone surrogates (which JSON can carry
# as "\ud800" but no database or encoder accepts).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CHANNEL = re.compile(rf"[a-z0-9_-]{{1,{MAX_CHANNEL_CHARS}}}")


class InvalidInput(ValueError):
    """What a client sent cannot be used; the message is a short reason, safe to show."""


def text_problem(value: object) -> str | None:
    """Why `value` is not acceptable text, or None when it is."""
    if not isinstance(value, str):
        return "must be a string"
    if _SURROGATE.search(value):
        return "must be valid UTF-8 text (it contains a lone surrogate)"
    if _CONTROL.search(value.replace("\r\n", "\n")):
        return "must not contain control characters"
    return None


def check_text(value: object) -> str:
    """`value` in Unicode normal form C, when it is acceptable text.

    Raises:
        InvalidInput: when it is not a string, or has a lone surrogate or a control character.
    """
    problem = text_problem(value)
    if problem is not None:
        raise InvalidInput(problem)
    assert isinstance(value, str)
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n"))


def clean_text(value: str) -> str:
    """`value` made acceptable: lone surrogates become U+FFFD, control characters go away."""
    value = _SURROGATE.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", _CONTROL.sub("", value)).strip()


def bounded_id(value: str, limit: int = MAX_SENDER_CHARS) -> str:
    """`value` if it fits in `limit` characters, else a stable hash of it that does."""
    if len(value) <= limit:
        return value
    return HASHED_ID_PREFIX + hashlib.sha256(value.encode("utf-8")).hexdigest()


def sender_id(channel: str, raw: object) -> str:
    """The conversation id for a client's id `raw` on `channel`: valid, bounded, namespaced.

    The REST channel, meant for tests and evaluation, keeps a client's id as given unless it
    borrows another channel's namespace, which it is then moved out of.

    Raises:
        InvalidInput: when `raw` is missing, empty or not valid text.
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("sender must be a non-empty string")
    problem = text_problem(raw)
    if problem is not None:
        raise InvalidInput(f"sender {problem}")
    raw = raw.strip()
    if channel in NAMESPACED_CHANNELS or raw.startswith(
        tuple(f"{name}:" for name in NAMESPACED_CHANNELS)
    ):
        prefix = f"{channel}:"
        return prefix + bounded_id(raw, MAX_SENDER_CHARS - len(prefix))
    return bounded_id(raw)


def channel_id(sender: str) -> str:
    """The channel's own id inside a namespaced sender id: `telegram:42` → `42`."""
    return sender.partition(":")[2] if ":" in sender else sender


def input_channel(raw: object, default: str) -> str:
    """A client-named input channel when it is a short plain name, else `default`."""
    if isinstance(raw, str) and _CHANNEL.fullmatch(raw):
        return raw
    return default


def client_metadata(raw: object) -> dict[str, Any]:
    """The parts of a client's metadata the assistant reads: the language hint, when sane."""
    if not isinstance(raw, dict):
        return {}
    language = raw.get("language")
    if isinstance(language, str) and text_problem(language) is None:
        language = language.strip()
        if 0 < len(language) <= MAX_HINT_CHARS:
            return {"language": language}
    return {}


def inbound_message(text: object, metadata: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text and metadata Rasa gets for a client's message `text`.

    The text is cleaned and redacted; a message over `MAX_MESSAGE_CHARS` becomes the
    `REFUSED_PAYLOAD`, so that neither NLU nor the tracker store ever sees it.
    """
    metadata = dict(metadata)
    if not isinstance(text, str):
        return REFUSED_PAYLOAD, metadata
    cleaned = clean_text(text)
    if len(cleaned) > MAX_MESSAGE_CHARS:
        metadata[REFUSED] = TOO_LONG
        return REFUSED_PAYLOAD, metadata
    if cleaned.startswith("/") and re.split(r"[{@\s]", cleaned[1:])[0] in INTERNAL_INTENTS:
        return REFUSED_PAYLOAD, metadata
    redacted = redact(cleaned)
    if redacted != cleaned:
        metadata[PERSONAL_DATA] = True
    return redacted, metadata
