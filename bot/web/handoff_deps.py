"""Dependencies of the handoff routes: working hours, the pump, the domain's texts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from bot.handoff.hours import OfficeHours
from bot.handoff.pump import HandoffPump


async def get_hours(request: Request) -> OfficeHours:
    return request.app.state.hours


async def get_pump(request: Request) -> HandoffPump:
    return request.app.state.pump


async def get_domain(request: Request) -> dict[str, Any]:
    return request.app.state.domain


HoursDep = Annotated[OfficeHours, Depends(get_hours)]
PumpDep = Annotated[HandoffPump, Depends(get_pump)]
DomainDep = Annotated[dict[str, Any], Depends(get_domain)]
