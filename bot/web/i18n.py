"""The consoles' language: Babel message catalogues, the request's locale and its formats.

The staff and consultant pages (and `/login`) are in Polish unless the user asks for English:
`?lang=en` (remembered on the user's account and in a cookie for the login page), then the
account's stored choice, then the cookie, then `Accept-Language`. Message ids are the English
texts, so English needs no catalogue. Catalogues are read from the `.po` sources and compiled
in memory on first use: a fresh clone needs no compile step.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime, format_skeleton, get_timezone
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONSOLE_LOCALES = ("pl", "en")
DEFAULT_LOCALE = "pl"
SOURCE_LOCALE = "en"
"""The language of the message ids."""
LOCALE_COOKIE = "faq_console_lang"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
CONSOLE_PREFIXES = ("/login", "/logout", "/account", "/staff", "/consultant")
"""The consoles' pages and APIs: in the staff member's language, never cached."""
TIMEZONE = "Europe/Warsaw"
"""Staff read times in the office's time zone, whatever the server's."""


def catalog_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(locale: str) -> Catalog:
    """The `.po` catalogue of a console locale (empty for the source language)."""
    if locale == SOURCE_LOCALE:
        return Catalog(locale=locale)
    with catalog_path(locale).open("rb") as source:
        return read_po(source, locale=locale)


@cache
def translations(locale: str) -> gettext.NullTranslations:
    if locale == SOURCE_LOCALE:
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, catalog(locale))
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@cache
def js_messages(locale: str) -> dict[str, str]:
    """The translations the consoles' scripts use (messages extracted from `.js` files)."""
    return {
        str(message.id): str(message.string)
        for message in catalog(locale)
        if message.id
        and message.string
        and isinstance(message.id, str)
        and any(path.endswith(".js") for path, _line in message.locations)
    }


def from_accept_language(header: str) -> str | None:
    """The console locale the browser prefers most, if it names one."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().split("-")[0].lower()
        if primary in CONSOLE_LOCALES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def asked_locale(request: Request) -> str | None:
    """The locale named by `?lang=` on a console page, if any."""
    asked = request.query_params.get("lang", "")
    return asked if asked in CONSOLE_LOCALES and is_console_page(request.url.path) else None


def is_console(path: str) -> bool:
    """A console page or a console API."""
    return path.startswith(CONSOLE_PREFIXES)


def is_console_page(path: str) -> bool:
    return is_console(path) and "/api/" not in path


def request_locale(request: Request) -> str:
    """The locale of a console page: asked, stored on the account, cookie, browser, Polish."""
    session = getattr(request.state, "staff_session", None)
    stored = session.user.locale if session is not None else None
    for candidate in (asked_locale(request), stored, request.cookies.get(LOCALE_COOKIE)):
        if candidate in CONSOLE_LOCALES:
            return str(candidate)
    return from_accept_language(request.headers.get("accept-language", "")) or DEFAULT_LOCALE


def gettext_for(request: Request) -> Callable[[str], str]:
    """`gettext` in the request's locale, for messages built in route code.

    The locale is looked up at each call, not now: as a dependency this may be resolved
    before the one that finds the staff member's session (and their stored choice).
    """

    def gettext(message: str) -> str:
        return translations(request_locale(request)).gettext(message)

    return gettext


def template_context(request: Request) -> dict[str, Any]:
    """What every template gets: the locale and the scripts' catalogue."""
    locale = request_locale(request)
    return {"locale": locale, "js_messages": js_messages(locale)}


def _translations_of(context: Context) -> gettext.NullTranslations:
    return translations(context.get("locale") or DEFAULT_LOCALE)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return _translations_of(context).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return _translations_of(context).ngettext(singular, plural, n)


@pass_context
def _datetime(context: Context, moment: datetime, pattern: str = "medium") -> str:
    return format_datetime(
        moment, pattern, tzinfo=get_timezone(TIMEZONE), locale=context.get("locale")
    )


DATE_LENGTHS = ("short", "medium", "long", "full")


def format_day(day: date, locale: str, form: str = "medium") -> str:
    """A calendar day in a console locale.

    `form` is a CLDR length ("short": 27.11.2026 / 11/27/26, "medium": 27 lis 2026 /
    Nov 27, 2026) or a skeleton of the fields to show, which the locale orders and spells
    ("MMMd": 27 lis / Nov 27).
    """
    if form in DATE_LENGTHS:
        return format_date(day, form, locale=locale)
    return format_skeleton(form, day, locale=locale)


@pass_context
def _date(context: Context, day: date, form: str = "medium") -> str:
    return format_day(day, context.get("locale") or DEFAULT_LOCALE, form)


@pass_context
def _number(context: Context, value: float, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=context.get("locale"))


@pass_context
def _percent(context: Context, value: float, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + " %"
    return format_percent(value, pattern, locale=context.get("locale"))


def install(environment: Any) -> None:
    """Add gettext (`{% trans %}`, `_()`) and the locale-aware filters to a Jinja2 environment."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    environment.filters.update(date=_date, datetime=_datetime, number=_number, percent=_percent)


class RememberLocale:
    """ASGI middleware: a `?lang=` on a console page is kept in a cookie (for `/login`)."""

    def __init__(self, app: ASGIApp, secure: bool = False):
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        asked = asked_locale(Request(scope))
        if asked is None:
            await self.app(scope, receive, send)
            return
        cookie = f"{LOCALE_COOKIE}={asked}; Path=/; Max-Age=31536000; SameSite=Lax"
        if self.secure:
            cookie += "; Secure"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)
