"""Who changed what and when, with readable diffs; reverting a change."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.curation.history import revisions, view
from bot.curation.store import EditConflict, InvalidEdit
from bot.db.curation import KbRevision
from bot.web.deps import DbDep, GettextDep, SearchDep, StoreDep
from bot.web.security import CuratorDep
from bot.web.staff.common import render

router = APIRouter(tags=["staff"])


@router.get("/history", response_class=HTMLResponse)
def all_history(request: Request, user: CuratorDep, db: DbDep) -> HTMLResponse:
    """The latest changes to any entry."""
    return render(request, "staff/history.html", {"entry_id": None, "items": revisions(db)})


@router.get("/entries/{entry_id}/history", response_class=HTMLResponse)
def entry_history(request: Request, entry_id: str, user: CuratorDep, db: DbDep) -> HTMLResponse:
    """Every change to one entry, newest first."""
    items = revisions(db, entry_id)
    return render(request, "staff/history.html", {"entry_id": entry_id, "items": items})


@router.post("/revisions/{revision_id}/revert")
def revert(
    revision_id: int,
    user: CuratorDep,
    db: DbDep,
    store: StoreDep,
    search: SearchDep,
    _: GettextDep,
) -> Response:
    """Put the entry back as it was before this change (recorded as a change of its own)."""
    revision = db.get(KbRevision, revision_id)
    if revision is None or not view(revision).revertible:
        raise HTTPException(status.HTTP_404_NOT_FOUND, _("no such change"))
    try:
        store.revert(db, user.username, revision)
    except (InvalidEdit, EditConflict) as exc:
        refused = _("cannot revert: %(reason)s") % {"reason": exc.translated(_)}
        raise HTTPException(status.HTTP_409_CONFLICT, refused) from exc
    search.refresh_soon()
    target = f"/staff/entries/{revision.entry_id}/history"
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER)
