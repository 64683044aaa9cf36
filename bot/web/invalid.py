"""What a refused request (422) says: where and why, never the input.

The input may be text no encoder accepts, or someone's personal data, so neither the value
nor pydantic's context (which can quote it) is echoed. On the consoles (their pages and their
APIs, whoever calls them) the reason is in the staff member's language, and a console page
gets a page rather than JSON; the public and internal APIs answer with pydantic's English
reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from bot.translatable import N_, translate
from bot.web.i18n import gettext_for, is_console, is_console_page
from bot.web.security import restore_detached
from bot.web.staff.common import render

REASONS: Mapping[str, str] = {
    "missing": N_("required"),
    "string_too_long": N_("at most %(max_length)s characters"),
    "string_too_short": N_("at least %(min_length)s characters"),
    "too_long": N_("at most %(max_length)s items"),
    "too_short": N_("at least %(min_length)s items"),
    "string_type": N_("text expected"),
    "int_parsing": N_("a whole number expected"),
    "int_type": N_("a whole number expected"),
    "bool_parsing": N_("yes or no expected"),
    "bool_type": N_("yes or no expected"),
    "greater_than_equal": N_("at least %(ge)s"),
    "greater_than": N_("more than %(gt)s"),
    "less_than_equal": N_("at most %(le)s"),
    "less_than": N_("less than %(lt)s"),
    "literal_error": N_("not one of the allowed values"),
    "enum": N_("not one of the allowed values"),
    "string_pattern_mismatch": N_("not in the expected form"),
    "json_invalid": N_("not valid JSON"),
    "model_attributes_type": N_("an object expected"),
    "dict_type": N_("an object expected"),
    "list_type": N_("a list expected"),
}
"""A console's reason for each pydantic error type; the parameters are the limits only."""
OTHER_REASON = N_("not a valid value")
VALUE_REASONS = frozenset(
    {
        N_("the message is empty"),
        N_("must be a string"),
        N_("must be valid UTF-8 text (it contains a lone surrogate)"),
        N_("must not contain control characters"),
    }
)
"""The reasons this app's own validators give (`bot.web.schemas`, `bot.inbound`): short, never
quoting the input, and translated; any other validator's reason is not shown."""
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _safe(value: object) -> str | int:
    return value if isinstance(value, int) else str(value).encode("utf-8", "replace").decode()


def reason(error: Mapping[str, Any], gettext: Callable[[str], str]) -> str:
    """Why one field was refused, in the language of `gettext`."""
    ctx = error.get("ctx") or {}
    if error.get("type") == "value_error" and str(ctx.get("error")) in VALUE_REASONS:
        return gettext(str(ctx["error"]))
    template = REASONS.get(str(error.get("type")), OTHER_REASON)
    # Only the limits (numbers) are shown; a template whose limit is not one says less.
    limits = {k: v for k, v in ctx.items() if isinstance(v, int | float)}
    if not set(_PLACEHOLDER.findall(template)) <= limits.keys():
        template = OTHER_REASON
    return translate(gettext, template, limits)


async def invalid_request(request: Request, exc: Exception) -> Response:
    """The 422 of a request whose path, query, form or body does not fit its route."""
    assert isinstance(exc, RequestValidationError)
    restore_detached(request)
    console = is_console(request.url.path)
    gettext = gettext_for(request)
    refused = [
        (
            [_safe(part) for part in error.get("loc", ())],
            reason(error, gettext) if console else _safe(error.get("msg")),
        )
        for error in exc.errors()
    ]
    if console and is_console_page(request.url.path):
        fields = [(str(loc[-1]) if loc else "", str(why)) for loc, why in refused]
        return render(
            request, "staff/invalid.html", {"fields": fields}, status.HTTP_422_UNPROCESSABLE_CONTENT
        )
    detail = [{"loc": loc, "msg": why} for loc, why in refused]
    return JSONResponse({"detail": detail}, status.HTTP_422_UNPROCESSABLE_CONTENT)
