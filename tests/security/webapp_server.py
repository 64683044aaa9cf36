"""A real web app for attack tests: uvicorn in its own process on a free port, fake encoder.

`create` is the uvicorn factory (settings from the environment, as in production);
`running_webapp` starts it like `make run` does and stops it afterwards; `login_burst` is an
attacker in a process of its own, so its threads do not slow the test's own measurements.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from bot.search.service import SearchService
from bot.settings import ROOT, Settings
from bot.web.app import create_app
from tests.fakes import FakeEncoder

START_TIMEOUT = 120.0


def create() -> FastAPI:
    settings = Settings()
    return create_app(settings, SearchService(settings, encoder=FakeEncoder()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment that gives a web app process these settings."""
    return {
        "FAQ_KB_DIR": str(settings.kb_dir),
        "FAQ_MODELS_DIR": str(settings.models_dir),
        "FAQ_VAR_DIR": str(settings.var_dir),
        "DATABASE_URL": settings.database_url,
        "FAQ_KB_POLL_SECONDS": "60",
        **extra,
    }


@contextmanager
def running_webapp(env: dict[str, str], log: Path) -> Iterator[str]:
    """The base URL of a web app started with `env`; its output goes to `log`."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "tests.security.webapp_server:create", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-proxy-headers",
    ]  # fmt: skip
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "the web app did not start in time"
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _bogus_logins(url: str, count: int) -> None:
    """Print the statuses of `count` simultaneous logins with unknown usernames (JSON)."""
    form = httpx.get(f"{url}/login", timeout=60)
    match = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert match
    cookie = "; ".join(f"{name}={value}" for name, value in form.cookies.items())

    def attempt(i: int) -> int:
        data = {"username": f"nobody{i}", "password": "x" * 12, "csrf_token": match.group(1)}
        response = httpx.post(f"{url}/login", data=data, headers={"cookie": cookie}, timeout=300)
        return response.status_code

    with ThreadPoolExecutor(count) as pool:
        print(json.dumps(list(pool.map(attempt, range(count)))))


@contextmanager
def login_burst(url: str, count: int) -> Iterator[subprocess.Popen[str]]:
    """`count` simultaneous bogus logins from another process; `.communicate()` gives them."""
    code = "import sys; from tests.security.webapp_server import _bogus_logins as b; "
    code += "b(sys.argv[1], int(sys.argv[2]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", code, url, str(count)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
