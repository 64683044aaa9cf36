"""The bot's texts: picking a domain.yml response's variation for a language.

Actions and the web app (which sends notices on the consultants' behalf) both render
responses themselves, so the texts live only in domain.yml.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


def _matches(variation: dict[str, Any], lang: str) -> bool:
    conditions = variation.get("condition") or []
    return all(
        c.get("type") == "slot" and c.get("name") == "language" and c.get("value") == lang
        for c in conditions
    )


def review_date(reviewed: date | str) -> str:
    """An entry's review date as users read it, in every language and channel: 23.11.2026."""
    return date.fromisoformat(str(reviewed)).strftime("%d.%m.%Y")


def variation_for(domain: dict[str, Any], name: str, lang: str) -> dict[str, Any]:
    """The variation of response `name` for `lang` (the unconditioned one if none matches).

    Raises:
        KeyError: if the domain has no such response.
    """
    variations: list[dict[str, Any]] = domain.get("responses", {})[name]
    conditioned = [v for v in variations if v.get("condition") and _matches(v, lang)]
    default = [v for v in variations if not v.get("condition")]
    chosen = (conditioned or default or variations)[0]
    return {k: v for k, v in chosen.items() if k != "condition"}


def fill(text: str, values: dict[str, str]) -> str:
    """Replace `{name}` placeholders of a response text (Rasa's slot syntax)."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def day_names(domain: dict[str, Any], lang: str) -> list[str]:
    """Monday-first weekday abbreviations in `lang` (response `utter_weekday_names`)."""
    return [
        d.strip()
        for d in str(variation_for(domain, "utter_weekday_names", lang)["text"]).split(",")
    ]


@lru_cache(maxsize=4)
def load_domain(path: Path) -> dict[str, Any]:
    """domain.yml, read once per process."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))
