"""Turning the assistant's texts into Telegram messages (HTML parse mode, 4,096 characters)."""

from __future__ import annotations

import re

from bot.markup import telegram_html

TELEGRAM_LIMIT = 4096
_BREAKS = re.compile(r"(\n\n|\n| )")


def html_parts(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The text as Telegram messages of at most `limit` characters, each complete HTML.

    The plain text is cut first — at paragraphs, else lines, else spaces, else anywhere — and
    each part is formatted on its own, so no part ends inside an entity such as `&amp;` or
    between `<b>` and `</b>`; a `**` pair cut apart stays literal.
    """
    text = text.strip()
    whole = telegram_html(text)
    if len(whole) <= limit:
        return [whole] if whole else []
    parts: list[str] = []
    current = ""
    for piece in _BREAKS.split(text):
        candidate = current + piece
        if len(telegram_html(candidate)) <= limit:
            current = candidate
            continue
        if current.strip():
            parts.append(telegram_html(current))
        current = ""
        for char in piece:  # a piece longer than a message on its own: cut anywhere
            if len(telegram_html(current + char)) > limit and current.strip():
                parts.append(telegram_html(current))
                current = ""
            current += char
    if current.strip():
        parts.append(telegram_html(current))
    return parts
