"""The `faq` command as users and the evaluation run it (a real process, the real model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.settings import ROOT

FAQ = [sys.executable, "-m", "bot.cli"]


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    return subprocess.run(
        [*FAQ, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, check=False
    )


def test_validate_passes_on_the_real_knowledge_base():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok:")


def test_validate_reports_file_line_and_fails(tmp_path):
    (tmp_path / "card.yml").write_text("area: card\nentries:\n  - id: card.fees\n    area: card\n")
    result = run("validate", "--kb", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path}/card.yml:3: card.fees: missing language `pl`" in result.stdout


@pytest.mark.integration
def test_batch_search_contract(models_dir):
    lines = [
        {"text": "скільки коштує карта побиту?"},
        {"text": "what's the weather tomorrow?", "lang": "en"},
        {"text": "zgubiłem kartę pobytu", "lang": "pl"},
    ]
    stdin = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    env = {**os.environ, "FAQ_MODELS_DIR": str(models_dir)}
    result = run("search", "--batch", "-", stdin=stdin, env=env)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["text"] for o in out] == [line["text"] for line in lines]
    assert all(set(o) == {"text", "lang", "decision", "results", "ms"} for o in out)
    assert out[0]["lang"] == "uk" and out[0]["decision"] == "answer"
    assert out[0]["results"][0]["id"] == "card.fees"
    assert out[1]["decision"] == "no_match"
    assert out[2]["results"][0]["id"] == "card.loss"
    scores = [r["score"] for r in out[2]["results"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.integration
def test_batch_rejects_malformed_lines_with_their_line_number(models_dir):
    env = {**os.environ, "FAQ_MODELS_DIR": str(models_dir)}
    result = run("search", "--batch", "-", stdin='{"text": "ok"}\nnot json\n', env=env)
    assert result.returncode != 0
    assert "-:2: not JSON" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_missing_model_is_a_clear_error(tmp_path):
    env = {**os.environ, "FAQ_MODELS_DIR": str(tmp_path), "FAQ_ENCODER": "st:some/model"}
    result = run("search", "karta pobytu", env=env)
    assert result.returncode == 1
    assert "faq models fetch some/model" in result.stderr


@pytest.fixture
def small_set(tmp_path):
    path = tmp_path / "set.jsonl"
    rows = [
        {"text": "ile kosztuje karta pobytu", "lang": "pl", "expected": "card.fees"},
        {"text": "how do I appeal a refusal", "lang": "en", "expected": "proc.appeal"},
        {"text": "втратив карту побиту", "lang": "uk", "expected": "card.loss"},
        {"text": "где сдать отпечатки пальцев", "lang": "ru", "expected": "proc.fingerprints"},
        {"text": "jaka jutro pogoda", "lang": "pl", "expected": None},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


@pytest.mark.integration
def test_index_eval_and_calibrate(models_dir, small_set, tmp_path):
    env = {**os.environ, "FAQ_MODELS_DIR": str(models_dir)}
    index = run("index", env=env)
    assert index.returncode == 0, index.stderr
    assert "entries, encoder use-multilingual" in index.stdout
    evaluated = run("eval", str(small_set), env=env)
    assert evaluated.returncode == 0, evaluated.stderr
    for heading in ("### default (hybrid)", "### lexical only", "### dense only"):
        assert heading in evaluated.stdout
    assert "| uk | 1 | 1.000 |" in evaluated.stdout
    out = tmp_path / "search.yml"
    calibrated = run("calibrate", "--set", str(small_set), "--out", str(out), env=env)
    assert calibrated.returncode == 0, calibrated.stderr
    assert "thresholds:" in out.read_text()


@pytest.mark.integration
def test_search_benchmark_reports_its_figures(small_set, tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "tools.bench.search", "--questions", str(small_set),
         "--rounds", "1", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert report["single_query_ms"]["n"] == 5
    assert report["index_build_s"] > 0 and report["peak_rss_mb"] > 0


def test_validate_warns_about_time_bound_facts_but_passes(kb_copy):
    path = kb_copy / "ukraine.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "valid_until: 2027-03-04", "valid_until: 2026-08-31"
        ),
        encoding="utf-8",
    )
    result = run("validate", "--kb", str(kb_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok:")
    assert "warning: ukr.protection: valid_until 2026-08-31 has passed" in result.stderr
