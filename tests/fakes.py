"""Fakes for the edges of unit tests (never where a user meets the system)."""

from __future__ import annotations

import hashlib

import numpy as np


class FakeEncoder:
    """Hashes character trigrams into a small vector: deterministic, instant, no model."""

    name = "fake"

    def __init__(self, dim: int = 64):
        self.dim = dim
        self.calls = 0

    def warm_up(self) -> None:
        pass

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            t = f"  {text.lower()}  "
            for i in range(len(t) - 2):
                h = int(hashlib.md5(t[i : i + 3].encode()).hexdigest()[:8], 16)
                out[row, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)
