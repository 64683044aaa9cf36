"""Curators' pages for the entries: the list, the editor, creating, retiring, live preview."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.curation.forms import blank_entry, entry_from_form, form_values
from bot.curation.listing import Filters, entry_rows
from bot.curation.preview import preview
from bot.curation.store import (
    EditConflict,
    InvalidEdit,
    RawEntry,
    all_flags,
    confirm_translation,
    fingerprint,
    flags_of,
)
from bot.kb.loader import AUDIENCES, MAX_ANSWER_CHARS, MIN_PHRASINGS, Problem
from bot.kb.model import LANGUAGES
from bot.web.deps import DbDep, DetectorDep, FormDep, GettextDep, SearchDep, StoreDep
from bot.web.i18n import gettext_for
from bot.web.schemas import MAX_TEXT, Lang
from bot.web.security import CuratorDep
from bot.web.staff.common import render

router = APIRouter(tags=["staff"])


@router.get("/", response_class=HTMLResponse)
def entry_list(
    request: Request,
    user: CuratorDep,
    store: StoreDep,
    db: DbDep,
    q: Annotated[str, Query(max_length=200)] = "",
    area: Annotated[str, Query(max_length=64)] = "",
    completeness: Annotated[str, Query(pattern="^(|complete|incomplete)$")] = "",
    min_days: Annotated[str, Query(max_length=6)] = "",
    needs_review: bool = False,
) -> HTMLResponse:
    """All entries, with search and filters."""
    files = store.read()
    filters = Filters(
        q=q.strip(),
        area=area,
        completeness=completeness,
        min_days=int(min_days) if min_days.isdigit() else None,
        needs_review=needs_review,
    )
    rows = entry_rows(files.entries(), all_flags(db), filters, date.today())
    return render(
        request,
        "staff/entries.html",
        {"rows": rows, "filters": filters, "areas": sorted(files.areas), "languages": LANGUAGES},
    )


def _editor(
    request: Request,
    raw: RawEntry,
    *,
    base: str,
    flags: list[str],
    problems: Sequence[Problem] = (),
    notice: str = "",
    areas: list[str],
    code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    entry_id = str(raw.get("id", ""))
    _ = gettext_for(request)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        if problem.entry == entry_id and problem.field:
            errors.setdefault(problem.field, []).append(problem.translated(_))
        else:
            general.append(f"{problem.entry}: {problem.translated(_)}")
    return render(
        request,
        "staff/editor.html",
        {
            "entry_id": entry_id,
            "is_new": not base,
            "values": form_values(raw),
            "audience": set(raw.get("audience") or []),
            "audiences": sorted(AUDIENCES),
            "languages": LANGUAGES,
            "base": base,
            "flags": flags,
            "errors": errors,
            "general": general,
            "notice": notice,
            "areas": areas,
            "limits": {"phrasings": MIN_PHRASINGS, "answer": MAX_ANSWER_CHARS},
        },
        status_code=code,
    )


@router.get("/entries/new", response_class=HTMLResponse)
def new_entry(
    request: Request,
    user: CuratorDep,
    store: StoreDep,
    area: str = "",
    lang: str = "",
    phrasing: Annotated[str, Query(max_length=MAX_TEXT)] = "",
) -> HTMLResponse:
    """An empty editor for a new entry (from the inbox: with the user's message as a phrasing)."""
    raw = blank_entry(area)
    if phrasing and lang in LANGUAGES:
        raw[lang]["phrasings"] = [phrasing]
    return _editor(request, raw, base="", flags=[], areas=sorted(store.read().areas))


@router.get("/entries/{entry_id}", response_class=HTMLResponse)
def edit_entry(
    request: Request,
    entry_id: str,
    user: CuratorDep,
    store: StoreDep,
    db: DbDep,
    _: GettextDep,
    saved: str = "",
) -> HTMLResponse:
    """The editor: the four languages side by side."""
    files = store.read()
    raw = files.get(entry_id)
    if raw is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, _("no entry %(id)s") % {"id": entry_id})
    notice = {
        "1": _("Saved. The bot answers with it within seconds."),
        "confirmed": _("Confirmed."),
    }
    return _editor(
        request,
        raw,
        base=fingerprint(raw),
        flags=flags_of(db, entry_id),
        notice=notice.get(saved, ""),
        areas=sorted(files.areas),
    )


@router.post("/entries", response_class=HTMLResponse)
def save_entry(
    request: Request,
    user: CuratorDep,
    store: StoreDep,
    db: DbDep,
    search: SearchDep,
    form: FormDep,
    _: GettextDep,
) -> Response:
    """Create or update an entry; an invalid one is shown again with the problems."""
    audience = [str(a) for a in form.getlist("audience")]
    raw = entry_from_form(form, audience)
    base = str(form.get("base", ""))
    areas = sorted(store.read().areas)
    try:
        store.save(db, user.username, raw, base)
    except InvalidEdit as exc:
        return _editor(
            request,
            raw,
            base=base,
            flags=flags_of(db, str(raw["id"])),
            problems=exc.problems,
            areas=areas,
            code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    except EditConflict as exc:
        return _editor(
            request,
            raw,
            base=base,
            flags=[],
            problems=[Problem("", 0, "", exc.translated(_))],
            areas=areas,
            code=status.HTTP_409_CONFLICT,
        )
    search.refresh_soon()
    return RedirectResponse(f"/staff/entries/{raw['id']}?saved=1", status.HTTP_303_SEE_OTHER)


@router.post("/entries/{entry_id}/retire")
def retire_entry(
    entry_id: str,
    user: CuratorDep,
    store: StoreDep,
    db: DbDep,
    search: SearchDep,
    _: GettextDep,
) -> Response:
    """Remove the entry from the knowledge base (the history keeps it; revert restores it)."""
    try:
        store.retire(db, user.username, entry_id)
    except (InvalidEdit, EditConflict) as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, exc.translated(_)) from exc
    search.refresh_soon()
    return RedirectResponse(f"/staff/entries/{entry_id}/history", status.HTTP_303_SEE_OTHER)


@router.post("/entries/{entry_id}/confirm/{lang}")
def confirm(entry_id: str, lang: Lang, user: CuratorDep, db: DbDep) -> Response:
    """The curator checked this translation after a Polish change: clear its flag."""
    confirm_translation(db, user.username, entry_id, lang)
    return RedirectResponse(f"/staff/entries/{entry_id}?saved=confirmed", status.HTTP_303_SEE_OTHER)


@router.get("/api/preview")
def preview_api(
    user: CuratorDep,
    search: SearchDep,
    detector: DetectorDep,
    text: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)],
    lang: Lang | None = None,
) -> JSONResponse:
    """What the bot would answer to `text` now: decision, reply and top candidates."""
    result: dict[str, Any] = preview(search, detector, text, lang)
    return JSONResponse(result)
