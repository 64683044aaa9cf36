"""The trained NLU model tells conversation intents from questions in all four languages.

Messages here are not in the training data; each row would catch a regression in config.yml or
data/nlu that users would feel (a question answered with a greeting, a request for a person
ignored).
"""

from __future__ import annotations

import pytest

QUESTION_INTENTS = {"ask_question", "nlu_fallback", "out_of_scope"}
"""All three reach the knowledge-base action."""

CASES = [
    ("greet", ["Dzień dobry, mam pytanie", "Hello there", "Доброго ранку", "Привет всем"]),
    ("goodbye", ["Na razie, do usłyszenia", "See you later", "Бувайте", "Всего доброго"]),
    ("thanks", ["Wielkie dzięki!", "Thanks a lot", "Щиро дякую", "Спасибо огромное"]),
    ("human_handoff", [
        "Chcę porozmawiać z konsultantem",
        "Can I speak to a human agent?",
        "з'єднайте мене з живою людиною",
        "позовите оператора пожалуйста",
    ]),
    ("bot_challenge", ["Rozmawiam z botem?", "Are you a real person?", "Ви робот?", "Это бот?"]),
    ("start_finder", [
        "Nie wiem, jakiego zezwolenia potrzebuję",
        "Which permit is right for me?",
        "Який дозвіл мені підходить?",
        "Какое разрешение мне подходит?",
    ]),
]  # fmt: skip

QUESTIONS = [
    "Jak długo ważne jest zezwolenie na pobyt czasowy?",
    "Can my wife join me in Poland if I have a work permit?",
    "Що робити, якщо загубив карту побиту?",
    "Где забрать карту побыту в Кракове?",
    "What's the weather tomorrow?",
]


@pytest.mark.parametrize(("intent", "texts"), CASES, ids=[c[0] for c in CASES])
def test_conversation_intents_in_every_language(parse, intent, texts):
    for text in texts:
        assert parse(text)["intent"]["name"] == intent, text


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions_reach_the_knowledge_base(parse, text):
    assert parse(text)["intent"]["name"] in QUESTION_INTENTS


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("po polsku proszę", "pl"),
        ("in English, please", "en"),
        ("українською", "uk"),
        ("по-русски", "ru"),
    ],
)
def test_language_choice_carries_the_language(parse, text, lang):
    result = parse(text)
    assert result["intent"]["name"] == "choose_language"
    assert [e["value"] for e in result["entities"] if e["entity"] == "language"] == [lang]
