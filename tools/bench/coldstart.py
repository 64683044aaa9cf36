"""Cold start: from launching `make run`'s command to the first answer over REST.

Run: `.venv/bin/python -m tools.bench.coldstart` (part of `make bench`). Trains the Rasa model
first if needed (the measurement is with a trained model present), then starts
`python -m tools.devstack run` — what `make run` runs after its up-to-date checks — on free ports
with a private var folder, sends a question every half second until an answer arrives, and
stops the stack with SIGTERM, as Ctrl-C would. The search index under `models/index/` is
present too (the web app builds it on first start; `bench.search` times that build).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bot.rasa_model import APP_VENV, train_if_needed
from bot.settings import ROOT
from tools.bench.stats import machine, write_json
from tools.devstack import free_port

QUESTION = "Ile kosztuje karta pobytu?"


def first_answer_seconds(timeout: float) -> dict[str, float]:
    """Launch the stack, wait for its first REST answer, stop it; timings in seconds."""
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            **{k: str(v) for k, v in ports.items()},
            "FAQ_VAR_DIR": tmp,
            "PYTHONPATH": str(ROOT),
        }
        endpoint = f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook"
        log = Path(tmp) / "devstack.log"
        started = time.perf_counter()
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [str(APP_VENV / "bin" / "python"), "-m", "tools.devstack", "run"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            answered = None
            while answered is None and time.perf_counter() - started < timeout:
                if proc.poll() is not None:
                    raise RuntimeError(f"the stack exited:\n{log.read_text(errors='replace')}")
                with contextlib.suppress(httpx.HTTPError, ValueError):
                    body = {"sender": "coldstart", "message": QUESTION}
                    response = httpx.post(endpoint, json=body, timeout=30)
                    if response.status_code == 200 and response.json():
                        answered = time.perf_counter() - started
                        break
                time.sleep(0.5)
            if answered is None:
                raise RuntimeError(f"no answer within {timeout:.0f} s")
        finally:
            stop_started = time.perf_counter()
            proc.send_signal(signal.SIGTERM)  # devstack stops its three processes in order
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        return {
            "first_answer_s": round(answered, 1),
            "stop_s": round(time.perf_counter() - stop_started, 1),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "coldstart.json"))
    args = parser.parse_args(argv)
    train_if_needed()
    runs = []
    for _ in range(args.runs):
        runs.append(first_answer_seconds(args.timeout))
        print("cold start", json.dumps(runs[-1]), flush=True)
    report = {"machine": machine(), "question": QUESTION, "runs": runs}
    write_json(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
