"""Users' "did this help?" answers."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from bot import metrics
from bot.db import Feedback
from bot.privacy import redact
from bot.web.deps import DbDep, SearchDep
from bot.web.schemas import FeedbackRequest
from bot.web.security import Internal

router = APIRouter(prefix="/api", tags=["feedback"], dependencies=[Internal])


@router.post("/feedback", status_code=status.HTTP_201_CREATED)
def add_feedback(body: FeedbackRequest, service: SearchDep, db: DbDep) -> dict[str, str]:
    """Record whether an answer helped, for the curators' learning loop."""
    if service.kb.get(body.kb_id) is None:
        raise HTTPException(status_code=404, detail=f"no entry '{body.kb_id}'")
    db.add(
        Feedback(
            sender_id=body.sender_id,
            kb_id=body.kb_id,
            lang=body.lang,
            question=redact(body.question),
            helpful=body.helpful,
        )
    )
    metrics.rated(body.helpful)
    return {"status": "recorded"}
