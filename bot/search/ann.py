"""Nearest neighbours among unit vectors: exact below a size threshold, FAISS IVF above it.

A knowledge base of a few hundred entries has a few thousand phrasings, and one matrix product
scores them all in well under a millisecond. Tens of thousands of entries have hundreds of
thousands of phrasings, and reading all their vectors for every query costs tens of
milliseconds; an inverted-file index (FAISS `IndexIVFFlat`) reads only the `nprobe` clusters
nearest to the query, at the price of sometimes missing a neighbour. `recall_at_k` measures
that price against exact search.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class AnnConfig:
    """When and how the dense signal uses an approximate index."""

    threshold: int = 50_000
    """Documents (vectors) above which search is approximate; exact at or below it."""
    nlist: int = 0
    """Clusters of the inverted file; 0 picks about √documents."""
    nprobe: int = 32
    """Clusters read per query: more is slower and closer to exact."""
    k: int = 100
    """Nearest documents retrieved per query; the others score 0."""


def _clusters(n: int, requested: int) -> int:
    if requested > 0:
        return min(requested, n)
    # √n clusters keep k-means cheap on 2 cores; FAISS wants at least 39 points per cluster.
    return max(1, min(n // 39, int(math.sqrt(n))))


class VectorIndex:
    """Inner-product search over L2-normalised float32 vectors.

    Args:
        vectors: shape (documents, dim), rows of unit length.
        config: the size threshold and the IVF parameters.
        approximate: force the choice (benchmarks compare both); None follows the threshold.
    """

    def __init__(
        self, vectors: np.ndarray, config: AnnConfig, approximate: bool | None = None
    ) -> None:
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.config = config
        n = len(self.vectors)
        self.approximate = n > config.threshold if approximate is None else approximate
        self._ivf: Any = None
        if self.approximate and n:
            import faiss  # imported only when needed: small knowledge bases never load it

            dim = self.vectors.shape[1]
            quantizer = faiss.IndexFlatIP(dim)
            nlist = _clusters(n, config.nlist)
            ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            # k-means on a bounded sample keeps the build linear in the number of documents.
            rng = np.random.default_rng(0)
            sample = self.vectors[rng.choice(n, size=min(n, nlist * 40), replace=False)]
            ivf.train(sample)
            ivf.add(self.vectors)
            ivf.nprobe = min(config.nprobe, nlist)
            self._ivf = ivf

    @property
    def nlist(self) -> int:
        """Clusters of the inverted file (0 for exact search)."""
        return int(self._ivf.nlist) if self._ivf is not None else 0

    @property
    def nprobe(self) -> int:
        """Clusters read per query (0 for exact search)."""
        return int(self._ivf.nprobe) if self._ivf is not None else 0

    def __len__(self) -> int:
        return len(self.vectors)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` most similar documents of each query, best first.

        Returns:
            (scores, ids), each of shape (queries, k); missing neighbours have id -1.
        """
        q = np.ascontiguousarray(queries, dtype=np.float32)
        k = min(k, len(self.vectors))
        if self._ivf is not None:
            scores, ids = self._ivf.search(q, k)
            return scores, ids
        sims = q @ self.vectors.T
        ids = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        part = np.take_along_axis(sims, ids, axis=1)
        order = np.argsort(-part, axis=1)
        return np.take_along_axis(part, order, axis=1), np.take_along_axis(ids, order, axis=1)

    def similarities(self, queries: np.ndarray) -> np.ndarray:
        """Similarity of every query to every document; approximate search leaves all but the
        `config.k` nearest documents at 0."""
        q = np.asarray(queries, dtype=np.float32)
        if self._ivf is None:
            return q @ self.vectors.T
        scores, ids = self.search(q, self.config.k)
        out = np.zeros((len(q), len(self.vectors)), dtype=np.float32)
        rows = np.repeat(np.arange(len(q)), ids.shape[1])
        valid = ids.ravel() >= 0
        out[rows[valid], ids.ravel()[valid]] = np.maximum(scores.ravel()[valid], 0.0)
        return out


def recall_at_k(exact_ids: np.ndarray, approx_ids: np.ndarray) -> float:
    """Share of the exact top-k neighbours that the approximate search also returned."""
    hits = sum(
        len(set(e[e >= 0]) & set(a[a >= 0])) for e, a in zip(exact_ids, approx_ids, strict=True)
    )
    total = sum(int((e >= 0).sum()) for e in exact_ids)
    return hits / total if total else 1.0
