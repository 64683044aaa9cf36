"""Reply-language rules and detection on short, mixed chat messages (real lingua models)."""

from __future__ import annotations

import pytest

from bot.lang import LanguageDetector, choose_reply_language, lexicon_from_nlu
from bot.settings import ROOT


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    detector = LanguageDetector(lexicon_from_nlu(sorted((ROOT / "data" / "nlu").glob("*.yml"))))
    detector.warm_up()
    return detector


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Привіт", "uk"),
        ("Cześć", "pl"),
        ("dzien dobry", "pl"),
        ("скільки коштує карта побиту?", "uk"),
        ("сколько стоит карта побыту", "ru"),
        ("Здравствуйте", "ru"),
        ("ile kosztuje karta pobytu", "pl"),
        ("How long does the residence permit procedure take?", "en"),
        ("hello", "en"),
        ("Wie viel kostet die Aufenthaltskarte in Krakau?", "en"),
    ],
)
def test_detects_the_reply_language(detector, text, lang):
    assert detector.detect(text) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("що робити якщо загубив kartę pobytu?", "uk"),
        ("I lost my karta pobytu", "en"),
        ("what's the weather in Kraków?", "en"),
        ("how long does the wniosek take", "en"),
        ("а где подать wniosek о karta pobytu", "ru"),
        ("skilky koshtuye karta pobytu", "uk"),
        ("skolko stoit karta pobytu", "ru"),
        ("коли буде decyzja", "uk"),
        ("карта побиту", "uk"),
        ("карта побыту", "ru"),
        ("wniosek o pobyt czasowy", "pl"),
        ("zgubiłam kartę pobytu", "pl"),
        ("Combien coûte la carte de séjour en Pologne ?", "en"),
    ],
)
def test_borrowed_polish_terms_and_transliteration(detector, text, lang):
    assert detector.detect(text) == lang


def test_the_language_set_is_detected_right(detector):
    """The whole language test set (the end-to-end test sends it through the stack)."""
    import json

    rows = [json.loads(line) for line in (ROOT / "tests" / "eval" / "languages.jsonl").open()]
    wrong = [
        r
        for r in rows
        if choose_reply_language(detector.detect(r["text"]), None, None, None) != r["lang"]
    ]
    assert len(wrong) <= 0.03 * len(rows), wrong


@pytest.mark.parametrize("text", ["ok", "MOS", "👍", "123", "?"])
def test_says_nothing_when_the_message_does_not_tell(detector, text):
    assert detector.detect(text) is None


def test_a_word_shared_by_two_languages_tells_nothing(tmp_path):
    (tmp_path / "uk.yml").write_text("nlu:\n- intent: affirm\n  examples: |\n    - так\n")
    (tmp_path / "ru.yml").write_text("nlu:\n- intent: other\n  examples: |\n    - так\n")
    assert lexicon_from_nlu(sorted(tmp_path.glob("*.yml"))) == {"так": ""}


@pytest.mark.parametrize(
    ("detected", "locked", "hint", "current", "expected"),
    [
        ("uk", "en", "pl", "pl", "en"),  # an explicit choice sticks
        ("uk", None, "pl", "pl", "uk"),  # then the message's language
        (None, None, "ru-RU", None, "ru"),  # then the channel's hint
        (None, None, "ru-RU", "uk", "uk"),  # ...unless the conversation already has one
        (None, None, "de-DE", None, "en"),  # an unsupported hint means English
        (None, None, None, None, "pl"),  # else Polish
    ],
)
def test_choose_reply_language(detected, locked, hint, current, expected):
    assert choose_reply_language(detected, locked, hint, current) == expected
