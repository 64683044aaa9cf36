"""Message latency through Rasa's REST channel: one user at a time, warm, messages in turn.

Run: `make bench-rest` (= `.venv/bin/python -m tools.bench.rest`). Starts its own stack on free
ports (or measures a running one with `--url http://127.0.0.1:5005`), sends the dev set's
questions one after another after a warm-up — a new conversation every
`--per-conversation` messages, as real users ask a few questions each — and reports
p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path

import httpx

from bot.search.evaluate import read_questions
from bot.settings import ROOT
from tools.bench.load import rasa_url
from tools.bench.stats import machine, percentiles, write_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="Rasa server of a running stack (default: start one)")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--per-conversation", type=int, default=10)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "rest.json"))
    args = parser.parse_args(argv)

    questions = [q.text for q in read_questions(Path(args.questions))]
    with rasa_url(args.url) as url, httpx.Client(timeout=60) as client:
        endpoint = f"{url}/webhooks/rest/webhook"
        sender = f"bench-{uuid.uuid4().hex[:8]}"
        for text in questions[:10]:  # warm-up: models, connections, the tracker store
            client.post(endpoint, json={"sender": sender, "message": text})
        latencies, errors = [], 0
        for i in range(args.messages):
            if i % args.per_conversation == 0:
                sender = f"bench-{uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            response = client.post(
                endpoint, json={"sender": sender, "message": questions[i % len(questions)]}
            )
            latencies.append((time.perf_counter() - started) * 1000)
            errors += response.status_code != 200 or not response.json()
    ms = percentiles(latencies)
    report = {"machine": machine(), "ms": ms, "errors": errors}
    print(f"REST message latency, one user at a time, warm — {report['machine']}")
    print(f"  {ms['n']} messages: p50 {ms['p50']} ms, p95 {ms['p95']} ms, p99 {ms['p99']} ms")
    print(f"  errors: {errors}")
    write_json(args.out, report)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
