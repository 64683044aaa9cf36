"""Scale: synthetic knowledge bases of 1k, 10k and 100k entries (`tools.bench.synthetic`).

Run: `.venv/bin/python -m tools.bench.scale` (part of `make bench`). For each size it measures
the retrieval that search does at that size:

- dense nearest phrasings, exact (one matrix product) and approximate (FAISS IVF, the product's
  choice above `ann.threshold` documents, `data/search.yml`): build time, memory, single-query
  latency, and the approximate search's recall@10 against exact search;
- BM25 over the documents' text (`bot.search.bm25`): build time, memory, single-query latency.

Queries are the dev set's questions, embedded with the configured encoder. The hybrid's linear
classifier (one class per entry) is not part of this path: see BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from pathlib import Path

import numpy as np

from bot.search.ann import AnnConfig, VectorIndex, recall_at_k
from bot.search.bm25 import BM25
from bot.search.evaluate import read_questions
from bot.search.index import KIND_QUESTION
from bot.search.service import SearchService
from bot.settings import ROOT, get_settings
from tools.bench.stats import current_rss_mb, machine, percentiles, write_json
from tools.bench.synthetic import Pool, synthesize

K = 10


def _latencies(run: object, items: list, repeat: int = 1) -> dict[str, float]:
    assert callable(run)
    ms = []
    for _ in range(repeat):
        for item in items:
            t = time.perf_counter()
            run(item)
            ms.append((time.perf_counter() - t) * 1000)
    return percentiles(ms)


def _neighbours(index: VectorIndex, queries: np.ndarray) -> np.ndarray:
    # In chunks: all queries against 400k documents at once would need gigabytes.
    return np.vstack([index.search(queries[i : i + 50], K)[1] for i in range(0, len(queries), 50)])


def _approximate(
    vectors: np.ndarray,
    config: AnnConfig,
    query_vectors: np.ndarray,
    truth: np.ndarray,
    sample: list[int],
) -> dict[str, object]:
    """Build the IVF index, time it, and compare its neighbours with exact search's."""
    before = current_rss_mb()
    t = time.perf_counter()
    ann = VectorIndex(vectors, config, approximate=True)
    build_s = time.perf_counter() - t
    return {
        "build_s": round(build_s, 2),
        "memory_mb": round(current_rss_mb() - before, 1),
        "nlist": ann.nlist,
        "nprobe": ann.nprobe,
        "single_ms": _latencies(lambda i: ann.search(query_vectors[i : i + 1], K), sample),
        f"recall@{K}": round(recall_at_k(truth, _neighbours(ann, query_vectors)), 4),
    }


def measure(
    pool: Pool,
    pool_vectors: np.ndarray,
    queries: list[str],
    query_vectors: np.ndarray,
    n_entries: int,
    config: AnnConfig,
    single: int,
) -> dict[str, object]:
    """Everything about one size."""
    started = time.perf_counter()
    kb = synthesize(pool, n_entries)
    texts = kb.texts(pool)
    base = current_rss_mb()
    vectors = kb.vectors(pool_vectors)
    generate_s = time.perf_counter() - started
    sample = list(range(min(single, len(queries))))
    row: dict[str, object] = {
        "entries": n_entries,
        "documents": len(texts),
        "generate_s": round(generate_s, 2),
        "product_uses": "ann" if len(vectors) > config.threshold else "exact",
    }

    exact = VectorIndex(vectors, config, approximate=False)
    row["exact"] = {
        "build_s": 0.0,
        "memory_mb": round(vectors.nbytes / 2**20, 1),
        "single_ms": _latencies(lambda i: exact.search(query_vectors[i : i + 1], K), sample),
    }
    truth = _neighbours(exact, query_vectors)

    row["ann"] = _approximate(vectors, config, query_vectors, truth, sample)
    gc.collect()

    before = current_rss_mb()
    t = time.perf_counter()
    bm25 = BM25(texts, kb.doc_entry.tolist())
    row["bm25"] = {
        "build_s": round(time.perf_counter() - t, 2),
        "memory_mb": round(current_rss_mb() - before, 1),
        "single_ms": _latencies(lambda i: bm25.scores([queries[i]]), sample),
    }
    row["rss_mb"] = {"before": base, "after": current_rss_mb()}
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--single", type=int, default=200, help="queries timed one by one")
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "scale.json"))
    args = parser.parse_args(argv)

    service = SearchService(get_settings())
    service.warm_up()
    pool = Pool.from_kb(service.kb)
    index = service.searcher.index
    # The index already holds the real phrasings' embeddings, in the pool's order.
    pool_vectors = index.doc_features.dense[index.doc_kind == KIND_QUESTION]
    if len(pool_vectors) != len(pool.texts):
        raise RuntimeError("index documents do not match the knowledge base's phrasings")
    queries = [q.text for q in read_questions(Path(args.questions))]
    query_vectors = service.encoder.encode(queries)
    config = service.config.ann
    rows = []
    for n in args.sizes:
        row = measure(pool, pool_vectors, queries, query_vectors, n, config, args.single)
        rows.append(row)
        print(json.dumps(row), flush=True)
        gc.collect()
    report = {
        "machine": machine(),
        "encoder": service.encoder.name,
        "ann_config": {
            "threshold": config.threshold,
            "nlist": config.nlist,
            "nprobe": config.nprobe,
            "k": config.k,
        },
        "real_texts": len(pool.texts),
        "queries": len(queries),
        "sizes": rows,
    }
    write_json(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
