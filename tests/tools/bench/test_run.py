"""`make bench`'s driver: re-rendering the report from the last run's files."""

from __future__ import annotations

import json

from tests.tools.bench.test_report import META, RESULTS
from tools.bench import run


def test_render_only_rebuilds_the_report_from_saved_results(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "BENCH_DIR", tmp_path)
    meta = {**META, "commands": {"search": "cmd-s", "load": "cmd-l"}, "errors": {"load": "died"}}
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    (tmp_path / "search.json").write_text(json.dumps(RESULTS["search"]))
    report = tmp_path / "BENCHMARKS.md"
    assert run.main(["--render-only", "--report", str(report)]) == 0
    text = report.read_text()
    assert "How: `cmd-s`" in text and "p50 9.8 ms" in text
    assert "Not measured in this run: died." in text


def test_the_machine_is_described_with_cores_and_memory():
    text = run.describe_machine()
    assert "cores" in text and "GiB RAM" in text and "Rasa 3.6.21" in text
