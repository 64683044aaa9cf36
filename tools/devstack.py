"""Running the whole assistant locally: `make run` and the end-to-end tests.

Three processes: the Rasa server (.venv-rasa), the action server and the web app (.venv).
`python -m tools.devstack run` validates the knowledge base, trains the Rasa model when its
inputs changed (and only then), starts the three, waits until each answers, prints the URLs,
and stops them all on Ctrl-C or as soon as one of them dies. Logs go to `var/log/`.

With `REPLICAS=N` (N > 1, PostgreSQL and Redis required) it starts N of each on private ports
and nginx on the public ones in front of them (bot/balancer.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.balancer import Backend, nginx_conf
from bot.logs import SERVICE_VARIABLE
from bot.rasa_model import APP_VENV, QUIET_RASA, RASA_VENV, model_path, run_echoed, train_if_needed
from bot.settings import ROOT, Settings

LOGGING_CONFIG = str(ROOT / "logging.yml")
"""JSON-lines logging shared by the three processes (bot/logs.py)."""
TELEGRAM_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_SECRET_TOKEN",
    "TELEGRAM_API_BASE_URL",
)
"""Read by credentials.yml; empty ones leave the Telegram channel disabled."""
ONE_THREAD = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS",
    )
}  # fmt: skip
"""Math libraries' thread pools, per process unless set in the environment.

Each process serves one small request at a time per core; with the libraries' default (one
thread per core in every process) the processes oversubscribe the cores and a search costs
several times its single-thread CPU time under load.
"""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


NGINX = "nginx"
FIRST_WEBAPP = "webapp-1"
"""With replicas, the web app that prepares the shared database before the others start."""
"""The balancer's name: `nginx` on PATH, else Debian's /usr/sbin/nginx."""


class StackSettings(BaseSettings):
    """What `make run` reads from the environment beside the web app's own Settings."""

    # An empty variable (`REPLICAS= make run`) means the default, as it does in a Makefile.
    model_config = SettingsConfigDict(extra="ignore", env_ignore_empty=True)

    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int = 8000
    tracker_url: str = Field(default="", validation_alias="TRACKER_STORE_URL")
    replicas: int = 1
    redis_url: str = ""
    redis_prefix: str = "faq"


class StackError(RuntimeError):
    """A process of the stack failed to start or died."""


def lock_store_env(redis_url: str, prefix: str) -> dict[str, str]:
    """endpoints.yml's `lock_store` settings: Redis at `redis_url`, else in memory.

    Rasa's in-memory lock store serialises a conversation's messages within one server only;
    the Redis one does it across every server sharing the tracker store.
    """
    if not redis_url:
        return {
            "LOCK_STORE_TYPE": "in_memory", "LOCK_STORE_HOST": "", "LOCK_STORE_PORT": "6379",
            "LOCK_STORE_DB": "0", "LOCK_STORE_PASSWORD": "", "LOCK_STORE_PREFIX": prefix,
        }  # fmt: skip
    url = urlsplit(redis_url)
    return {
        "LOCK_STORE_TYPE": "redis",
        "LOCK_STORE_HOST": url.hostname or "127.0.0.1",
        "LOCK_STORE_PORT": str(url.port or 6379),
        "LOCK_STORE_DB": url.path.strip("/") or "0",
        "LOCK_STORE_PASSWORD": url.password or "",
        "LOCK_STORE_PREFIX": prefix,
    }


def nginx_binary() -> str:
    found = shutil.which(NGINX) or shutil.which(NGINX, path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise StackError("REPLICAS > 1 needs nginx (apt-get install nginx)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    replicas: int = 1
    """Copies of each process; above one, nginx balances them on the ports above."""
    redis_url: str = ""
    """Rasa's lock store; in memory (one Rasa server only) when empty."""
    redis_prefix: str = "faq"
    """Prefix of the lock store's keys and the web chat's channel (letters and digits), so
    stacks can share a Redis."""
    backends: list[Backend] = field(default_factory=list)
    """The ports each copy listens on: the public ones for a single copy, else free ones."""
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
        if self.replicas < 1:
            raise StackError(f"REPLICAS must be at least 1, not {self.replicas}")
        if self.replicas > 1:
            # Each copy keeps state that only a shared server makes common: the web apps'
            # database and Rasa's trackers (PostgreSQL), and Rasa's conversation locks (Redis).
            if not self.database_url.startswith(("postgresql", "postgres:")):
                raise StackError("REPLICAS > 1 needs DATABASE_URL=postgresql://...")
            if not self.redis_url:
                raise StackError("REPLICAS > 1 needs REDIS_URL=redis://host:6379/<db>")
        if not self.backends:
            self.backends = (
                [Backend(self.rasa_port, self.actions_port, self.web_port)]
                if self.replicas == 1
                else [Backend(free_port(), free_port(), free_port()) for _ in range(self.replicas)]
            )

    @classmethod
    def from_env(cls) -> StackConfig:
        """The stack `make run` starts: StackSettings, and the web app's folder and database."""
        app = Settings()
        return cls(
            **StackSettings().model_dump(), var_dir=app.var_dir, database_url=app.database_url
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
            **ONE_THREAD,
            **os.environ,
            **telegram,
            "FAQ_VAR_DIR": str(self.var_dir),
            "DATABASE_URL": database,
            "TRACKER_STORE_URL": tracker,
            "ACTION_ENDPOINT_URL": f"{self.actions_url}/webhook",
            "FAQ_WEBAPP_URL": self.web_url,
            "FAQ_RASA_PUBLIC_URL": self.rasa_url,
            "FAQ_RASA_URL": self.rasa_url,
            # Each Rasa server's own port: a model retrained from the console goes to all.
            "FAQ_RASA_SERVERS": ",".join(
                f"http://127.0.0.1:{backend.rasa_port}" for backend in self.backends
            ),
            "RASA_AUTH_TOKEN": self.rasa_token,
            "FAQ_INTERNAL_TOKEN": self.internal_token,
            # Behind nginx every client is loopback: believe nginx's X-Forwarded-For (login
            # throttling is per client address too).
            **({"FAQ_TRUSTED_PROXIES": "127.0.0.1"} if self.replicas > 1 else {}),
            "WEBCHAT_SESSION_SECRET": self.session_secret,
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),  # Rasa imports the custom channels from connectors/
            "REDIS_URL": self.redis_url,
            "REDIS_PREFIX": self.redis_prefix,  # read by connectors/webchat.py too
            **lock_store_env(self.redis_url, self.redis_prefix),
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
    """The three processes of the assistant (N of each and nginx with `replicas` > 1).

    Processes are named `webapp`, `actions` and `rasa`; with replicas, `webapp-1`,
    `webapp-2`, … and `nginx`.
    """

    def __init__(self, config: StackConfig, model: Path):
        self.config = config
        self.model = model
        self.processes: list[_Process] = []
        self._hurry = False
        """Set by a signal arriving while stopping: skip the remaining grace periods."""

    def _specs(self) -> dict[str, tuple[list[str], str]]:
        """Command line and health URL of each process, in start order."""
        c = self.config
        specs: dict[str, tuple[list[str], str]] = {}
        for number, backend in enumerate(c.backends, start=1):
            suffix = f"-{number}" if c.replicas > 1 else ""
            for name, spec in self._backend_specs(backend).items():
                specs[name + suffix] = spec
        if c.replicas > 1:
            specs["nginx"] = (
                [
                    nginx_binary(), "-p", str(self._nginx_dir()), "-c", str(self._nginx_conf()),
                    "-e", str(c.var_dir / "log" / "nginx-error.log"), "-g", "daemon off;",
                ],
                f"{c.web_url}/health",
            )  # fmt: skip
        return specs

    def _backend_specs(self, backend: Backend) -> dict[str, tuple[list[str], str]]:
        """Command lines and health URLs of one copy of the three processes."""
        c = self.config
        app_python = str(APP_VENV / "bin" / "python")
        return {
            "webapp": (
                [
                    app_python, "-m", "uvicorn", "bot.web.app:create_app", "--factory",
                    "--host", "127.0.0.1", "--port", str(backend.web_port),
                    "--log-config", LOGGING_CONFIG,
                    # The app alone decides whose X-Forwarded-For to believe (FAQ_TRUSTED_PROXIES).
                    "--no-proxy-headers",
                ],
                f"http://127.0.0.1:{backend.web_port}/health",
            ),
            "actions": (
                [
                    app_python, "-m", "actions.server", "--port", str(backend.actions_port),
                    "--logging-config-file", LOGGING_CONFIG,
                ],
                f"http://127.0.0.1:{backend.actions_port}/health",
            ),
            "rasa": (
                [
                    str(RASA_VENV / "bin" / "rasa"), "run", "--model", str(self.model),
                    "--port", str(backend.rasa_port), "--interface", "127.0.0.1",
                    "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
                    # One argument: a random token may start with "-".
                    "--cors", "*", "--enable-api", f"--auth-token={c.rasa_token}",
                    "--logging-config-file", LOGGING_CONFIG,
                ],
                f"http://127.0.0.1:{backend.rasa_port}/",
            ),
        }  # fmt: skip

    def _nginx_dir(self) -> Path:
        return self.config.var_dir / "nginx"

    def _nginx_conf(self) -> Path:
        """Write the balancer's configuration for this stack's ports; its path."""
        c = self.config
        state = self._nginx_dir()
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (state / kind).mkdir(parents=True, exist_ok=True)
        conf = state / "nginx.conf"
        conf.write_text(
            nginx_conf(
                c.backends,
                c.rasa_port,
                c.actions_port,
                c.web_port,
                state,
                c.var_dir / "log",
                user="root" if os.geteuid() == 0 else "",
            ),
            encoding="utf-8",
        )
        return conf

    def _spawn(self, name: str) -> _Process:
        cmd, health = self._specs()[name]
        log_dir = self.config.var_dir / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        log = log_dir / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env={**self.config.env(), SERVICE_VARIABLE: service_of(name)},
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
        """Start all three and wait until each answers its health check.

        With replicas the first web app starts alone: it prepares the shared database (creates
        its tables) before the other copies connect, so they never race to do it.
        """
        names = list(self._specs())
        if self.config.replicas > 1:
            names.remove(FIRST_WEBAPP)
            self._wait_ready([self._spawn(FIRST_WEBAPP)], timeout)
        self._wait_ready([self._spawn(name) for name in names], timeout)

    def dead(self) -> _Process | None:
        return next((p for p in self.processes if p.popen.poll() is not None), None)

    def _terminate(self, proc: _Process, grace: float = 15.0) -> None:
        """SIGTERM to the process group, SIGKILL after `grace` seconds (at once when hurried)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if proc.popen.poll() is None:
                os.killpg(proc.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while proc.popen.poll() is None and time.monotonic() < deadline and not self._hurry:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(timeout=0.1)
        if proc.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.popen.pid, signal.SIGKILL)
            proc.popen.wait()

    def stop(self) -> None:
        """Stop every process: SIGTERM, then SIGKILL after a grace period.

        Nothing interrupts this: a SIGINT or SIGTERM arriving meanwhile (Ctrl-C pressed twice,
        a supervisor's TERM just after a child died) only cuts the grace periods short, so no
        child is left holding its port.
        """
        with self._signals_hurry():
            for proc in reversed(self.processes):
                self._terminate(proc)
            self.processes.clear()

    @contextlib.contextmanager
    def _signals_hurry(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # only the main thread receives signals
            return

        def hurry(signum: int, frame: object) -> None:
            self._hurry = True

        previous = {sig: signal.signal(sig, hurry) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._hurry = False

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


def service_of(name: str) -> str:
    """The service a process logs as: its name without the copy's number (`webapp-2`)."""
    return name.partition("-")[0]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _interrupt(signum: int, frame: object) -> None:
    # Once: a second signal before Stack.stop() takes over must not interrupt the clean-up.
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


def install_stop_signals() -> None:
    """Ctrl-C (SIGINT) and SIGTERM stop `run`.

    Both explicitly: the children run in their own sessions, so a SIGTERM to us must stop them
    too, and a shell starts background jobs (`nohup`, `setsid … &`, CI runners) with SIGINT
    ignored, which Python then leaves ignored.
    """
    for sig in STOP_SIGNALS:
        signal.signal(sig, _interrupt)


def cmd_run() -> int:
    install_stop_signals()
    try:
        config = StackConfig.from_env()
    except (StackError, ValidationError) as exc:  # a setting that cannot work: say which, early
        print(f"error: {exc}", file=sys.stderr)
        return 2
    model = train_if_needed()
    stack = Stack(config, model)
    try:
        copies = f"{config.replicas} copies of " if config.replicas > 1 else ""
        print(f"Starting {copies}the web app, the action server and the Rasa server…", flush=True)
        stack.start()
        print(
            "\nThe assistant is running:\n"
            f"  web app and chat page  {config.web_url}/\n"
            f"  Rasa REST channel      {config.rasa_url}/webhooks/rest/webhook\n"
            f"  action server          {config.actions_url}/health\n"
            + (f"  replicas               {config.replicas}, behind nginx\n" if copies else "")
            + f"  logs                   {config.var_dir / 'log'}/\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while True:
            while (dead := stack.dead()) is None:
                time.sleep(1)
            if config.replicas == 1 or dead.name == "nginx":
                print(f"\n{dead.name} died; stopping. Last lines of {dead.log}:\n{_tail(dead.log)}")
                return 1
            # The other copies serve meanwhile: bring this one back as a supervisor would.
            print(f"\n{dead.name} died; restarting it. See {dead.log}", flush=True)
            stack.processes.remove(dead)
            stack.start_one(dead.name)
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
    run_echoed(
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
            **lock_store_env("", "faq"),
        },
    )  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.devstack", description=__doc__)
    parser.add_argument("command", choices=["run", "train", "model-path", "rasa-test"])
    args = parser.parse_args(argv)
    if args.command == "train":
        train_if_needed()
        return 0
    if args.command == "model-path":
        print(model_path())
        return 0
    if args.command == "rasa-test":
        return cmd_rasa_test()
    return cmd_run()


if __name__ == "__main__":
    sys.exit(main())
