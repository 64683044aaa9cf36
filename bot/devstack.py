"""Running the whole assistant locally: `make run` and the end-to-end tests.

Three processes: the Rasa server (.venv-rasa), the action server and the web app (.venv).
`python -m bot.devstack run` validates the knowledge base, trains the Rasa model when its
inputs changed (and only then), starts the three, waits until each answers, prints the URLs,
and stops them all on Ctrl-C or as soon as one of them dies. Logs go to `var/log/`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.settings import ROOT

RASA_VENV = ROOT / ".venv-rasa"
APP_VENV = ROOT / ".venv"
RASA_MODELS = ROOT / "models" / "rasa"
RASA_INPUTS = ("config.yml", "domain.yml", "data/rules.yml", "data/nlu")
RASA_DATA_ARGS = ["data/nlu", "data/rules.yml"]
TELEGRAM_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_SECRET_TOKEN",
    "TELEGRAM_API_BASE_URL",
)
"""Read by credentials.yml; empty ones leave the Telegram channel disabled."""
QUIET_RASA = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
"""Rasa reports telemetry and errors to the internet unless told not to; we never let it."""


class StackError(RuntimeError):
    """A process of the stack failed to start or died."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rasa_fingerprint() -> str:
    """A hash of everything the Rasa model is trained from."""
    digest = hashlib.sha256()
    for name in RASA_INPUTS:
        path = ROOT / name
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for f in files:
            digest.update(str(f.relative_to(ROOT)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def _run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True, **kwargs)  # type: ignore[call-overload]


def prepare_rasa_data() -> None:
    """Validate the knowledge base and write the NLU examples generated from it."""
    _run([str(APP_VENV / "bin" / "faq"), "validate"])
    _run([str(APP_VENV / "bin" / "faq"), "rasa-data"])


def train_if_needed() -> Path:
    """The trained model for the current inputs, training it only if it does not exist."""
    prepare_rasa_data()
    fingerprint = rasa_fingerprint()
    model = RASA_MODELS / f"{fingerprint}.tar.gz"
    if model.exists():
        print(f"Rasa model up to date: {model.relative_to(ROOT)}", flush=True)
        return model
    RASA_MODELS.mkdir(parents=True, exist_ok=True)
    _run(
        [
            str(RASA_VENV / "bin" / "rasa"),
            "train",
            "--config", "config.yml",
            "--domain", "domain.yml",
            "--data", *RASA_DATA_ARGS,
            "--out", str(RASA_MODELS),
            "--fixed-model-name", fingerprint,
        ],
        env={**os.environ, **QUIET_RASA},
    )  # fmt: skip
    return model


def _secret(variable: str) -> str:
    # One random value per stack unless configured: nothing guessable is ever the default.
    return os.environ.get(variable) or secrets.token_urlsafe(24)


def _stored_secret(path: Path) -> str:
    if path.exists():
        return path.read_text("utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.touch(mode=0o600)
    path.write_text(value, "utf-8")
    return value


@dataclass
class StackConfig:
    """Ports, folders and databases of one running stack."""

    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int = 8000
    var_dir: Path = ROOT / "var"
    database_url: str = ""
    tracker_url: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)
    rasa_token: str = field(default_factory=lambda: _secret("RASA_AUTH_TOKEN"))
    """Guards Rasa's HTTP API, which the web app uses to send consultants' messages."""
    internal_token: str = field(default_factory=lambda: _secret("FAQ_INTERNAL_TOKEN"))
    """Guards the web app's internal handoff API, which the action server uses."""
    session_secret: str = ""
    """Signs web chat session ids; every Rasa server of a stack shares it. Kept in the stack's
    folder unless configured, so that browsers keep their conversations across restarts."""

    def __post_init__(self) -> None:
        if not self.session_secret:
            self.session_secret = os.environ.get("WEBCHAT_SESSION_SECRET") or _stored_secret(
                self.var_dir / "webchat-session.key"
            )

    @classmethod
    def from_env(cls) -> StackConfig:
        env = os.environ
        return cls(
            rasa_port=int(env.get("RASA_PORT", 5005)),
            actions_port=int(env.get("ACTIONS_PORT", 5055)),
            web_port=int(env.get("WEB_PORT", 8000)),
            var_dir=Path(env.get("FAQ_VAR_DIR", ROOT / "var")),
            database_url=env.get("DATABASE_URL", ""),
            tracker_url=env.get("TRACKER_STORE_URL", ""),
        )

    @classmethod
    def ephemeral(cls, var_dir: Path, **kwargs: object) -> StackConfig:
        """Free ports and a private folder: for tests beside a developer's running stack."""
        return cls(
            rasa_port=free_port(),
            actions_port=free_port(),
            web_port=free_port(),
            var_dir=var_dir,
            **kwargs,  # type: ignore[arg-type]
        )

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def db_url(self) -> str:
        """The web app's database: DATABASE_URL, else a SQLite file in the stack's folder."""
        return self.database_url or f"sqlite:///{self.var_dir / 'faq.db'}"

    def env(self) -> dict[str, str]:
        database = self.db_url
        tracker = self.tracker_url or (
            self.database_url.replace("postgresql+psycopg://", "postgresql://")
            if self.database_url
            else f"sqlite:///{self.var_dir / 'tracker.db'}"
        )
        telegram = {name: os.environ.get(name, "") for name in TELEGRAM_VARIABLES}
        return {
            **os.environ,
            **telegram,
            "FAQ_VAR_DIR": str(self.var_dir),
            "DATABASE_URL": database,
            "TRACKER_STORE_URL": tracker,
            "ACTION_ENDPOINT_URL": f"{self.actions_url}/webhook",
            "FAQ_WEBAPP_URL": self.web_url,
            "FAQ_RASA_PUBLIC_URL": self.rasa_url,
            "FAQ_RASA_URL": self.rasa_url,
            "RASA_AUTH_TOKEN": self.rasa_token,
            "FAQ_INTERNAL_TOKEN": self.internal_token,
            "WEBCHAT_SESSION_SECRET": self.session_secret,
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),  # Rasa imports the custom channels from connectors/
            **QUIET_RASA,
            **self.extra_env,
        }


@dataclass
class _Process:
    name: str
    popen: subprocess.Popen[bytes]
    health: str
    log: Path


class Stack:
    """The three processes of the assistant."""

    def __init__(self, config: StackConfig, model: Path):
        self.config = config
        self.model = model
        self.processes: list[_Process] = []

    def _specs(self) -> dict[str, tuple[list[str], str]]:
        """Command line and health URL of each process, in start order."""
        c = self.config
        app_python = str(APP_VENV / "bin" / "python")
        return {
            "webapp": (
                [
                    app_python, "-m", "uvicorn", "bot.web.app:create_app", "--factory",
                    "--host", "127.0.0.1", "--port", str(c.web_port),
                ],
                f"{c.web_url}/health",
            ),
            "actions": (
                [
                    app_python, "-m", "rasa_sdk", "--actions", "actions",
                    "--port", str(c.actions_port),
                ],
                f"{c.actions_url}/health",
            ),
            "rasa": (
                [
                    str(RASA_VENV / "bin" / "rasa"), "run", "--model", str(self.model),
                    "--port", str(c.rasa_port), "--interface", "127.0.0.1",
                    "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
                    "--cors", "*", "--enable-api", "--auth-token", c.rasa_token,
                ],
                f"{c.rasa_url}/",
            ),
        }  # fmt: skip

    def _spawn(self, name: str) -> _Process:
        cmd, health = self._specs()[name]
        log_dir = self.config.var_dir / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        log = log_dir / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=self.config.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us; we stop the children in order
            )
        proc = _Process(name, popen, health, log)
        self.processes.append(proc)
        return proc

    def _wait_ready(self, pending: list[_Process], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while pending:
            for proc in list(pending):
                if proc.popen.poll() is not None:
                    self.stop()
                    raise StackError(f"{proc.name} exited; see {proc.log}:\n{_tail(proc.log)}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(proc.health, timeout=2).status_code == 200:
                        pending.remove(proc)
            if time.monotonic() > deadline:
                self.stop()
                raise StackError(f"not ready after {timeout:.0f}s: {[p.name for p in pending]}")
            time.sleep(0.5)

    def start(self, timeout: float = 300.0) -> None:
        """Start all three and wait until each answers its health check."""
        self._wait_ready([self._spawn(name) for name in self._specs()], timeout)

    def dead(self) -> _Process | None:
        return next((p for p in self.processes if p.popen.poll() is not None), None)

    @staticmethod
    def _terminate(proc: _Process) -> None:
        if proc.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.popen.pid, signal.SIGTERM)
        try:
            proc.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.popen.pid, signal.SIGKILL)
            proc.popen.wait()

    def stop(self) -> None:
        """Stop every process: SIGTERM, then SIGKILL after a grace period."""
        for proc in reversed(self.processes):
            self._terminate(proc)
        self.processes.clear()

    def stop_one(self, name: str) -> None:
        """Stop one process, as an outage would (tests)."""
        proc = next(p for p in self.processes if p.name == name)
        self._terminate(proc)
        self.processes.remove(proc)

    def start_one(self, name: str, timeout: float = 300.0) -> None:
        """Start one (stopped) process and wait until it answers."""
        self._wait_ready([self._spawn(name)], timeout)

    def restart(self, name: str, timeout: float = 300.0) -> None:
        """Stop one process and start it again (to test that nothing is lost)."""
        self.stop_one(name)
        self.start_one(name, timeout)

    @contextlib.contextmanager
    def running(self) -> Iterator[Stack]:
        self.start()
        try:
            yield self
        finally:
            self.stop()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_run() -> int:
    # The children run in their own sessions, so a SIGTERM to us must stop them too.
    signal.signal(signal.SIGTERM, _interrupt)
    config = StackConfig.from_env()
    model = train_if_needed()
    stack = Stack(config, model)
    try:
        print("Starting the web app, the action server and the Rasa server…", flush=True)
        stack.start()
        print(
            "\nThe assistant is running:\n"
            f"  web app and chat page  {config.web_url}/\n"
            f"  Rasa REST channel      {config.rasa_url}/webhooks/rest/webhook\n"
            f"  action server          {config.actions_url}/health\n"
            f"  logs                   {config.var_dir / 'log'}/\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while (dead := stack.dead()) is None:
            time.sleep(1)
        print(f"\n{dead.name} died; stopping. Last lines of {dead.log}:\n{_tail(dead.log)}")
        return 1
    except KeyboardInterrupt:
        print("\nStopping…", flush=True)
        return 0
    except StackError as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


def cmd_rasa_test() -> int:
    model = train_if_needed()
    out = ROOT / "results"
    _run(
        [
            str(RASA_VENV / "bin" / "rasa"), "test", "core",
            "--model", str(model),
            "--stories", "tests/test_stories.yml",
            "--endpoints", "endpoints.yml",
            "--out", str(out),
            "--fail-on-prediction-errors",
        ],
        env={
            **os.environ,
            **QUIET_RASA,
            "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook",
            "TRACKER_STORE_URL": "sqlite://",
        },
    )  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.devstack", description=__doc__)
    parser.add_argument("command", choices=["run", "train", "model-path", "rasa-test"])
    args = parser.parse_args(argv)
    if args.command == "train":
        train_if_needed()
        return 0
    if args.command == "model-path":
        print(RASA_MODELS / f"{rasa_fingerprint()}.tar.gz")
        return 0
    if args.command == "rasa-test":
        return cmd_rasa_test()
    return cmd_run()


if __name__ == "__main__":
    sys.exit(main())
