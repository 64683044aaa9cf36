"""BENCHMARKS.md rendering from results, and the plots."""

from __future__ import annotations

import copy

from tools.bench import report
from tools.bench.plots import write_plots
from tools.bench.report import DEFAULT_METHOD, LANG_COLUMNS, render, shortfalls


def _metrics(top1: float) -> dict[str, float]:
    return {
        "n_in": 120,
        "n_out": 30,
        "top1": top1,
        "top3": 0.99,
        "mrr": 0.98,
        "no_match_precision": 0.95,
        "no_match_recall": 0.9,
        "false_refusals": 0.01,
    }


def _quality(default: float, baseline: dict[str, float]) -> dict:
    langs = ("pl", "en", "uk", "ru", "all")
    return {
        "questions": "tests/eval/dev.jsonl",
        "methods": {
            DEFAULT_METHOD: {
                "no_match_rule": "configured",
                "metrics": {lang: _metrics(default) for lang in langs},
            },
            "BM25 (lexical only)": {
                "no_match_rule": "calibrated",
                "metrics": {lang: _metrics(baseline.get(lang, 0.5)) for lang in langs},
            },
        },
    }


RESULTS = {
    "search": {
        "encoder": "use-multilingual",
        "entries": 42,
        "documents": 2614,
        "index_build_s": 10.1,
        "start_to_ready_s": 14.0,
        "single_query_ms": {"n": 1200, "p50": 9.8, "p95": 13.9, "p99": 17.0, "max": 30.0},
        "batch_ms": {"10": {"n": 60, "p50": 30.0, "p95": 40.0, "p99": 45.0, "max": 50.0}},
        "peak_rss_mb": 348.0,
    },
    "load": {
        "rest": [
            {
                "users": u,
                "messages": 300,
                "errors": 0,
                "wall_s": 30.0,
                "throughput_per_s": 10.0,
                "ms": {"n": 300, "p50": 100.0 * u, "p95": 150.0 * u, "p99": 170.0 * u},
            }
            for u in (1, 10, 50)
        ],
        "socketio": [
            {
                "users": 50,
                "messages": 200,
                "errors": 1,
                "wall_s": 20.0,
                "throughput_per_s": 9.95,
                "ms": {"n": 199, "p50": 4000.0, "p95": 6000.0, "p99": 7000.0},
            }
        ],
    },
    "scale": {
        "encoder": "use-multilingual",
        "ann_config": {"threshold": 50000, "nlist": 0, "nprobe": 32, "k": 100},
        "real_texts": 2400,
        "queries": 600,
        "sizes": [
            {
                "entries": n,
                "documents": 4 * n,
                "product_uses": "ann" if 4 * n > 50000 else "exact",
                "exact": {"build_s": 0.0, "memory_mb": n / 100, "single_ms": {"p95": n / 1000}},
                "ann": {
                    "build_s": n / 10000,
                    "memory_mb": n / 100,
                    "single_ms": {"p95": 0.5},
                    "recall@10": 0.93,
                },
                "bm25": {"build_s": n / 5000, "memory_mb": 1.0, "single_ms": {"p95": n / 2000}},
            }
            for n in (1000, 10000, 100000)
        ],
    },
    "coldstart": {"question": "Ile?", "runs": [{"first_answer_s": 42.5, "stop_s": 3.0}]},
}
META = {
    "command": "make bench",
    "date": "2026-11-24 00:00 UTC",
    "duration_min": 25.0,
    "machine": "test CPU, 2 cores",
    "load_before": 1.5,
    "load_after": 2.0,
    "load_note": "Others were busy.",
    "commands": {"quality": ".venv/bin/python -m tools.bench.quality"},
    "durations_s": {"quality": 300.0},
    "errors": {},
}


def test_a_full_report_has_every_section_and_its_numbers():
    results = {**RESULTS, "quality": _quality(0.97, {})}
    text = render(results, META)
    for heading in ("Answer quality", "Search latency", "concurrent users", "Scale", "Cold start"):
        assert f"## {heading}" in text or heading in text
    assert "| default: hybrid, USE | 0.970 | 0.970 | 0.970 | 0.970 | 0.970 |" in text
    assert "| REST | 50 | 300 | 5000.0 | 7500.0 | 8500.0 | 10.0 | 0 |" in text
    assert "| 100,000 | 400,000 |" in text and "| ann |" in text
    assert "42.5" in text and "test CPU" in text and "Others were busy." in text
    assert "How: `.venv/bin/python -m tools.bench.quality`" in text
    assert "best top-1 of all methods in every language" in text


def test_the_report_says_where_a_baseline_wins():
    quality = _quality(0.9, {"uk": 0.95, "ru": 0.9})
    gaps = shortfalls(quality)
    assert len(gaps) == 2
    assert gaps[0].startswith("uk: BM25 (lexical only) beats")
    assert gaps[1].startswith("ru: BM25 (lexical only) ties")
    assert "Where the default does not win" in render({"quality": quality}, META)
    assert "our own hybrid" not in gaps[0]


def test_a_tie_with_our_hybrid_on_another_encoder_is_explained():
    quality = _quality(0.9, {})
    quality["methods"]["hybrid, MiniLM"] = {
        "no_match_rule": "configured",
        "metrics": {lang: _metrics(0.9 if lang == "pl" else 0.8) for lang in LANG_COLUMNS},
    }
    (gap,) = shortfalls(quality)
    assert gap.startswith("pl: hybrid, MiniLM ties") and "our own hybrid" in gap


def test_load_targets_are_judged_per_setup():
    lines = report._targets(RESULTS["load"])
    # p95 150 ms for one user, 10 msg/s for ten, 7.5 s p95 for fifty: all three missed.
    assert len(lines) == 3 and all("**missed**" in line for line in lines)
    fast = {**RESULTS["load"]["rest"][0], "ms": {"p50": 40.0, "p95": 55.0, "p99": 60.0}}
    assert "met" in report._targets({"rest": [fast]})[0]
    busy = {**RESULTS["load"], "load_before": 12.0, "load_after": 15.5}
    section = "\n".join(report.load_section(busy, "cmd"))
    assert "started 12.0, when it ended 15.5" in section and "pessimistic" in section


def test_a_stage_that_failed_is_reported_as_not_measured():
    meta = copy.deepcopy(META)
    meta["errors"] = {"load": "exit code 1"}
    text = render({}, meta)
    assert "## load\n\nNot measured in this run: exit code 1." in text
    quality = {**_quality(0.97, {}), "failed": {"Rasa ResponseSelector": "training died"}}
    text = render({"quality": quality}, META)
    assert "**Rasa ResponseSelector was not measured in this run:** training died" in text


def test_plots_are_written_for_measured_stages(tmp_path, monkeypatch):
    from tools.bench import plots

    calls = []
    monkeypatch.setattr(
        plots, "PLOTS", {**plots.PLOTS, "load": lambda r, p: calls.append(p) or p.touch()}
    )
    # The real quality plot (one figure); the stub stands in for the slower two-panel ones.
    written = write_plots({"quality": _quality(0.97, {}), "load": RESULTS["load"]}, tmp_path)
    assert sorted(p.name for p in written) == ["load.png", "quality_top1.png"]
    assert calls == [tmp_path / "load.png"]
    assert (tmp_path / "quality_top1.png").read_bytes()[:4] == b"\x89PNG"


PROFILE = {
    "users": 10,
    "samples": 2400,
    "load_before": 0.1,
    "load_after": 1.9,
    "parts": {"validation": 2.0, "tracker_save": 30.5, "nlu": 25.0},
    "run": {
        "throughput_per_s": 41.5,
        "errors": 0,
        "ms": {"p50": 200.0, "p95": 310.0, "p99": 400.0},
    },
    "before": {"what": "the old code, measured on a busy machine.", "parts": {"validation": 36.1}},
}


def test_the_turn_profile_shows_each_part_before_and_now():
    text = render({"profile": PROFILE}, META)
    assert "| tracker store: save | 0.0% | 30.5% |" in text
    assert "JSON-schema check of every action response) | 36.1% | 2.0% |" in text
    assert "41.5 msg/s; p50 / p95 / p99 200.0 / 310.0 / 400.0 ms; 0 errors" in text
    assert "Before: the old code, measured on a busy machine." in text
    without_baseline = {k: v for k, v in PROFILE.items() if k != "before"}
    assert "| NLU parse | – | 25.0% |" in render({"profile": without_baseline}, META)


def test_long_messages_are_judged_against_their_target():
    slow = {**RESULTS["search"], "long_min_chars": 80,
            "long_query_ms": {"n": 300, "p50": 15.0, "p95": 24.0, "p99": 30.0}}  # fmt: skip
    assert "(≥ 80 characters, 300 calls)" in "\n".join(report.search_section(slow, "cmd"))
    assert "p95 ≤ 20 ms: **missed**" in "\n".join(report.search_section(slow, "cmd"))
    fast = {**slow, "long_query_ms": {"n": 300, "p50": 9.0, "p95": 14.0, "p99": 16.0}}
    assert "p95 ≤ 20 ms: met" in "\n".join(report.search_section(fast, "cmd"))


def test_the_lemma_ablation_is_pointed_to_not_dropped():
    text = render({"quality": _quality(0.97, {})}, META)
    assert "[docs/ablation-lemmas.md](docs/ablation-lemmas.md)" in text
