"""Spotting and removing personal data in users' messages."""

from __future__ import annotations

import pytest

from bot.privacy import REDACTED, contains_personal_data, redact


@pytest.mark.parametrize(
    "text",
    [
        "mój PESEL to 90010112345, ile kosztuje karta?",
        "passport AB1234567 expired",
        "paszport EK 1234567",
        "sprawa WSC-II-S.6151.12345.2024 trwa długo",
    ],
)
def test_personal_data_is_spotted_and_redacted(text):
    assert contains_personal_data(text)
    cleaned = redact(text)
    assert REDACTED in cleaned
    assert not contains_personal_data(cleaned)


@pytest.mark.parametrize(
    "text",
    [
        "ile kosztuje karta pobytu? 100 zł czy 200 zł",
        "call +48 12 210 20 20",
        "ul. Przy Rondzie 6, 31-547 Kraków",
        "MOS od 27 kwietnia 2026",
        "Blue Card EU 2025",
    ],
)
def test_ordinary_questions_are_left_alone(text):
    assert not contains_personal_data(text)
    assert redact(text) == text
