"""The permit finder's tree: edit its texts in four languages, validate, preview a path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.finder import FinderTree, TreeProblem, editor, validate_tree, walk
from bot.kb.model import LANGUAGES
from bot.web.deps import GettextDep, SearchDep, SettingsDep
from bot.web.security import CuratorDep
from bot.web.staff.common import render

router = APIRouter(prefix="/finder", tags=["staff"])


def _page(
    request: Request,
    _: Callable[[str], str],
    tree: FinderTree,
    problems: list[TreeProblem],
    preview: dict[str, Any] | None = None,
    message: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The editor: the tree's texts as a form, its problems in the console's language."""
    return render(
        request,
        "staff/finder.html",
        {
            "tree": tree,
            "problems": [p.translated(_) for p in problems],
            "preview": preview,
            "languages": LANGUAGES,
            "field": editor.field_name,
            "message": message,
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def finder_page(
    request: Request,
    user: CuratorDep,
    settings: SettingsDep,
    search: SearchDep,
    _: GettextDep,
    path: Annotated[str, Query(max_length=500)] = "",
    message: str = "",
) -> HTMLResponse:
    """The tree's texts as a form, its problems, and the preview of the path `path`."""
    tree, problems = validate_tree(settings.finder_file, search.kb.ids)
    preview = None
    if not problems:
        answers = [a for a in path.split(",") if a]
        step = walk(tree, answers)
        entries = [e for e in map(search.kb.get, step.result) if e is not None]
        preview = {"step": step, "entries": entries, "path": ",".join(step.answers)}
    return _page(request, _, tree, problems, preview, message)


@router.post("", response_class=HTMLResponse)
async def save_texts(
    request: Request, user: CuratorDep, settings: SettingsDep, search: SearchDep, _: GettextDep
) -> Response:
    """Save the edited texts if the tree stays valid; otherwise show why and keep the file."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    problems = await run_in_threadpool(editor.save_texts, settings.finder_file, form, search.kb.ids)
    if problems:
        tree = validate_tree(settings.finder_file, search.kb.ids)[0]
        return _page(request, _, tree, problems, status_code=422)
    query = urlencode({"message": "saved"})
    return RedirectResponse(f"/staff/finder?{query}", status.HTTP_303_SEE_OTHER)
