"""The shared scoring code: ranks and metrics from any method's outcomes."""

from __future__ import annotations

import numpy as np
import pytest

from bot.search.evaluate import ranks_from_scores, score


def test_ranks_count_entries_scored_above_the_expected_one():
    scores = np.array([[0.1, 0.9, 0.5], [0.8, 0.2, 0.3], [0.4, 0.4, 0.1]])
    ranks = ranks_from_scores(scores, np.array([1, 2, -1]))
    assert ranks[0] == 1 and ranks[1] == 2 and np.isinf(ranks[2])


def test_metrics_from_outcomes():
    ranks = np.array([1, 2, 5, np.inf, np.inf, np.inf])
    in_scope = np.array([True, True, True, True, False, False])
    refused = np.array([False, False, False, True, True, False])
    m = score(ranks, refused, in_scope)
    assert (m.n_in, m.n_out) == (4, 2)
    assert m.top1 == pytest.approx(1 / 4)
    assert m.top3 == pytest.approx(2 / 4)
    assert m.mrr == pytest.approx((1 + 1 / 2 + 1 / 5 + 0) / 4)
    assert m.no_match_precision == pytest.approx(1 / 2)
    assert m.no_match_recall == pytest.approx(1 / 2)
    assert m.false_refusals == pytest.approx(1 / 4)


def test_confidently_wrong_and_near_miss_handling():
    # in scope: right answer, wrong answer, wrong but only offered; near-misses: a redirect
    # answered, a redirect missed, refused, answered although out of scope.
    ranks = np.array([1, 2, 2, 1, 3, np.inf, np.inf])
    in_scope = np.array([True, True, True, True, True, False, False])
    answered = np.array([True, True, False, True, True, False, True])
    refused = np.array([False, False, False, False, False, True, False])
    nearmiss = np.array([False, False, False, True, True, True, True])
    m = score(ranks, refused, in_scope, answered=answered, nearmiss=nearmiss)
    assert m.confidently_wrong == pytest.approx(2 / 5)
    assert m.n_near == 4
    assert m.nearmiss_handled == pytest.approx(2 / 4)
