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

from bot.settings import ROOT

RASA_VENV = ROOT / ".venv-rasa"
APP_VENV = ROOT / ".venv"
RASA_MODELS = ROOT / "models" / "rasa"
RASA_INPUTS = ("config.yml", "domain.yml", "data/rules.yml", "data/nlu")
RASA_DATA_ARGS = ["data/nlu", "data/rules.yml"]
QUIET_RASA = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
"""Rasa reports telemetry and errors to the internet unless told not to; we never let it."""


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


def model_path() -> Path:
    """Where the model for the current inputs is (or will be once trained)."""
    return RASA_MODELS / f"{rasa_fingerprint()}.tar.gz"


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
    model = RASA_MODELS / f"{fingerprint}.tar.gz"
    if model.exists():
        print(f"Rasa model up to date: {model.relative_to(ROOT)}", flush=True)
        return model
    RASA_MODELS.mkdir(parents=True, exist_ok=True)
    run_echoed(
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
