"""Stopping the stack's processes, whatever signals arrive (issue #19, items 12 and 13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from bot.devstack import Stack, StackConfig, _Process
from bot.settings import ROOT

SLOW_TO_STOP = textwrap.dedent(
    """
    import signal, sys, time
    signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1.5), sys.exit(0)))
    print("ready", flush=True)
    while True:
        time.sleep(0.05)
    """
)


def spawn(tmp_path: Path, name: str) -> _Process:
    log = tmp_path / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [sys.executable, "-c", SLOW_TO_STOP], stdout=out, start_new_session=True
        )
    deadline = time.monotonic() + 10
    while "ready" not in log.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return _Process(name, popen, "", log)


def test_a_second_signal_while_stopping_does_not_orphan_the_other_children(tmp_path):
    stack = Stack(StackConfig.ephemeral(tmp_path), tmp_path / "model.tar.gz")
    stack.processes = [spawn(tmp_path, name) for name in ("webapp", "actions", "rasa")]
    popens = [p.popen for p in stack.processes]
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    # Ctrl-C again while the first child takes its time to stop.
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    interrupted = False
    try:
        timer.start()
        stack.stop()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
        for popen in popens:
            if popen.poll() is None:
                os.killpg(popen.pid, signal.SIGKILL)
                popen.wait()
    assert not interrupted
    assert all(popen.returncode is not None for popen in popens)
    assert stack.processes == []
    # The signal cut the grace period short: the last two got SIGKILL instead of waiting.
    assert popens[0].returncode == -signal.SIGKILL


def test_run_stops_on_sigint_even_when_started_with_sigint_ignored():
    # A shell's background job (`nohup`, `setsid … &`, a CI runner) starts with SIGINT ignored.
    child = textwrap.dedent(
        """
        import os, signal, time
        from bot.devstack import install_stop_signals
        install_stop_signals()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)
            print("ignored")
        except KeyboardInterrupt:
            print("stopping")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", child],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "stopping", result.stderr


def test_processes_get_one_math_thread_unless_configured(monkeypatch, tmp_path):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    env = StackConfig.ephemeral(tmp_path).env()
    assert env["OMP_NUM_THREADS"] == "3"
    assert env["OPENBLAS_NUM_THREADS"] == env["TF_NUM_INTRAOP_THREADS"] == "1"
