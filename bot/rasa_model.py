"""The Rasa model: the .venv-rasa environment, its quiet settings, and training on demand.

Rasa Open Source runs in its own environment (.venv-rasa, Python 3.10). A model is named after
a hash of everything it is trained from (`models/rasa/<fingerprint>.tar.gz`), so it is trained
again only when its inputs change. Used by the console's retraining and the dev stack.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from bot.settings import ROOT, get_settings

RASA_VENV = ROOT / ".venv-rasa"
APP_VENV = ROOT / ".venv"
RASA_INPUTS = ("config.yml", "domain.yml", "data/rules.yml", "data/nlu")
"""What a model is trained from, relative to the Rasa project (`FAQ_RASA_PROJECT_DIR`)."""
RASA_DATA = ("data/nlu", "data/rules.yml")
QUIET_RASA = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
"""Rasa reports telemetry and errors to the internet unless told not to; we never let it."""


def models_dir() -> Path:
    """Where trained models are kept (`FAQ_MODELS_DIR`/rasa)."""
    return get_settings().models_dir / "rasa"


def rasa_fingerprint() -> str:
    """A hash of everything the Rasa model is trained from."""
    project = get_settings().rasa_project_dir
    digest = hashlib.sha256()
    for name in RASA_INPUTS:
        path = project / name
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for f in files:
            digest.update(str(f.relative_to(project)).encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    """Where the model for the current inputs is (or will be once trained)."""
    return models_dir() / f"{rasa_fingerprint()}.tar.gz"


def validate_command(project: Path) -> list[str]:
    """`rasa data validate` of a Rasa project's domain and training data."""
    return [
        str(RASA_VENV / "bin" / "rasa"), "data", "validate",
        "--domain", str(project / "domain.yml"),
        "--data", *(str(project / name) for name in RASA_DATA),
    ]  # fmt: skip


def train_command(project: Path, out: Path, name: str) -> list[str]:
    """`rasa train` of a Rasa project into `out/<name>.tar.gz`."""
    return [
        str(RASA_VENV / "bin" / "rasa"), "train",
        "--config", str(project / "config.yml"),
        "--domain", str(project / "domain.yml"),
        "--data", *(str(project / name) for name in RASA_DATA),
        "--out", str(out),
        "--fixed-model-name", name,
    ]  # fmt: skip


def run_echoed(cmd: list[str], **kwargs: object) -> None:
    """Run a command in the checkout, echoing it; raise if it fails."""
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True, **kwargs)  # type: ignore[call-overload]


def prepare_rasa_data() -> None:
    """Validate the knowledge base and write the NLU examples generated from it."""
    run_echoed([str(APP_VENV / "bin" / "faq"), "validate"])
    run_echoed([str(APP_VENV / "bin" / "faq"), "rasa-data"])


def train_if_needed() -> Path:
    """The trained model for the current inputs, training it only if it does not exist."""
    prepare_rasa_data()
    fingerprint = rasa_fingerprint()
    model = model_path()
    if model.exists():
        print(f"Rasa model up to date: {model}", flush=True)
        return model
    model.parent.mkdir(parents=True, exist_ok=True)
    project = get_settings().rasa_project_dir
    run_echoed(train_command(project, model.parent, fingerprint), env={**os.environ, **QUIET_RASA})
    return model
