"""BM25: the lexical baseline of the benchmarks and of very large knowledge bases."""

from __future__ import annotations

import numpy as np
import pytest

from bot.search.bm25 import BM25

DOCS = [
    "ile kosztuje karta pobytu",  # group 0
    "oplata za karte pobytu",  # group 0
    "jak odwolac sie od decyzji",  # group 1
    "termin na odwolanie od decyzji",  # group 1
    "praca dla studenta",  # group 2
]
GROUPS = [0, 0, 1, 1, 2]


def test_the_group_sharing_the_query_words_ranks_first():
    scores = BM25(DOCS, GROUPS).scores(["odwolanie od decyzji", "karta pobytu oplata"])
    assert scores.shape == (2, 3)
    assert scores[0].argmax() == 1
    assert scores[1].argmax() == 0


def test_a_group_scores_as_its_best_document():
    queries = ["termin odwolania", "karta pobytu"]
    per_doc = BM25(DOCS, list(range(len(DOCS)))).scores(queries)
    grouped = BM25(DOCS, GROUPS).scores(queries)
    np.testing.assert_allclose(grouped[:, 0], per_doc[:, :2].max(axis=1))
    np.testing.assert_allclose(grouped[:, 1], per_doc[:, 2:4].max(axis=1))


def test_rare_words_weigh_more_than_common_ones():
    docs = ["karta a", "karta b", "karta c", "karta studenta"]
    scores = BM25(docs, [0, 1, 2, 3]).scores(["karta studenta"])[0]
    assert scores.argmax() == 3
    assert scores[3] > 2 * scores[0]


def test_a_repeated_query_word_counts_once():
    bm25 = BM25(DOCS, GROUPS)
    np.testing.assert_allclose(bm25.scores(["pobytu pobytu"]), bm25.scores(["pobytu"]))


def test_unknown_words_score_zero():
    assert not BM25(DOCS, GROUPS).scores(["zzzz qqqq"]).any()


def test_groups_must_be_contiguous():
    with pytest.raises(ValueError):
        BM25(DOCS, [0, 1, 0, 1, 2])
    with pytest.raises(ValueError):
        BM25([], [])
