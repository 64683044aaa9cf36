"""The entry list of the console: one row per entry, with the filters curators use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.curation.store import RawEntry
from bot.kb.freshness import Expiry, expiry
from bot.kb.model import LANGUAGES
from bot.text import fold


@dataclass(frozen=True)
class EntryRow:
    id: str
    area: str
    title: str
    reviewed: date | None
    days_since_review: int | None
    languages: tuple[str, ...]
    """Languages with a title and an answer."""
    needs_review: tuple[str, ...]
    """Languages flagged for translation review."""
    expiry: Expiry | None = None
    """Whether the entry's time-bound facts (`valid_until`) need a curator now."""

    @property
    def complete(self) -> bool:
        return len(self.languages) == len(LANGUAGES) and not self.needs_review


@dataclass(frozen=True)
class Filters:
    q: str = ""
    area: str = ""
    completeness: str = ""
    """`complete`, `incomplete` or empty for both."""
    min_days: int | None = None
    """Only entries not reviewed for at least this many days."""
    needs_review: bool = False


def row_of(raw: RawEntry, flags: list[str], today: date) -> EntryRow:
    reviewed = raw.get("reviewed")
    reviewed = reviewed if isinstance(reviewed, date) else None
    languages = tuple(
        lang
        for lang in LANGUAGES
        if isinstance(raw.get(lang), dict) and raw[lang].get("title") and raw[lang].get("answer")
    )
    title = next((str(raw[lang]["title"]) for lang in languages), str(raw.get("id")))
    valid_until = raw.get("valid_until")
    return EntryRow(
        id=str(raw.get("id")),
        area=str(raw.get("area")),
        title=title,
        reviewed=reviewed,
        days_since_review=(today - reviewed).days if reviewed else None,
        languages=languages,
        needs_review=tuple(sorted(flags, key=LANGUAGES.index)),
        expiry=expiry(valid_until if isinstance(valid_until, date) else None, reviewed, today),
    )


def _matches(row: EntryRow, raw: RawEntry, f: Filters) -> bool:
    if f.area and row.area != f.area:
        return False
    if f.completeness == "complete" and not row.complete:
        return False
    if f.completeness == "incomplete" and row.complete:
        return False
    if f.needs_review and not row.needs_review:
        return False
    if f.min_days is not None and (row.days_since_review or 0) < f.min_days:
        return False
    if f.q:
        haystack = [row.id] + [
            str(raw[lang].get(key, "")) for lang in row.languages for key in ("title", "answer")
        ]
        haystack += [str(p) for lang in row.languages for p in raw[lang].get("phrasings") or []]
        needle = fold(f.q)
        return any(needle in fold(text) for text in haystack)
    return True


def entry_rows(
    entries: list[RawEntry], flags: dict[str, list[str]], filters: Filters, today: date
) -> list[EntryRow]:
    """The rows matching `filters`, by area then id."""
    rows = []
    for raw in entries:
        row = row_of(raw, flags.get(str(raw.get("id")), []), today)
        if _matches(row, raw, filters):
            rows.append(row)
    return sorted(rows, key=lambda r: (r.area, r.id))
