"""Texts the consoles show translated but that are written where no request is at hand.

A refusal raised by the accounts, the dialogue editor or the handoff queue is written in
English with `%(name)s` placeholders and marked with `N_` for the consoles' catalogue
(`make messages`); the console translates it into the staff member's language when it shows
it (`TranslatableError.translated`), while the command line and the logs read it in English.
Dependency-free, so that any module can raise one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Mark `message` for the catalogue; it is translated where it is shown."""
    return message


def translate(gettext: Callable[[str], str], message: str, params: Mapping[str, object]) -> str:
    """`message` in the language of `gettext`, with its placeholders filled."""
    text = gettext(message)
    return text % params if params else text


@dataclass(frozen=True)
class Translatable:
    """A text written where no request is at hand: English `message`, `%(name)s` params."""

    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return translate(str, self.message, self.params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return translate(gettext, self.message, self.params)


class TranslatableError(Exception):
    """A refusal whose message the consoles show in the staff member's language."""

    def __init__(self, message: str, **params: object):
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of `gettext`, with its placeholders filled."""
        return translate(gettext, self.message, self.params)
