"""Long answers on Telegram are cut as text first and formatted after, so every part is valid
HTML: a cut inside `&amp;` or between `<b>` and `</b>` makes Telegram refuse the message."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from bot.markup import telegram_html
from connectors.telegram_format import TELEGRAM_LIMIT, html_parts

ENTITY = re.compile(r"&(amp|lt|gt);")


class _Checker(HTMLParser):
    """Telegram's rules for the tags we send: only <b>, properly nested and closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        assert tag == "b" and not self.open, f"unexpected <{tag}>"
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open == [tag], f"unbalanced </{tag}>"
        self.open.pop()


def _valid(part: str) -> bool:
    checker = _Checker()
    checker.feed(part)
    checker.close()
    # Every "&" starts a whole entity: none was cut.
    return not checker.open and all(ENTITY.match(part, i) for i, c in enumerate(part) if c == "&")


@pytest.mark.parametrize(
    "text",
    [
        "&" * 5000,  # escapes to 25,000 characters
        "**" + "pogrubione słowo " * 400 + "**",  # one bold span longer than a message
        ("**Opłata** & <koszt> 100 zł. " * 30 + "\n\n") * 8,
        "- punkt & " + "x" * 9000,
    ],
)
def test_every_part_of_a_long_message_is_valid_html_within_the_limit(text):
    parts = html_parts(text)
    assert len(parts) > 1
    assert all(len(p) <= TELEGRAM_LIMIT and _valid(p) for p in parts)
    # Nothing is lost: the parts hold the whole text.
    plain = html.unescape("".join(re.sub(r"</?b>", "", p) for p in parts))
    assert plain.count("&") == text.count("&") and plain.count("<") == text.count("<")


def test_a_short_message_is_one_formatted_part():
    assert html_parts("**100 zł** & more") == [telegram_html("**100 zł** & more")]
    assert html_parts("   ") == []
