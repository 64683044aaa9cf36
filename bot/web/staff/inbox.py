"""The inbox of questions the bot could not answer well: grouped, turned into phrasings."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.curation import inbox
from bot.curation.store import EditConflict, InvalidEdit
from bot.kb.model import LANGUAGES
from bot.web.deps import DbDep, GettextDep, SearchDep, StoreDep
from bot.web.security import CuratorDep
from bot.web.staff.common import render

router = APIRouter(prefix="/inbox", tags=["staff"])
SUGGESTIONS = 3


@router.get("", response_class=HTMLResponse)
def inbox_page(
    request: Request, user: CuratorDep, db: DbDep, search: SearchDep, error: str = ""
) -> HTMLResponse:
    """Groups of similar messages, largest first, each with the entries search suggests."""
    messages = inbox.pending(db)
    groups = inbox.group(messages, search.encoder)
    snapshot = search.snapshot
    heads = [g.messages[0].text for g in groups]
    results = snapshot.searcher.search_many(heads) if heads else []
    suggestions = [[c.id for c in r.candidates[:SUGGESTIONS]] for r in results]
    entries = sorted((e.id, e.text("pl").title) for e in snapshot.kb.entries)
    return render(
        request,
        "staff/inbox.html",
        {
            "groups": list(zip(groups, suggestions, strict=True)),
            "entries": entries,
            "languages": LANGUAGES,
            "error": error,
        },
    )


@router.post("/phrasing")
def add_phrasing(
    user: CuratorDep,
    db: DbDep,
    _: GettextDep,
    store: StoreDep,
    search: SearchDep,
    key: Annotated[str, Form(max_length=64)],
    entry_id: Annotated[str, Form(max_length=128)],
    lang: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Add the message as a phrasing of the chosen entry, in the message's language."""
    found = inbox.message_text(db, key)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, _("no such message"))
    text, message_lang = found
    lang = lang or (message_lang if message_lang in LANGUAGES else "en")
    try:
        store.add_phrasing(db, user.username, entry_id, lang, text)
    except (InvalidEdit, EditConflict) as exc:
        query = urlencode({"error": exc.translated(_)[:500]})
        return RedirectResponse(f"/staff/inbox?{query}", status.HTTP_303_SEE_OTHER)
    inbox.mark(db, [key, *inbox.same_text(db, text)], "phrasing", user.username)
    search.refresh_soon()
    return RedirectResponse("/staff/inbox", status.HTTP_303_SEE_OTHER)


@router.post("/dismiss")
def dismiss(
    user: CuratorDep, db: DbDep, keys: Annotated[list[str], Form(max_length=5000)]
) -> Response:
    """Dismiss a whole group: its messages leave the inbox."""
    inbox.mark(db, keys, "dismissed", user.username)
    return RedirectResponse("/staff/inbox", status.HTTP_303_SEE_OTHER)
