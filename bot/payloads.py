"""Button payloads that start something in the assistant, for every place that offers them.

The assistant's clarification buttons (actions/kb.py) and the widget's suggested topics
(bot/web/routers/widget.py) ask for an entry the same way; the widget's permit-finder button
sends the finder's own payload.
"""

from __future__ import annotations

import json

CHOOSE_ENTRY = "choose_entry"
"""The intent of a button asking for one entry, named in its `kb_entry` entity."""
NONE_OF_THESE = "none_of_these"
"""The intent of a clarification's "none of these" button."""
FINDER_INTENT = "start_finder"
START_FINDER = f"/{FINDER_INTENT}"
"""Starts the guided permit finder."""


def entry_choice(entry_id: str) -> str:
    """Asks for one knowledge-base entry (intent `choose_entry`), as a clarification choice."""
    return f"/{CHOOSE_ENTRY}" + json.dumps({"kb_entry": entry_id})
