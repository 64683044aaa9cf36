"""Readable differences between two versions of an entry, for the history and imports."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.curation.store import RawEntry
from bot.kb.model import LANGUAGES

SHARED_FIELDS = ("area", "audience", "related", "sources", "reviewed")


def field_values(raw: RawEntry | None) -> dict[str, list[str]]:
    """Every field of an entry as lines of text, keyed like the editor's fields."""
    if not raw:
        return {}
    out: dict[str, list[str]] = {}
    for key in SHARED_FIELDS:
        value = raw.get(key)
        out[key] = [str(v) for v in value] if isinstance(value, list) else [str(value or "")]
    for lang in LANGUAGES:
        block = raw.get(lang) or {}
        out[f"{lang}.title"] = [str(block.get("title", ""))]
        out[f"{lang}.phrasings"] = [str(p) for p in block.get("phrasings") or []]
        out[f"{lang}.answer"] = str(block.get("answer", "")).strip().split("\n")
    return out


def changed_fields(before: RawEntry | None, after: RawEntry | None) -> list[str]:
    """Names of the fields that differ, in the editor's order."""
    old, new = field_values(before), field_values(after)
    return [key for key in (new or old) if old.get(key) != new.get(key)]


@dataclass(frozen=True)
class DiffLine:
    kind: str
    """`+` added, `-` removed, ` ` context, `@` a field's heading."""
    text: str


def entry_diff(before: RawEntry | None, after: RawEntry | None) -> list[DiffLine]:
    """Per changed field, a line diff of its old and new text."""
    old, new = field_values(before), field_values(after)
    out: list[DiffLine] = []
    for key in changed_fields(before, after):
        out.append(DiffLine("@", key))
        for line in difflib.ndiff(old.get(key, []), new.get(key, [])):
            if line[:1] in {"+", "-", " "}:
                out.append(DiffLine(line[:1], line[2:]))
    return out
