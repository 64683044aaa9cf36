"""Search the knowledge base and read entries."""

from __future__ import annotations

import time

from fastapi import APIRouter, HTTPException

from bot import metrics
from bot.db import QuestionLog
from bot.kb.model import Entry
from bot.lang import DEFAULT_LANGUAGE
from bot.privacy import redact
from bot.search.searcher import Decision, clarify_choices
from bot.web.deps import DbDep, DetectorDep, SearchDep
from bot.web.schemas import EntryOut, Lang, SearchRequest, SearchResponse
from bot.web.security import Internal

router = APIRouter(prefix="/api", tags=["search"], dependencies=[Internal])


def entry_out(entry: Entry, lang: str, score: float = 1.0) -> EntryOut:
    local = entry.text(lang)
    return EntryOut(
        id=entry.id,
        score=score,
        title=local.title,
        answer=local.answer,
        sources=list(entry.sources),
        reviewed=entry.reviewed,
    )


@router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, service: SearchDep, detector: DetectorDep, db: DbDep):
    """Find the entry answering a question and decide: answer, clarify or no match."""
    snapshot = service.snapshot  # one knowledge base and index for the whole request
    started = time.perf_counter()
    result = snapshot.searcher.search(body.text)
    seconds = time.perf_counter() - started
    detected = None if body.lang else detector.detect(body.text)
    lang = body.lang or detected or body.fallback_lang or DEFAULT_LANGUAGE
    metrics.searched(lang, body.channel, result.decision.value, seconds, counted=body.log)
    if result.decision is Decision.ANSWER:
        shown = result.candidates[:1]
    elif result.decision is Decision.CLARIFY:
        shown = clarify_choices(result, service.config)
    else:
        shown = []
    results = []
    for candidate in shown:
        entry = snapshot.kb.get(candidate.id)
        if entry is not None:
            results.append(entry_out(entry, lang, candidate.score))
    if body.log:
        best = result.best
        db.add(
            QuestionLog(
                sender_id=body.sender_id,
                channel=body.channel,
                lang=lang,
                text=redact(body.text),  # the log is for curators, not for personal data
                decision=result.decision.value,
                kb_id=best.id if best else None,
                score=best.score if best else 0.0,
            )
        )
    return SearchResponse(
        decision=result.decision.value,
        lang=lang,  # type: ignore[arg-type]
        out_of_scope=result.out_of_scope,
        results=results,
    )


@router.get("/entries/{entry_id}", response_model=EntryOut)
def get_entry(entry_id: str, service: SearchDep, lang: Lang = "pl"):
    """One entry in one language."""
    entry = service.kb.get(entry_id)
    if entry is None:
        raise HTTPException(status_code=404, detail=f"no entry '{entry_id}'")
    return entry_out(entry, lang)
