"""The personal checklist: the result's entries in one language, as data and as safe HTML."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from markupsafe import Markup

from bot.kb.model import KnowledgeBase

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_URL = re.compile(r"https://[^\s<]+[^\s<.,;:!?)]")


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str
    answer: str
    sources: tuple[str, ...]
    reviewed: date


def build(kb: KnowledgeBase, entry_ids: list[str], lang: str) -> list[ChecklistItem]:
    """The entries that exist, in the order given, in `lang`."""
    items = []
    for entry_id in entry_ids:
        entry = kb.get(entry_id)
        if entry is not None:
            local = entry.text(lang)
            items.append(
                ChecklistItem(entry.id, local.title, local.answer, entry.sources, entry.reviewed)
            )
    return items


def page_path(entry_ids: list[str] | tuple[str, ...], lang: str) -> str:
    """The printable page's path: everything it shows follows from the query, nothing is stored."""
    return "/finder/checklist?" + urlencode({"lang": lang, "entries": ",".join(entry_ids)})


def _inline(escaped: str) -> str:
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)


def answer_html(text: str) -> Markup:
    """An answer's small formatting subset (bold, `- ` lists, paragraphs, bare https links)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [html.escape(line.strip()) for line in block.splitlines() if line.strip()]
        items = [line[2:] for line in lines if line.startswith("- ")]
        prose = [line for line in lines if not line.startswith("- ")]
        if prose:
            out.append("<p>" + "<br>".join(_inline(line) for line in prose) + "</p>")
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
    return Markup("".join(out))  # built from escaped text only
