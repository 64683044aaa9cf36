"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from bot.web.deps import SearchDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(service: SearchDep) -> dict[str, object]:
    snapshot = service.snapshot
    return {
        "status": "ok",
        "entries": len(snapshot.kb.entries),
        "index": snapshot.searcher.index.kb_hash,
        "encoder": snapshot.searcher.index.encoder_name,
    }
