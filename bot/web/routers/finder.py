"""The permit finder: the action server's step API and the public printable checklist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from pydantic import BaseModel, Field

from bot.finder import FinderError, Step, choose, match_option, walk
from bot.finder import checklist as checklists
from bot.finder.service import FinderService
from bot.finder.usage import record
from bot.markup import page_html
from bot.responses import review_date, variation_for
from bot.web.deps import DbDep, SearchDep, SettingsDep
from bot.web.routers.search import entry_out
from bot.web.schemas import MAX_TEXT, EntryOut, Lang
from bot.web.security import Internal
from bot.web.templating import templates

router = APIRouter(tags=["finder"])


def get_finder(request: Request) -> FinderService:
    return request.app.state.finder


FinderDep = Annotated[FinderService, Depends(get_finder)]


class StepRequest(BaseModel):
    sender_id: str = Field(max_length=128)
    channel: str = Field(default="", max_length=32)
    lang: Lang = "pl"
    answers: list[str] = Field(default_factory=list, max_length=20)
    """The option ids chosen so far (the conversation's place in the tree)."""
    start: bool = False
    """Begin again from the first question."""
    choice: str | None = Field(default=None, max_length=130)
    """A button's `<question id>:<option id>`."""
    text: str | None = Field(default=None, max_length=MAX_TEXT)
    """A typed answer to the current question."""


class OptionOut(BaseModel):
    id: str
    label: str


class QuestionOut(BaseModel):
    id: str
    number: int
    text: str
    options: list[OptionOut]


class ResultOut(BaseModel):
    entries: list[str]
    items: list[EntryOut]
    """The entries in the request's language: the checklist."""
    url: str
    """The printable checklist (absolute)."""


class StepResponse(BaseModel):
    answers: list[str]
    matched: bool
    """False when a typed text named none of the current question's options."""
    question: QuestionOut | None = None
    result: ResultOut | None = None


@router.post("/api/finder/step", response_model=StepResponse, dependencies=[Internal])
def step(
    body: StepRequest,
    finder: FinderDep,
    service: SearchDep,
    db: DbDep,
    request: Request,
    settings: SettingsDep,
) -> StepResponse:
    """Apply a start, a button or a typed answer; say what comes next."""
    try:
        tree = finder.tree
    except FinderError as exc:
        raise HTTPException(status_code=503, detail="the finder's tree is invalid") from exc
    answers = [] if body.start else body.answers
    current: Step = walk(tree, answers)
    matched = True
    if body.choice:
        question_id, _, option_id = body.choice.partition(":")
        current = choose(tree, current.answers, question_id, option_id)
    elif body.text is not None and current.question is not None:
        option = match_option(current.question, body.text)
        matched = option is not None
        if option is not None:
            current = walk(tree, [*current.answers, option.id])
    args = (db, body.sender_id, body.channel, body.lang)
    if body.start:
        record(*args, "started")
    if current.question is None:
        if matched:
            record(*args, "finished", result=current.result)
        base = settings.public_url or str(request.base_url)
        url = base.rstrip("/") + checklists.page_path(current.result, body.lang)
        return StepResponse(
            answers=list(current.answers),
            matched=matched,
            result=ResultOut(
                entries=list(current.result),
                items=[
                    entry_out(entry, body.lang)
                    for entry in map(service.kb.get, current.result)
                    if entry is not None
                ],
                url=url,
            ),
        )
    question = current.question
    if matched:
        record(*args, "asked", question=question.id)
    return StepResponse(
        answers=list(current.answers),
        matched=matched,
        question=QuestionOut(
            id=question.id,
            number=len(current.answers) + 1,
            text=question.text[body.lang],
            options=[OptionOut(id=o.id, label=o.label[body.lang]) for o in question.options],
        ),
    )


def _answer_html(text: str) -> Markup:
    return Markup(page_html(text))  # built from escaped text only


def _text(domain: dict[str, Any], name: str, lang: str) -> str:
    return str(variation_for(domain, name, lang).get("text") or "")


@router.get("/finder/checklist", response_class=HTMLResponse)
def checklist_page(
    request: Request,
    service: SearchDep,
    entries: Annotated[str, Query(max_length=1000)] = "",
    lang: Lang = "pl",
) -> HTMLResponse:
    """The personal checklist as a printable page; it shows only public entries."""
    ids = [i for i in entries.split(",") if i][:20]
    items = checklists.build(service.kb, ids, lang)
    if not items:
        raise HTTPException(status_code=404, detail="no such entries")
    domain = request.app.state.domain
    texts = {
        key: _text(domain, f"utter_finder_page_{key}", lang)
        for key in ("title", "reviewed", "sources", "print")
    }
    texts["disclaimer"] = _text(domain, "utter_finder_disclaimer", lang)
    return templates.TemplateResponse(
        request,
        "finder/checklist.html",
        {
            "items": items,
            "lang": lang,
            "texts": texts,
            "answer_html": _answer_html,
            "review_date": review_date,
        },
    )
