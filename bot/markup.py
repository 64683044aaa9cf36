"""The answers' small formatting subset, rendered on the server.

Knowledge-base answers and the bot's responses use `**bold**`, lines starting with "- " as
list items, blank lines between paragraphs and bare https links — nothing else, and never
raw HTML: everything is escaped first. Pages (the printable checklist) get HTML; Telegram
gets the subset of HTML its parse mode takes. The browsers render the same subset
themselves (the widget, the consultant console).

Plain Python, no dependencies: the Rasa server's connectors (Python 3.10) import it too.
"""

from __future__ import annotations

import html
import re

BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
URL = re.compile(r"https://[^\s<]+[^\s<.,;:!?)]")
"""A bare link, without the punctuation that ends the sentence around it."""
LIST_ITEM = "- "
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _inline_html(escaped: str) -> str:
    escaped = BOLD.sub(r"<strong>\1</strong>", escaped)
    return URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)


def page_html(text: str) -> str:
    """HTML for a page: paragraphs, `<ul>` lists, bold and links, from escaped text only."""
    out = []
    for block in PARAGRAPH_BREAK.split(text.strip()):
        lines = [html.escape(line.strip()) for line in block.splitlines() if line.strip()]
        items = [line[len(LIST_ITEM) :] for line in lines if line.startswith(LIST_ITEM)]
        prose = [line for line in lines if not line.startswith(LIST_ITEM)]
        if prose:
            out.append("<p>" + "<br>".join(_inline_html(line) for line in prose) + "</p>")
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline_html(i)}</li>" for i in items) + "</ul>")
    return "".join(out)


def telegram_html(text: str) -> str:
    """Telegram's HTML parse mode: bold as <b>, list items as bullets, line breaks kept;
    links stay plain URLs, which Telegram makes clickable."""
    escaped = html.escape(text.strip(), quote=False)
    escaped = BOLD.sub(r"<b>\1</b>", escaped)
    return "\n".join(
        "• " + line[len(LIST_ITEM) :] if line.startswith(LIST_ITEM) else line
        for line in escaped.split("\n")
    )
