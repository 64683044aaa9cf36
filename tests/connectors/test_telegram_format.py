"""Splitting long answers into Telegram messages (the markup itself: tests/bot/test_markup.py)."""

from __future__ import annotations

from connectors.telegram_format import TELEGRAM_LIMIT, html_parts


def test_a_6000_character_answer_is_split_in_two_at_a_paragraph():
    first = "a" * 3000
    second = "b" * 2990
    chunks = html_parts(f"{first}\n\n{second}")
    assert chunks == [first, second]


def test_paragraphs_are_packed_and_never_exceed_the_limit():
    text = "\n\n".join(["word " * 150] * 20)
    chunks = html_parts(text)
    assert all(len(c) <= TELEGRAM_LIMIT for c in chunks)
    assert "\n\n".join(chunks).split() == text.split()


def test_an_endless_line_is_cut_hard():
    chunks = html_parts("x" * 9000)
    assert [len(c) for c in chunks] == [4096, 4096, 808]
