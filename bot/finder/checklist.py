"""The personal checklist: the result's entries in one language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from bot.kb.model import KnowledgeBase


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
