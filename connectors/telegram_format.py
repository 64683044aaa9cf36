"""Turning the assistant's texts into Telegram messages (HTML parse mode, 4,096 characters)."""

from __future__ import annotations

import html
import re

TELEGRAM_LIMIT = 4096
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def to_html(text: str) -> str:
    """Escape everything, then render the answers' small formatting subset.

    `**bold**` becomes <b>bold</b> and "- " list items become bullets; links stay plain URLs,
    which Telegram makes clickable.
    """
    escaped = html.escape(text.strip(), quote=False)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    return "\n".join(
        "• " + line[2:] if line.startswith("- ") else line for line in escaped.split("\n")
    )


_BREAKS = re.compile(r"(\n\n|\n| )")


def html_parts(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The text as Telegram messages of at most `limit` characters, each complete HTML.

    The plain text is cut first — at paragraphs, else lines, else spaces, else anywhere — and
    each part is formatted on its own, so no part ends inside an entity such as `&amp;` or
    between `<b>` and `</b>`; a `**` pair cut apart stays literal.
    """
    text = text.strip()
    whole = to_html(text)
    if len(whole) <= limit:
        return [whole] if whole else []
    parts: list[str] = []
    current = ""
    for piece in _BREAKS.split(text):
        candidate = current + piece
        if len(to_html(candidate)) <= limit:
            current = candidate
            continue
        if current.strip():
            parts.append(to_html(current))
        current = ""
        for char in piece:  # a piece longer than a message on its own: cut anywhere
            if len(to_html(current + char)) > limit and current.strip():
                parts.append(to_html(current))
                current = ""
            current += char
    if current.strip():
        parts.append(to_html(current))
    return parts
