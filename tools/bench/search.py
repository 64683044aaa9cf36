"""Search speed: index build time, warm single-query and batch latency, memory.

Run: `make bench-search` (= `.venv/bin/python -m tools.bench.search`; part of `make bench`). Uses
the configured encoder and the dev set's questions, and times the long messages of the
realistic set apart (context before the question makes them slower to search); builds the
index from scratch in a temporary folder. Batches (`search_many`, one encoder call per batch)
are timed per call.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bot.search.evaluate import read_questions
from bot.search.service import SearchService
from bot.settings import ROOT, get_settings
from tools.bench.stats import machine, percentiles, rss_mb, write_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "dev.jsonl"))
    parser.add_argument(
        "--long",
        default=str(ROOT / "tests" / "eval" / "realistic.jsonl"),
        help="messages as users write them; those of at least --long-chars are timed apart",
    )
    parser.add_argument("--long-chars", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "search.json"))
    args = parser.parse_args(argv)

    questions = [q.text for q in read_questions(Path(args.questions))]
    with tempfile.TemporaryDirectory() as tmp:
        settings = get_settings().model_copy(update={"models_dir": Path(tmp)})
        service = SearchService(settings)
        started = time.perf_counter()
        service.warm_up()  # loads the model, builds and saves the index
        cold = time.perf_counter() - started
        build = service.searcher.index.build_seconds
        searcher = service.searcher
        searcher.search("warm-up")
        single = []
        for _ in range(args.rounds):
            for q in questions:
                t = time.perf_counter()
                searcher.search(q)
                single.append((time.perf_counter() - t) * 1000)
        long_texts = [
            q.text for q in read_questions(Path(args.long)) if len(q.text) >= args.long_chars
        ]
        long = []
        for _ in range(args.rounds * 5):  # few long messages: more rounds for a stable p95
            for q in long_texts:
                t = time.perf_counter()
                searcher.search(q)
                long.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        searcher.search_many(questions)
        batch_s = time.perf_counter() - t
        batches = {}
        for size in args.batch_sizes:
            calls = []
            for _ in range(args.rounds):
                for start in range(0, len(questions) - size + 1, size):
                    t = time.perf_counter()
                    searcher.search_many(questions[start : start + size])
                    calls.append((time.perf_counter() - t) * 1000)
            if calls:  # a question set smaller than the batch has no batch of that size
                batches[str(size)] = percentiles(calls)

    single_ms = percentiles(single)
    report: dict[str, object] = {
        "machine": machine(),
        "encoder": service.encoder.name,
        "entries": len(service.kb.entries),
        "documents": len(searcher.index.doc_entry),
        "index_build_s": round(build, 2),
        "start_to_ready_s": round(cold, 2),
        "single_query_ms": single_ms,
        "long_min_chars": args.long_chars,
        "long_query_ms": percentiles(long) if long else {},
        "batch": {"questions": len(questions), "seconds": round(batch_s, 2)},
        "batch_ms": batches,
        "peak_rss_mb": rss_mb(),
    }
    s = single_ms
    print(f"Search benchmark — {report['machine']}, encoder {report['encoder']}")
    print(f"  knowledge base: {report['entries']} entries, {report['documents']} documents")
    print(f"  index build: {build:.1f} s (model load + build + save: {cold:.1f} s)")
    print(
        f"  warm single query ({s['n']}): p50 {s['p50']} ms, p95 {s['p95']} ms, p99 {s['p99']} ms"
    )
    if long:
        lq = percentiles(long)
        print(f"  long messages (≥ {args.long_chars} chars, {len(long)}): p95 {lq['p95']} ms")
    print(f"  batch of {len(questions)}: {batch_s:.2f} s ({len(questions) / batch_s:.0f} q/s)")
    for size, b in batches.items():
        print(f"  batch of {size} ({b['n']} calls): p50 {b['p50']} ms, p95 {b['p95']} ms")
    print(f"  peak RSS: {report['peak_rss_mb']} MB")
    write_json(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
