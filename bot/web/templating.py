"""Server-rendered staff pages: Jinja2 with autoescaping, so user text is always escaped.

Every page is rendered in the request's console locale (see `bot.web.i18n`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from bot.inbound import MAX_MESSAGE_CHARS
from bot.web import i18n

TEMPLATES = Path(__file__).resolve().parent / "templates"

templates = Jinja2Templates(directory=TEMPLATES, context_processors=[i18n.template_context])
i18n.install(templates.env)
# A question typed into a console (the preview) has the same limit as a user's message.
templates.env.globals["max_message_chars"] = MAX_MESSAGE_CHARS
