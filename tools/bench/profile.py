"""Where a turn's time goes: py-spy samples the Rasa server while 10 users talk to it.

Run: `.venv/bin/python -m tools.bench.profile` (part of `make bench`). Starts one copy of the
stack on free ports (SQLite, in-memory lock store: the zero-setup default), warms it up, then
runs `--users` REST users holding 5-question conversations (as the load stage does) while
`py-spy record` samples the Rasa process. A sample is one Python stack of the busy process; it
counts towards each part of a turn below whose frames it holds, so a part's share is of all
samples and the shares need not add up to 100%. The latencies are of the same run, slowed a
little by the sampling.

The state before the per-turn fixes needs the old code, so it is not re-measured: it is kept
in `docs/bench/turn-profile-before.json`, and the report shows it beside this run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.search.evaluate import read_questions
from bot.settings import ROOT
from tools.bench.load import messages_per_user, rest_run
from tools.bench.stats import machine, write_json
from tools.devstack import Stack, StackConfig, train_if_needed

PARTS: dict[str, tuple[str, ...]] = {
    "validation": ("_validate_action_result (",),
    "tracker_save": ("save (rasa/core/tracker_store.py",),
    "tracker_retrieve": (
        "retrieve (rasa/core/tracker_store.py",
        "retrieve_full_tracker (rasa/core/tracker_store.py",
    ),
    "nlu": ("parse_message (rasa/core/processor.py",),
    "action_http": ("request (rasa/utils/endpoints.py",),
    "policy": ("_predict_next_with_tracker (rasa/core/processor.py",),
}
"""Frame prefixes of each part of a turn (named in tools/bench/report.py `PROFILE_PARTS`): a
sample belongs to a part when one of its frames starts with one of them (py-spy's `--function`
frames read `function (path/file.py)`)."""
BEFORE = ROOT / "docs" / "bench" / "turn-profile-before.json"


def shares(collapsed: Iterable[str]) -> tuple[int, dict[str, float]]:
    """Samples in py-spy's collapsed output, and each part's share of them in percent."""
    total = 0
    counts: Counter[str] = Counter()
    for line in collapsed:
        stack, _, number = line.rstrip().rpartition(" ")
        if not stack or not number.isdigit():
            continue
        samples = int(number)
        total += samples
        frames = stack.split(";")
        for key, prefixes in PARTS.items():
            if any(frame.startswith(prefixes) for frame in frames):
                counts[key] += samples
    return total, {key: round(100 * counts[key] / total, 1) if total else 0.0 for key in PARTS}


def py_spy() -> str | None:
    """The py-spy executable beside this Python, else on PATH."""
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


def _record(binary: str, pid: int, out: Path) -> subprocess.Popen[bytes]:
    """Sample `pid` until interrupted."""
    return subprocess.Popen(
        [binary, "record", "--pid", str(pid), "--rate", "100",
         "--function", "--nonblocking", "--format", "raw", "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--messages", type=int, default=300, help="in conversations of 5")
    parser.add_argument("--questions", default=str(ROOT / "tests" / "eval" / "dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "profile.json"))
    args = parser.parse_args(argv)

    binary = py_spy()
    if binary is None:
        print("py-spy is not installed (.venv/bin/pip install py-spy)", file=sys.stderr)
        return 1
    questions = [q.text for q in read_questions(Path(args.questions)) if q.expected]
    report: dict[str, Any] = {"machine": machine(), "users": args.users,
                              "load_before": os.getloadavg()[0]}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(StackConfig.ephemeral(Path(tmp)), train_if_needed())
        with stack.running():
            url = stack.config.rasa_url
            rasa = next(p for p in stack.processes if p.name == "rasa")
            asyncio.run(rest_run(url, questions, 5, 4))  # warm-up
            samples = Path(tmp) / "rasa.txt"
            recorder = _record(binary, rasa.popen.pid, samples)
            per_user = messages_per_user(args.messages, args.users)
            tally = asyncio.run(rest_run(url, questions, args.users, per_user))
            recorder.send_signal(signal.SIGINT)  # py-spy writes its samples and exits
            _, error = recorder.communicate(timeout=60)
            if not samples.exists():
                print(f"py-spy failed: {error.decode(errors='replace')[-500:]}", file=sys.stderr)
                return 1
            total, parts = shares(samples.read_text(encoding="utf-8").splitlines())
    report.update(run=tally.summary(args.users, 1), samples=total, parts=parts,
                  load_after=os.getloadavg()[0])  # fmt: skip
    if BEFORE.exists():
        report["before"] = json.loads(BEFORE.read_text(encoding="utf-8"))
    print(report)
    write_json(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
