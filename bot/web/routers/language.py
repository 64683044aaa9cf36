"""Language detection for the action server."""

from __future__ import annotations

from fastapi import APIRouter

from bot.web.deps import DetectorDep
from bot.web.schemas import DetectRequest, DetectResponse
from bot.web.security import Internal

router = APIRouter(prefix="/api", tags=["language"], dependencies=[Internal])


@router.post("/detect-language", response_model=DetectResponse)
def detect_language(body: DetectRequest, detector: DetectorDep) -> DetectResponse:
    """The language of a message, or null when it does not tell (e.g. "ok"); CPU work, so `def`."""
    return DetectResponse(lang=detector.detect(body.text))  # type: ignore[arg-type]
