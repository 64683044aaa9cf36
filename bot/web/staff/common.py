"""What every staff-console page shares: rendering with the session, the preview search."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from bot.web.templating import templates


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A staff page; the session (for the nav and the CSRF token) comes from the request."""
    session = getattr(request.state, "staff_session", None)
    return templates.TemplateResponse(
        request, name, {"session": session, **context}, status_code=status_code
    )
