"""The stack: replicas, the lock store and the balancer; stopping whatever signals arrive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bot.settings import ROOT
from tools import devstack
from tools.devstack import (
    Stack,
    StackConfig,
    StackError,
    _Process,
    lock_store_env,
    nginx_binary,
)

PG = "postgresql://127.0.0.1:5432/faq"


def test_the_lock_store_is_redis_from_its_url_else_in_memory():
    assert lock_store_env("", "faq")["LOCK_STORE_TYPE"] == "in_memory"
    redis = lock_store_env("redis://:s3cret@cache.internal:6380/4", "site1")
    assert redis == {
        "LOCK_STORE_TYPE": "redis",
        "LOCK_STORE_HOST": "cache.internal",
        "LOCK_STORE_PORT": "6380",
        "LOCK_STORE_DB": "4",
        "LOCK_STORE_PASSWORD": "s3cret",
        "LOCK_STORE_PREFIX": "site1",
    }


def test_one_copy_listens_on_the_public_ports_and_locks_in_memory(tmp_path):
    config = StackConfig(var_dir=tmp_path)
    [backend] = config.backends
    assert (backend.rasa_port, backend.actions_port, backend.web_port) == (5005, 5055, 8000)
    assert config.env()["LOCK_STORE_TYPE"] == "in_memory"
    names = list(Stack(config, tmp_path / "model.tar.gz")._specs())
    assert names == ["webapp", "actions", "rasa"]


@pytest.mark.parametrize(
    ("database_url", "redis_url", "missing"),
    [("", "redis://127.0.0.1:6379/0", "DATABASE_URL"), (PG, "", "REDIS_URL")],
)
def test_replicas_need_postgresql_and_redis(tmp_path, database_url, redis_url, missing):
    with pytest.raises(StackError, match=missing):
        StackConfig(var_dir=tmp_path, replicas=2, database_url=database_url, redis_url=redis_url)


def test_replicas_run_behind_nginx_on_the_public_ports(tmp_path):
    config = StackConfig.ephemeral(
        tmp_path, replicas=2, database_url=PG, redis_url="redis://127.0.0.1:6379/3"
    )
    ports = {p for b in config.backends for p in (b.rasa_port, b.actions_port, b.web_port)}
    public = {config.rasa_port, config.actions_port, config.web_port}
    assert len(ports) == 6 and not ports & public
    env = config.env()
    # Every process reaches the others through the balancer, so a dead copy is skipped.
    assert env["FAQ_WEBAPP_URL"] == config.web_url
    assert env["ACTION_ENDPOINT_URL"] == f"{config.actions_url}/webhook"
    assert env["LOCK_STORE_TYPE"] == "redis" and env["REDIS_URL"].endswith("/3")
    specs = Stack(config, tmp_path / "model.tar.gz")._specs()
    assert list(specs) == [
        "webapp-1", "actions-1", "rasa-1", "webapp-2", "actions-2", "rasa-2", "nginx",
    ]  # fmt: skip
    conf = Path(specs["nginx"][0][specs["nginx"][0].index("-c") + 1])
    text = conf.read_text()
    for backend in config.backends:
        assert f"127.0.0.1:{backend.rasa_port} " in text
        assert f"127.0.0.1:{backend.web_port} " in text
    (tmp_path / "log").mkdir()
    checked = subprocess.run(
        [nginx_binary(), "-p", str(conf.parent), "-c", str(conf), "-e", "stderr", "-t"],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


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
        from tools.devstack import install_stop_signals
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


def test_make_run_reads_its_settings_from_the_environment(monkeypatch, tmp_path):
    for name in ("ACTIONS_PORT", "WEB_PORT", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RASA_PORT", "6005")
    monkeypatch.setenv("FAQ_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("TRACKER_STORE_URL", "sqlite:///trackers.db")
    # Empty means the default, as `REPLICAS= make run` does.
    monkeypatch.setenv("REPLICAS", "")
    monkeypatch.setenv("REDIS_PREFIX", "")
    config = StackConfig.from_env()
    assert (config.rasa_port, config.actions_port, config.web_port) == (6005, 5055, 8000)
    assert config.var_dir == tmp_path and config.db_url == f"sqlite:///{tmp_path / 'faq.db'}"
    assert config.tracker_url == "sqlite:///trackers.db"
    assert (config.replicas, config.redis_prefix) == (1, "faq")


def test_make_run_refuses_an_unreadable_setting_before_training(monkeypatch, capsys):
    monkeypatch.setenv("REPLICAS", "two")
    monkeypatch.setattr(devstack, "train_if_needed", lambda: pytest.fail("trained"))
    monkeypatch.setattr(devstack, "install_stop_signals", lambda: None)
    assert devstack.cmd_run() == 2
    assert "replicas" in capsys.readouterr().err


def test_each_process_logs_under_its_service_name(monkeypatch, tmp_path):
    started: list[dict[str, str]] = []
    real_popen = subprocess.Popen

    def popen(cmd, **kwargs):
        started.append(kwargs["env"])
        return real_popen(["true"], start_new_session=True)

    monkeypatch.setattr(devstack.subprocess, "Popen", popen)
    stack = Stack(StackConfig(var_dir=tmp_path), tmp_path / "model.tar.gz")
    for name in ("webapp", "actions", "rasa"):
        stack._spawn(name)
    assert [env["FAQ_LOG_SERVICE"] for env in started] == ["webapp", "actions", "rasa"]
    # Copies behind the balancer log under their service's name too.
    assert devstack.service_of("webapp-2") == "webapp"
    stack.stop()
