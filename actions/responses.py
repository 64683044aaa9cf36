"""Choosing a domain response's variation for a language inside an action.

Rasa renders `dispatcher.utter_message(response=...)` with the slots as they were *before* the
action ran, so an action that has just changed the language (action_set_language,
action_choose_language) picks the variation itself from the domain it was given. The texts
still live only in domain.yml.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher


def _matches(variation: dict[str, Any], lang: str) -> bool:
    conditions = variation.get("condition") or []
    return all(
        c.get("type") == "slot" and c.get("name") == "language" and c.get("value") == lang
        for c in conditions
    )


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


def utter_in(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], name: str, lang: str
) -> None:
    """Send response `name` in `lang`, whatever the language slot says right now."""
    variation = variation_for(domain, name, lang)
    dispatcher.utter_message(
        text=variation.get("text"),
        buttons=variation.get("buttons"),
        json_message=variation.get("custom"),
    )
