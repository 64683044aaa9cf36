"""Writing entries back keeps every key the loader reads."""

from __future__ import annotations

from datetime import date

import yaml

from bot.kb.writer import dump_area


def test_valid_until_survives_a_round_trip():
    entry = {
        "id": "ukr.protection",
        "area": "ukraine",
        "sources": ["https://www.gov.pl/web/udsc"],
        "reviewed": date(2026, 11, 27),
        "valid_until": date(2027, 3, 4),
        "pl": {"title": "t", "phrasings": ["p"], "answer": "a"},
    }
    text = dump_area("ukraine", [entry])
    assert yaml.safe_load(text)["entries"][0]["valid_until"] == date(2027, 3, 4)
    assert text.index("reviewed:") < text.index("valid_until:") < text.index("pl:")
