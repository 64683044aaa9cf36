"""Synthetic knowledge bases made from the real one."""

from __future__ import annotations

import numpy as np
import pytest

from bot.kb import load_kb
from bot.settings import ROOT
from tools.bench.synthetic import SEPARATOR, Pool, synthesize


@pytest.fixture(scope="module")
def pool():
    return Pool.from_kb(load_kb(ROOT / "data" / "kb"))


def test_entries_are_distinct_and_grouped(pool):
    kb = synthesize(pool, 500)
    assert kb.n_entries == 500
    assert len(kb.doc_entry) == 500 * 4  # one document per language
    assert (np.diff(kb.doc_entry) >= 0).all()
    keys = {tuple(kb.parts[kb.doc_entry == e].ravel()) for e in range(kb.n_entries)}
    assert len(keys) == 500


def test_a_document_joins_two_different_entries_in_one_language(pool):
    kb = synthesize(pool, 200, seed=3)
    a, b = kb.parts[:, 0], kb.parts[:, 1]
    assert (pool.entry[a] != pool.entry[b]).all()
    assert (pool.lang[a] == pool.lang[b]).all()
    # An entry's documents share its two real entries, one per language.
    for e in range(20):
        docs = kb.parts[kb.doc_entry == e]
        assert len(set(pool.entry[docs[:, 0]])) == 1
        assert sorted(pool.lang[docs[:, 0]]) == [0, 1, 2, 3]
    text = kb.texts(pool)[0]
    assert text == pool.texts[a[0]] + SEPARATOR + pool.texts[b[0]]


def test_vectors_are_unit_sums_of_the_parts(pool):
    kb = synthesize(pool, 50)
    rng = np.random.default_rng(0)
    pool_vectors = rng.normal(size=(len(pool.texts), 8)).astype(np.float32)
    vectors = kb.vectors(pool_vectors)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    expected = pool_vectors[kb.parts[0, 0]] + pool_vectors[kb.parts[0, 1]]
    np.testing.assert_allclose(vectors[0], expected / np.linalg.norm(expected), rtol=1e-5)


def test_the_same_seed_gives_the_same_knowledge_base(pool):
    np.testing.assert_array_equal(synthesize(pool, 100).parts, synthesize(pool, 100).parts)


def test_a_tiny_pool_cannot_make_many_entries():
    tiny = Pool(
        texts=["a", "b", "c", "d"], entry=np.array([0, 0, 1, 1]), lang=np.array([0, 0, 0, 0])
    )
    with pytest.raises(ValueError):
        synthesize(tiny, 100)
