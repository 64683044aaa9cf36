"""Exact and approximate (FAISS IVF) nearest neighbours, and the switch between them."""

from __future__ import annotations

import numpy as np
import pytest

from bot.kb import load_kb
from bot.search.ann import AnnConfig, VectorIndex, recall_at_k
from bot.search.config import SearchConfig
from bot.search.index import SearchIndex
from bot.search.searcher import Searcher
from bot.settings import ROOT
from tests.fakes import FakeEncoder


def _clustered(n: int, dim: int = 32, centres: int = 20, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centres, dim))
    v = c[rng.integers(centres, size=n)] + 0.3 * rng.normal(size=(n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_exact_search_is_brute_force():
    vectors = _clustered(500)
    queries = _clustered(10, seed=1)
    index = VectorIndex(vectors, AnnConfig(threshold=10_000))
    assert not index.approximate
    scores, ids = index.search(queries, 5)
    sims = queries @ vectors.T
    np.testing.assert_array_equal(ids, np.argsort(-sims, axis=1)[:, :5])
    np.testing.assert_allclose(scores, np.sort(sims, axis=1)[:, ::-1][:, :5], rtol=1e-5)


def test_the_index_turns_approximate_above_the_threshold():
    vectors = _clustered(400)
    assert not VectorIndex(vectors, AnnConfig(threshold=400)).approximate
    assert VectorIndex(vectors, AnnConfig(threshold=399)).approximate


def test_reading_every_cluster_finds_exactly_the_exact_neighbours():
    vectors, queries = _clustered(2000), _clustered(20, seed=2)
    exact = VectorIndex(vectors, AnnConfig(), approximate=False).search(queries, 10)[1]
    full = VectorIndex(vectors, AnnConfig(nlist=16, nprobe=16), approximate=True)
    assert full.nlist == 16
    assert recall_at_k(exact, full.search(queries, 10)[1]) == 1.0


def test_few_clusters_read_trade_recall_for_speed():
    vectors, queries = _clustered(4000, dim=64, centres=200), _clustered(50, 64, 200, seed=3)
    exact = VectorIndex(vectors, AnnConfig(), approximate=False).search(queries, 10)[1]
    one = VectorIndex(vectors, AnnConfig(nlist=60, nprobe=1), approximate=True)
    many = VectorIndex(vectors, AnnConfig(nlist=60, nprobe=20), approximate=True)
    r_one = recall_at_k(exact, one.search(queries, 10)[1])
    r_many = recall_at_k(exact, many.search(queries, 10)[1])
    assert r_one < r_many
    assert r_many > 0.9


def test_approximate_similarities_keep_only_the_nearest_documents():
    vectors, queries = _clustered(1000), _clustered(3, seed=4)
    exact = VectorIndex(vectors, AnnConfig(), approximate=False).similarities(queries)
    approx = VectorIndex(
        vectors, AnnConfig(nlist=10, nprobe=10, k=7), approximate=True
    ).similarities(queries)
    assert approx.shape == exact.shape
    assert ((approx > 0).sum(axis=1) <= 7).all()
    np.testing.assert_array_equal(approx.argmax(axis=1), exact.argmax(axis=1))


def test_recall_counts_shared_neighbours_and_ignores_missing_ones():
    exact = np.array([[1, 2, 3], [4, 5, 6]])
    approx = np.array([[3, 2, 9], [6, -1, -1]])
    assert recall_at_k(exact, approx) == pytest.approx(3 / 6)


def test_search_over_an_approximate_dense_index_finds_the_same_entries():
    """The searcher's switch: with the threshold at 0 the dense signal comes from FAISS."""
    encoder = FakeEncoder()
    config = SearchConfig.load(ROOT / "data" / "search.yml")
    kb = load_kb(ROOT / "data" / "kb")
    index = SearchIndex.build(kb, encoder, config)
    approx_config = SearchConfig(
        **{**config.__dict__, "ann": AnnConfig(threshold=0, nprobe=64, k=200)}
    )
    exact, approx = Searcher(index, encoder, config), Searcher(index, encoder, approx_config)
    assert approx.dense_index.approximate and not exact.dense_index.approximate
    questions = [e.texts["en"].phrasings[1] for e in kb.entries]
    same = [
        a.best.id == b.best.id
        for a, b in zip(exact.search_many(questions), approx.search_many(questions), strict=True)
    ]
    assert np.mean(same) >= 0.95
