"""Retraining the Rasa model from the console, while the running bot keeps answering.

Steps, in a background thread: regenerate the NLU examples from the knowledge base (what
`faq rasa-data` does), `rasa data validate`, `rasa train` into `models/rasa/`, and only if all
of that succeeded, ask the running Rasa server to load the new model (`PUT /model`, which
needs `--enable-api` and the auth token). Any failure leaves the current model serving.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bot.kb.model import KnowledgeBase
from bot.rasa_data import write_question_examples
from bot.rasa_model import QUIET_RASA, train_command, validate_command
from bot.settings import Settings
from bot.translatable import N_

Runner = Callable[[list[str], Path], tuple[int, str]]
"""Runs a command in a folder; returns its exit code and output."""
Loader = Callable[[Path], None]
"""Makes the running Rasa server load a model file; raises on failure."""
LOG_TAIL = 40


def run_command(cmd: list[str], cwd: Path) -> tuple[int, str]:
    """Run a Rasa command at low priority, so that the web app and the bot stay responsive."""
    nice = ["nice", "-n", "10"] if shutil.which("nice") else []
    done = subprocess.run(
        [*nice, *cmd],
        cwd=cwd,
        env={**os.environ, **QUIET_RASA},
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def rasa_loader(settings: Settings) -> Loader:
    """Load a model into every running Rasa server over its HTTP API.

    Each server reads the file itself, so with several machines `models/` must be shared
    storage at the same path. A server that refuses does not stop the others from loading
    it; the error names every server that failed.
    """

    def load(model: Path) -> None:
        failed = []
        for url in settings.rasa_server_urls:
            try:
                response = httpx.put(
                    f"{url}/model",
                    params={"token": settings.rasa_auth_token},
                    json={"model_file": str(model.resolve())},
                    timeout=900,
                )
            except httpx.HTTPError as exc:
                failed.append(f"{url}: {type(exc).__name__}")
                continue
            if response.status_code not in (200, 204):
                failed.append(f"{url}: {response.status_code} {response.text[:200]}")
        if failed:
            raise RuntimeError("Rasa refused the model: " + "; ".join(failed))

    return load


STATES = (N_("idle"), N_("running"), N_("done"), N_("failed"))
"""What a retraining can be doing; steps and messages below are marked for the consoles'
catalogue too, and the console translates them when it shows the status."""


@dataclass(frozen=True)
class Status:
    state: str = "idle"
    """idle | running | done | failed (the console shows them translated: `STATES`)"""
    step: str = ""
    message: str = ""
    started_by: str = ""
    started_at: datetime | None = None
    finished_at: datetime | None = None
    model: str = ""
    log: tuple[str, ...] = field(default_factory=tuple)


class Retrainer:
    """One retraining at a time for the process; its status is what the console shows."""

    def __init__(self, settings: Settings, run: Runner = run_command, load: Loader | None = None):
        self.settings = settings
        self.run = run
        self.load = load or rasa_loader(settings)
        self.status = Status()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, kb: KnowledgeBase, username: str) -> bool:
        """Start retraining in the background; False if one is already running."""
        with self._lock:
            if self.status.state == "running":
                return False
            self.status = Status("running", N_("starting"), "", username, datetime.now(UTC))
            self._thread = threading.Thread(target=self._work, args=(kb,), daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> Status:
        """The status once the current run ended (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status

    def _step(self, step: str, message: str = "", log: str = "") -> None:
        tail = tuple(log.splitlines()[-LOG_TAIL:]) if log else self.status.log
        self.status = replace(self.status, step=step, message=message, log=tail)

    def _finish(self, state: str, message: str, model: str = "") -> None:
        self.status = replace(
            self.status, state=state, message=message, model=model, finished_at=datetime.now(UTC)
        )

    def _work(self, kb: KnowledgeBase) -> None:
        project = self.settings.rasa_project_dir
        try:
            self._step(N_("generating NLU examples from the knowledge base"))
            write_question_examples(kb, self.settings.nlu_dir)
            self._step("rasa data validate")
            code, out = self.run(validate_command(project), project)
            if code != 0:
                self._step("rasa data validate", log=out)
                self._finish("failed", N_("the training data is invalid; the current model stays"))
                return
            self._step(N_("rasa train (minutes)"), log=out)
            out_dir = self.settings.models_dir / "rasa"
            name = "console-" + datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            code, out = self.run(train_command(project, out_dir, name), project)
            model = out_dir / f"{name}.tar.gz"
            if code != 0 or not model.exists():
                self._step("rasa train", log=out)
                self._finish("failed", N_("training failed; the current model stays"))
                return
            self._step(N_("loading the new model into the running bot"), log=out)
            self.load(model)
        except Exception as exc:  # reported in the console; the bot keeps its model
            self._finish("failed", f"{type(exc).__name__}: {exc}")
            return
        self._finish("done", N_("the new model is live"), str(model))
