"""Import and export of the knowledge base: spreadsheets for translators, YAML for git."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, UploadFile, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.curation import transfer
from bot.curation.diff import entry_diff
from bot.curation.store import (
    Change,
    EditConflict,
    InvalidEdit,
    changes_from_json,
    changes_to_json,
)
from bot.kb.loader import Problem
from bot.web.deps import DbDep, GettextDep, SearchDep, StoreDep
from bot.web.i18n import gettext_for
from bot.web.security import CuratorDep
from bot.web.staff.common import render

router = APIRouter(prefix="/transfer", tags=["staff"])
MAX_UPLOAD = 10 * 1024 * 1024
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("", response_class=HTMLResponse)
def transfer_page(request: Request, user: CuratorDep) -> HTMLResponse:
    """Export links and the import form."""
    return render(request, "staff/transfer.html", {})


@router.get("/export.{kind}")
def export(kind: str, user: CuratorDep, store: StoreDep) -> Response:
    """The knowledge base as a spreadsheet (csv, xlsx) or the YAML files (zip)."""
    stamp = date.today().isoformat()
    if kind == "zip":
        body = transfer.to_yaml_zip(store.kb_dir)
        media = "application/zip"
    elif kind in TYPES:
        writer = transfer.to_csv if kind == "csv" else transfer.to_xlsx
        body = writer(store.read())
        media = TYPES[kind]
    else:
        return Response(status_code=status.HTTP_404_NOT_FOUND)
    disposition = f'attachment; filename="knowledge-base-{stamp}.{kind}"'
    return Response(body, media_type=media, headers={"content-disposition": disposition})


def _preview(
    request: Request, changes: list[Change], problems: list[Problem], error: str = ""
) -> HTMLResponse:
    items = [(c, entry_diff(c.before, c.after)) for c in changes]
    _ = gettext_for(request)
    shown = [(p.entry, p.translated(_)) for p in problems]
    return render(
        request,
        "staff/transfer_preview.html",
        {
            "items": items,
            "problems": shown,
            "error": error,
            "payload": changes_to_json(changes) if changes and not problems else "",
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if problems or error else 200,
    )


@router.post("/preview", response_class=HTMLResponse)
def preview_import(
    request: Request,
    user: CuratorDep,
    store: StoreDep,
    db: DbDep,
    _: GettextDep,
    files: list[UploadFile],
) -> HTMLResponse:
    """What the uploaded files would change; nothing is written yet."""
    uploads = []
    for upload in files:
        data = upload.file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            too_large = _("%(name)s is larger than 10 MB") % {"name": upload.filename}
            return _preview(request, [], [], too_large)
        uploads.append((upload.filename or "upload", data))
    current = store.read()
    try:
        if all(name.lower().endswith((".yml", ".yaml")) for name, _ in uploads):
            changes = transfer.changes_from_yaml(current, uploads)
        else:
            changes = []
            for name, data in uploads:
                changes += transfer.changes_from_rows(current, transfer.read_sheet(name, data))
    except transfer.TransferError as exc:
        return _preview(request, [], [], exc.translated(_))
    try:
        store.apply(db, user.username, changes, True)
    except InvalidEdit as exc:
        return _preview(request, changes, exc.problems)
    return _preview(request, changes, [])


@router.post("/apply")
def apply_import(
    user: CuratorDep,
    store: StoreDep,
    db: DbDep,
    search: SearchDep,
    _: GettextDep,
    payload: Annotated[str, Form(max_length=20 * 1024 * 1024)],
) -> Response:
    """Apply exactly the changes the preview showed."""
    try:
        changes = changes_from_json(store, payload)
        store.apply(db, user.username, changes)
    except (InvalidEdit, EditConflict) as exc:
        query = urlencode({"error": exc.translated(_)[:500]})
        return RedirectResponse(f"/staff/transfer?{query}", status.HTTP_303_SEE_OTHER)
    search.refresh_soon()
    return RedirectResponse("/staff/history", status.HTTP_303_SEE_OTHER)
