"""The staff console under `/staff/`: curators edit the knowledge base, admins manage accounts."""

from fastapi import APIRouter

from bot.web.staff import dashboard, dialogue, entries, finder, history, inbox, transfer, users

router = APIRouter(prefix="/staff")
for _module in (entries, history, inbox, transfer, users, dashboard, dialogue, finder):
    router.include_router(_module.router)

__all__ = ["router"]
