"""Dependencies of the handoff routes: working hours, the pump, the internal token."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status

from bot.handoff.hours import OfficeHours
from bot.handoff.pump import HandoffPump
from bot.web.deps import SettingsDep

LOOPBACK = frozenset({"127.0.0.1", "::1", "testclient"})


def get_hours(request: Request) -> OfficeHours:
    return request.app.state.hours


def get_pump(request: Request) -> HandoffPump:
    return request.app.state.pump


def get_domain(request: Request) -> dict[str, Any]:
    return request.app.state.domain


def check_internal(request: Request, settings: SettingsDep) -> None:
    """Only the action server may use the internal API.

    With `FAQ_INTERNAL_TOKEN` set (as `make run` does) the request must carry it in
    `X-Internal-Token`; without one, only loopback clients are admitted.

    Raises:
        HTTPException: 403 otherwise.
    """
    if settings.internal_token:
        sent = request.headers.get("x-internal-token", "")
        if secrets.compare_digest(sent, settings.internal_token):
            return
    elif request.client and request.client.host in LOOPBACK:
        return
    raise HTTPException(status.HTTP_403_FORBIDDEN, "internal API")


HoursDep = Annotated[OfficeHours, Depends(get_hours)]
PumpDep = Annotated[HandoffPump, Depends(get_pump)]
DomainDep = Annotated[dict[str, Any], Depends(get_domain)]
Internal = Depends(check_internal)
