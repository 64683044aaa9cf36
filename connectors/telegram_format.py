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


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    """Join consecutive pieces with `separator` into chunks of at most `limit` characters."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut a long text into messages at paragraph boundaries, else lines, else anywhere.

    Cutting happens on the escaped HTML, between paragraphs, so no tag is ever split.
    """
    if len(text) <= limit:
        return [text]
    paragraphs = [
        piece
        for paragraph in text.split("\n\n")
        for piece in ([paragraph] if len(paragraph) <= limit else _split_lines(paragraph, limit))
    ]
    return _pack(paragraphs, "\n\n", limit)


def _split_lines(paragraph: str, limit: int) -> list[str]:
    lines = [
        piece
        for line in paragraph.split("\n")
        for piece in ([line] if len(line) <= limit else _hard_split(line, limit))
    ]
    return _pack(lines, "\n", limit)


def _hard_split(text: str, limit: int) -> list[str]:
    return [text[i : i + limit] for i in range(0, len(text), limit)]
