"""Dialogue training data: example phrasings of the conversation intents, and retraining."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.curation import dialogue
from bot.curation.retrain import Retrainer, Status
from bot.db.curation import KbRevision
from bot.kb.model import LANGUAGES
from bot.web.deps import DbDep, GettextDep, SearchDep, SettingsDep
from bot.web.schemas import MAX_TEXT
from bot.web.security import CuratorDep
from bot.web.staff.common import render

router = APIRouter(prefix="/dialogue", tags=["staff"])


def retrainer(request: Request) -> Retrainer:
    """The process's retrainer, made on first use (most processes never retrain)."""
    state = request.app.state
    if getattr(state, "retrainer", None) is None:
        state.retrainer = Retrainer(state.settings)
    return state.retrainer


def _back(**query: str) -> Response:
    return RedirectResponse(f"/staff/dialogue?{urlencode(query)}", status.HTTP_303_SEE_OTHER)


@router.get("", response_class=HTMLResponse)
def dialogue_page(
    request: Request,
    user: CuratorDep,
    settings: SettingsDep,
    _: GettextDep,
    message: str = "",
    error: str = "",
) -> HTMLResponse:
    """Intents with their examples per language, the add form and the retraining status."""
    by_lang = dialogue.intents(settings.nlu_dir)
    names = sorted({name for intents in by_lang.values() for name in intents} - dialogue.PROTECTED)
    return render(
        request,
        "staff/dialogue.html",
        {
            "by_lang": by_lang,
            "names": names,
            "languages": LANGUAGES,
            "status": _shown(retrainer(request).status, _),
            "message": message,
            "error": error,
        },
    )


@router.post("/examples")
def add_example(
    user: CuratorDep,
    db: DbDep,
    settings: SettingsDep,
    _: GettextDep,
    lang: Annotated[str, Form(max_length=8)],
    intent: Annotated[str, Form(max_length=64)],
    example: Annotated[str, Form(max_length=MAX_TEXT)],
) -> Response:
    """Add one example to an intent (recorded in the history; live after retraining)."""
    try:
        dialogue.add_example(settings.nlu_dir, lang, intent, example)
    except dialogue.DialogueError as exc:
        return _back(error=exc.translated(_))
    db.add(
        KbRevision(
            entry_id=f"nlu:{lang}:{intent}"[:128],
            username=user.username,
            action="intent",
            after=example,
        )
    )
    added = _("Added to %(intent)s (%(lang)s). Retrain to make it live.")
    return _back(message=added % {"intent": intent, "lang": lang})


@router.post("/retrain")
def retrain(request: Request, user: CuratorDep, search: SearchDep, _: GettextDep) -> Response:
    """Validate, train and load a new Rasa model in the background."""
    if not retrainer(request).start(search.kb, user.username):
        return _back(error=_("a retraining is already running"))
    return _back(message=_("Retraining started; the bot keeps answering meanwhile."))


def _shown(current: Status, _: Callable[[str], str]) -> Status:
    """The retraining's status in the console's language (the retrainer marks its texts)."""
    return replace(
        current,
        state=_(current.state),
        step=_(current.step) if current.step else "",
        message=_(current.message) if current.message else "",
    )


@router.get("/api/status")
def retrain_status(request: Request, user: CuratorDep) -> JSONResponse:
    """The retraining's state, for the page to poll."""
    current = retrainer(request).status
    return JSONResponse({"state": current.state, "step": current.step, "message": current.message})
