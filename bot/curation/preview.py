"""What the bot would answer to a test question, with the scores behind the decision."""

from __future__ import annotations

from typing import Any

from bot.lang import DEFAULT_LANGUAGE, LanguageDetector
from bot.search.searcher import Decision, clarify_choices
from bot.search.service import SearchService

TOP = 5


def preview(
    service: SearchService, detector: LanguageDetector, text: str, lang: str | None
) -> dict[str, Any]:
    """The decision, the reply the bot would give and the top candidates with their scores.

    Nothing is logged: test questions must not reach the inbox or the dashboard.
    """
    snapshot = service.snapshot  # one knowledge base and index for the whole preview
    result = snapshot.searcher.search(text)
    lang = lang or detector.detect(text) or DEFAULT_LANGUAGE
    candidates = []
    for candidate in result.candidates[:TOP]:
        entry = snapshot.kb.get(candidate.id)
        candidates.append(
            {
                "id": candidate.id,
                "title": entry.text(lang).title if entry else candidate.id,
                "score": round(candidate.score, 3),
            }
        )
    answer = None
    choices: list[str] = []
    if result.decision is Decision.ANSWER and result.best is not None:
        entry = snapshot.kb.get(result.best.id)
        answer = entry.text(lang).answer if entry else None
    elif result.decision is Decision.CLARIFY:
        choices = [c.id for c in clarify_choices(result, service.config)]
    return {
        "decision": result.decision.value,
        "lang": lang,
        "out_of_scope": round(result.out_of_scope, 3),
        "answer": answer,
        "choices": choices,
        "candidates": candidates,
    }
