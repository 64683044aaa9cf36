"""Runs in .venv-rasa: parse questions with a trained Rasa NLU model, print ranked predictions.

`python -m tools.bench.rasa_predict MODEL QUESTIONS.txt OUT.jsonl` — one question a line in,
one JSON line out: the intent, its confidence and the ResponseSelector's ranking of the
retrieval intent's responses. Imports nothing of the project, since .venv-rasa does not have
the web app's dependencies; the .venv side (`tools.bench.response_selector`) scores the output.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

RETRIEVAL_INTENT = "faq"


async def _predict(model: str, questions: list[str]) -> list[dict[str, object]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    rows: list[dict[str, object]] = []
    for text in questions:
        started = time.perf_counter()
        parsed = await agent.parse_message(text)
        ms = (time.perf_counter() - started) * 1000
        selector = parsed.get("response_selector", {}).get(RETRIEVAL_INTENT, {})
        ranking = [
            [str(r["intent_response_key"]).split("/", 1)[-1], float(r["confidence"])]
            for r in selector.get("ranking", [])
        ]
        rows.append(
            {
                "intent": parsed["intent"]["name"],
                "intent_confidence": float(parsed["intent"]["confidence"]),
                "ranking": ranking,
                "ms": round(ms, 2),
            }
        )
    return rows


def main(argv: list[str]) -> int:
    model, questions_path, out_path = argv
    questions = Path(questions_path).read_text(encoding="utf-8").splitlines()
    rows = asyncio.run(_predict(model, questions))
    with Path(out_path).open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
