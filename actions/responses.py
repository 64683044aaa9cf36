"""Sending a domain response in a given language from inside an action.

Rasa renders `dispatcher.utter_message(response=...)` with the slots as they were *before* the
action ran, so an action that has just changed the language (action_set_language,
action_choose_language) picks the variation itself from the domain it was given. The texts
still live only in domain.yml.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.responses import fill, variation_for


def utter_in(
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    name: str,
    lang: str,
    json_message: dict[str, Any] | None = None,
    buttons: list[dict[str, Any]] | None = None,
    **values: str,
) -> None:
    """Send response `name` in `lang`, whatever the language slot says right now.

    `{placeholders}` in the text are filled from `values`; `json_message` replaces the
    response's own custom payload, `buttons` its own buttons.
    """
    variation = variation_for(domain, name, lang)
    text = variation.get("text")
    dispatcher.utter_message(
        text=fill(text, values) if text else text,
        buttons=buttons or variation.get("buttons"),
        json_message=json_message or variation.get("custom"),
        lang=lang,
    )
