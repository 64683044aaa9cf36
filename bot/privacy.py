"""Spotting personal data that users paste into the chat, so the bot can ask them not to.

The assistant never needs a passport, PESEL or case number; when it sees one it says so. The
patterns favour precision: a false warning is a small annoyance, a missed one costs nothing
more than before.
"""

from __future__ import annotations

import re

_PATTERNS = (
    re.compile(r"(?<!\d)\d{11}(?!\d)"),  # PESEL
    re.compile(r"\b[A-Z]{2}\s?\d{7}\b"),  # Polish and many other passports: two letters, 7 digits
    re.compile(r"\b[A-Z]{1,2}\d{6,8}\b"),  # other passport numbers
    # Case references such as "WSC-II-S.6151.12345.2024"
    re.compile(r"\b[A-Z]{2,5}(?:-[A-Z0-9]{1,4})+\.\d{3,5}\.\d{1,6}\.\d{4}\b"),
)


REDACTED = "[…]"


def contains_personal_data(text: str) -> bool:
    """Whether `text` seems to contain a PESEL, passport or case number."""
    return any(p.search(text) for p in _PATTERNS)


def redact(text: str) -> str:
    """`text` with every PESEL, passport and case number replaced, for storing questions."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text
