"""`make run` as a newcomer runs it: everything starts, answers, and stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import pytest

from bot.settings import ROOT
from tests.e2e.chat import Chat, customs
from tools.devstack import free_port

pytestmark = pytest.mark.e2e


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_make_run_starts_answers_and_stops_cleanly(rasa_model, tmp_path):
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "FAQ_VAR_DIR": str(tmp_path)}
    log = tmp_path / "make-run.out"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["make", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while "Press Ctrl-C to stop." not in log.read_text():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(1)
        text = log.read_text()
        assert f"http://127.0.0.1:{ports['WEB_PORT']}/" in text
        assert (tmp_path / "log" / "rasa.log").exists()
        chat = Chat(f"http://127.0.0.1:{ports['RASA_PORT']}")
        assert {"kb_id": "card.fees"} in customs(chat.say("ile kosztuje karta pobytu?"))
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
    assert "Stopping" in log.read_text()
    assert not any(_port_open(p) for p in ports.values())
