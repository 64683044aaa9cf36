"""Knowledge-base answers carry the date their facts were last checked, in the reply language."""

from __future__ import annotations

import pytest

from actions.kb import answer_text
from bot.responses import load_domain
from bot.settings import ROOT

ENTRY = {
    "id": "card.fees",
    "answer": "100 PLN.\n\nMore: https://infoopt.pl/oplaty/",
    "reviewed": "2026-11-23",
}


@pytest.mark.parametrize(
    ("lang", "checked"),
    [("pl", "Sprawdzono"), ("en", "Checked"), ("uk", "Перевірено"), ("ru", "Проверено")],
)
def test_the_answer_ends_with_its_review_date(lang, checked):
    text = answer_text(load_domain(ROOT / "domain.yml"), ENTRY, lang)
    assert text.startswith(ENTRY["answer"])
    assert text.endswith(f"\n\n{checked}: 23.11.2026")
