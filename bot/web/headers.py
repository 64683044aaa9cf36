"""Security headers on every response of the web app.

The pages run no inline script or style, so the Content-Security-Policy admits only this
origin's files; browsers may connect to the web app and to the Rasa server (the chat widget's
socket.io). No page may be framed. Staff and consultant pages, `/login` included, are never
stored by a browser or proxy cache: they show personal data of the users who wrote in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.i18n import is_console


def content_security_policy(rasa_public_url: str) -> str:
    rasa = urlsplit(rasa_public_url)
    socket = "wss" if rasa.scheme == "https" else "ws"
    connect = f"'self' {rasa.scheme}://{rasa.netloc} {socket}://{rasa.netloc}"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """ASGI middleware adding the headers above (a route's own values are kept)."""

    def __init__(self, app: ASGIApp, rasa_public_url: str):
        self.app = app
        self.common = [
            (b"content-security-policy", content_security_policy(rasa_public_url).encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(self.common)
        if is_console(str(scope["path"])):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
