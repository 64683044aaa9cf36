"""The dashboard: usage, decisions, entries and handoffs as charts and downloadable CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from bot.curation import dashboard
from bot.finder import usage as finder_usage
from bot.kb.model import LANGUAGES
from bot.web import i18n
from bot.web.deps import DbDep
from bot.web.security import CuratorDep
from bot.web.staff.common import render

router = APIRouter(prefix="/dashboard", tags=["staff"])
Days = Annotated[int, Query(ge=1, le=366)]


@router.get("", response_class=HTMLResponse)
def dashboard_page(request: Request, user: CuratorDep, db: DbDep, days: Days = 30) -> HTMLResponse:
    """Charts and tables of the last `days` days."""
    board = dashboard.build(db, days)
    locale = i18n.request_locale(request)
    # Day and month in the console's language and order: "27 lis" / "Nov 27".
    labels = {d.day: i18n.format_day(d.day, locale, "MMMd") for d in board.days}
    charts = {
        name: dashboard.chart([(labels[d.day], getattr(d, name)) for d in board.days])
        for name in ("questions", "conversations", "handoffs")
    }
    return render(
        request,
        "staff/dashboard.html",
        {
            "board": board,
            "charts": charts,
            "days": days,
            "languages": LANGUAGES,
            "finder": finder_usage.summarise(db, days),
        },
    )


@router.get("/{name}.csv")
def dashboard_csv(name: str, user: CuratorDep, db: DbDep, days: Days = 30) -> Response:
    """`daily.csv` or `entries.csv`."""
    writers = {"daily": dashboard.daily_csv, "entries": dashboard.entries_csv}
    if name not in writers:
        return Response(status_code=404)
    body = writers[name](dashboard.build(db, days))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}-{days}d.csv"'},
    )
