"""Between the editor's form fields and an entry as the files hold it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.curation.store import RawEntry
from bot.kb.model import LANGUAGES
from bot.kb.writer import TEXT_KEYS


def lines(text: str) -> list[str]:
    """Non-empty lines of a textarea (one phrasing or one URL per line)."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def answer_text(text: str) -> str:
    # Multi-line answers end with a newline, as `|` blocks in the files do (no `|-` churn).
    text = text.replace("\r\n", "\n").strip()
    return text + "\n" if "\n" in text else text


def parse_date(text: str) -> date | str:
    """A date, or the text as typed so that validation reports it next to the field."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return text.strip()


def entry_from_form(form: Mapping[str, Any], audience: Sequence[str]) -> RawEntry:
    """The entry the editor's fields describe (validated later, as a whole knowledge base)."""

    def get(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else ""

    raw: RawEntry = {
        "id": get("id").strip(),
        "area": get("area").strip(),
        "audience": list(audience),
        "related": [r for r in re.split(r"[\s,]+", get("related")) if r],
        "sources": lines(get("sources")),
        "reviewed": parse_date(get("reviewed")),
    }
    if get("valid_until").strip():
        raw["valid_until"] = parse_date(get("valid_until"))
    for lang in LANGUAGES:
        raw[lang] = {
            "title": get(f"{lang}.title").strip(),
            "phrasings": lines(get(f"{lang}.phrasings")),
            "answer": answer_text(get(f"{lang}.answer")),
        }
    return raw


def form_values(raw: RawEntry) -> dict[str, str]:
    """The editor's field values for an entry (the inverse of `entry_from_form`)."""
    values = {
        "id": str(raw.get("id", "")),
        "area": str(raw.get("area", "")),
        "related": ", ".join(raw.get("related") or []),
        "sources": "\n".join(raw.get("sources") or []),
        "reviewed": str(raw.get("reviewed", "")),
        "valid_until": str(raw.get("valid_until") or ""),
    }
    for lang in LANGUAGES:
        block = raw.get(lang) or {}
        for key in TEXT_KEYS:
            value = block.get(key, "")
            values[f"{lang}.{key}"] = (
                "\n".join(value) if isinstance(value, list) else str(value).strip()
            )
    return values


def blank_entry(area: str = "") -> RawEntry:
    """A new entry for the editor, reviewed today."""
    raw: RawEntry = {"id": "", "area": area, "sources": [], "reviewed": date.today()}
    for lang in LANGUAGES:
        raw[lang] = {"title": "", "phrasings": [], "answer": ""}
    return raw
