"""The demo page with the chat widget, and the files the widget loads that are not static."""

from __future__ import annotations

import html
import json
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

from bot.inbound import MAX_MESSAGE_CHARS
from bot.settings import ROOT
from bot.web.deps import SettingsDep

router = APIRouter(tags=["pages"])

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SOCKET_IO_CLIENT = ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


@router.get("/", response_class=HTMLResponse)
def demo_page(settings: SettingsDep) -> HTMLResponse:
    """An office-like page with the widget embedded by its one script tag."""
    page = (TEMPLATES / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(page.replace("{{RASA_URL}}", html.escape(settings.rasa_public_url)))


@router.get("/static/vendor/socket.io.min.js", include_in_schema=False)
def socket_io_client() -> FileResponse:
    """The socket.io client, installed from the npm registry by `make setup`."""
    if not SOCKET_IO_CLIENT.exists():
        raise HTTPException(status_code=503, detail="socket.io client missing: run `make setup`")
    return FileResponse(SOCKET_IO_CLIENT, media_type="text/javascript")


@router.get("/static/widget-config.js", include_in_schema=False)
def widget_config() -> Response:
    """The server's limits the widget enforces too, as one of its parts (see widget.js).

    A script rather than JSON: a page of another site may load a script without CORS.
    """
    config = json.dumps({"maxChars": MAX_MESSAGE_CHARS})
    script = (
        '"use strict";\n'
        f"(globalThis.infoopt = globalThis.infoopt || {{}}).widgetConfig = {config};\n"
    )
    return Response(script, media_type="text/javascript")
