"""The knowledge-base data model: entries with per-language texts, sources and a review date."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date

LANGUAGES: tuple[str, ...] = ("pl", "en", "uk", "ru")
"""Languages every entry is written in, in the order the consoles show them."""
OTHER_OFFICES_AREAS = frozenset({"redirect", "nearmiss"})
"""Areas of entries that send the user to another institution, not answers of this office."""


@dataclass(frozen=True)
class LocalText:
    """An entry's text in one language."""

    title: str
    phrasings: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Entry:
    """One curated answer of the knowledge base."""

    id: str
    area: str
    texts: dict[str, LocalText]
    sources: tuple[str, ...]
    reviewed: date
    audience: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    valid_until: date | None = None
    """The last day a time-bound fact in the entry holds (a deadline, a transitional rule)."""

    def text(self, lang: str) -> LocalText:
        """The entry's text in `lang`, falling back to English, then Polish."""
        for candidate in (lang, "en", "pl"):
            if candidate in self.texts:
                return self.texts[candidate]
        return next(iter(self.texts.values()))


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries plus the out-of-scope examples that teach search to refuse."""

    entries: tuple[Entry, ...]
    negatives: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def content_hash(self) -> str:
        """A hash of everything search depends on; the index is rebuilt when it changes."""
        payload = {
            "entries": [asdict(e) for e in sorted(self.entries, key=lambda e: e.id)],
            "negatives": {k: list(v) for k, v in sorted(self.negatives.items())},
        }
        blob = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
