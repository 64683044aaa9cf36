"""`make bench`: every benchmark in turn, then BENCHMARKS.md and the plots in docs/bench/.

Each stage runs as its own process (so its peak memory is its own) and writes JSON under
`var/bench/`; this script then renders the report from those files only. `--quick` runs
small versions of every stage for development: its report goes to `var/bench/BENCHMARKS.md`
unless `--report` says otherwise, so it never replaces the real one by accident.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.settings import ROOT
from tools.bench.plots import write_plots
from tools.bench.report import render

BENCH_DIR = ROOT / "var" / "bench"

FULL: dict[str, list[str]] = {
    "quality": ["tools.bench.quality"],
    "search": ["tools.bench.search"],
    "scale": ["tools.bench.scale"],
    "load": ["tools.bench.load"],
    "profile": ["tools.bench.profile"],
    "coldstart": ["tools.bench.coldstart"],
}
QUICK: dict[str, list[str]] = {
    "quality": ["tools.bench.quality", "--epochs", "2", "2", "--skip-alt-encoder"],
    "search": ["tools.bench.search", "--rounds", "1"],
    "scale": ["tools.bench.scale", "--sizes", "1000", "5000", "--single", "20"],
    "load": [
        "tools.bench.load", "--users", "1", "5", "--messages", "20",
        "--socketio-users", "5", "--socketio-messages", "25", "--replicas", "1",
    ],
    "profile": ["tools.bench.profile", "--users", "5", "--messages", "50"],
    "coldstart": ["tools.bench.coldstart", "--runs", "1"],
}  # fmt: skip


def describe_machine() -> str:
    """CPU model, cores, memory, OS and Python, for the report."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "memory unknown"
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()} (.venv) and 3.10 (.venv-rasa, Rasa 3.6.21)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--only", nargs="+", choices=list(FULL), help="run only these stages")
    parser.add_argument("--report", help="where to write the report (default: see above)")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="measure nothing: write the report again from the last run's var/bench/*.json",
    )
    args = parser.parse_args(argv)
    if args.render_only:
        return _render(Path(args.report) if args.report else ROOT / "BENCHMARKS.md")

    stages = QUICK if args.quick else FULL
    report = (
        Path(args.report)
        if args.report
        else (BENCH_DIR / "BENCHMARKS.md" if args.quick else ROOT / "BENCHMARKS.md")
    )
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    results, errors, commands, durations = {}, {}, {}, {}
    for stage, module_args in stages.items():
        if args.only and stage not in args.only:
            continue
        out = BENCH_DIR / f"{stage}.json"
        out.unlink(missing_ok=True)
        cmd = [".venv/bin/python", "-m", *module_args, "--out", str(out.relative_to(ROOT))]
        commands[stage] = " ".join(cmd)
        print(f"\n=== {stage}: {commands[stage]}", flush=True)
        t = time.perf_counter()
        code = subprocess.run([sys.executable, *cmd[1:]], cwd=ROOT).returncode
        durations[stage] = round(time.perf_counter() - t, 1)
        if out.exists():
            results[stage] = json.loads(out.read_text(encoding="utf-8"))
        else:
            errors[stage] = f"`{commands[stage]}` failed with exit code {code}"
    minutes = (time.perf_counter() - started) / 60
    load_after = os.getloadavg()[0]
    meta = {
        "command": "make bench" if not args.quick else "make bench (quick)",
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "duration_min": minutes,
        "machine": describe_machine(),
        "load_before": load_before,
        "load_after": load_after,
        "load_note": (
            "A load above 0.5 before the run means other processes were using the CPU, so the"
            " timings are pessimistic."
            if load_before > 0.5
            else "The machine was otherwise idle before the run."
        ),
        "commands": commands,
        "durations_s": durations,
        "errors": errors,
    }
    (BENCH_DIR / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    _render(report)
    print(f"measured in {minutes:.1f} minutes", flush=True)
    return 1 if errors else 0


def _render(report: Path) -> int:
    """The report and its plots from the JSON files of the last run."""
    meta = json.loads((BENCH_DIR / "meta.json").read_text(encoding="utf-8"))
    results = {
        stage: json.loads((BENCH_DIR / f"{stage}.json").read_text(encoding="utf-8"))
        for stage in meta["commands"]
        if stage not in meta["errors"] and (BENCH_DIR / f"{stage}.json").exists()
    }
    report.write_text(render(results, meta), encoding="utf-8")
    for path in write_plots(results, report.parent / "docs" / "bench"):
        print(f"wrote {path}")
    print(f"wrote {report}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
