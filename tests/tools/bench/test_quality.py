"""The benchmark's method-independent scoring and its no_match cut-off."""

from __future__ import annotations

import numpy as np

from bot.search.evaluate import Question
from tools.bench.quality import Outcome, calibrate_cutoff, per_language, ranks_from_rankings


def test_ranks_from_rankings():
    ranks = ranks_from_rankings([["a", "b"], ["b", "a"], ["c"], ["a"]], ["a", "a", "a", None])
    assert list(ranks[:2]) == [1, 2]
    assert np.isinf(ranks[2]) and np.isinf(ranks[3])


def test_the_cutoff_separates_confident_answers_from_out_of_scope_questions():
    # In scope: confident (0.8-0.9) and right; out of scope: low scores (0.1-0.3).
    best = np.array([0.9, 0.85, 0.8, 0.3, 0.2, 0.1])
    ranks = np.array([1, 1, 1, np.inf, np.inf, np.inf])
    in_scope = np.array([True, True, True, False, False, False])
    cut = calibrate_cutoff(best, ranks, np.zeros(6, bool), in_scope, np.array(["pl"] * 6))
    assert 0.3 < cut <= 0.8


def test_forced_refusals_count_whatever_the_cutoff():
    best = np.array([0.9, 0.9])
    ranks = np.array([1, np.inf])
    in_scope = np.array([True, False])
    forced = np.array([False, True])
    cut = calibrate_cutoff(best, ranks, forced, in_scope, np.array(["en", "en"]))
    assert cut <= 0.9  # nothing to gain from refusing the right answer


def test_metrics_per_language_and_overall():
    questions = [
        Question("a", "pl", "x"),
        Question("b", "pl", None),
        Question("c", "en", "y"),
        Question("d", "en", "y"),
    ]
    outcome = Outcome(np.array([1, np.inf, 2, 1]), np.array([False, True, False, False]))
    metrics = per_language(outcome, questions)
    assert metrics["pl"]["top1"] == 1.0 and metrics["pl"]["no_match_recall"] == 1.0
    assert metrics["en"]["top1"] == 0.5
    assert metrics["all"]["n_in"] == 3 and metrics["all"]["top1"] == 2 / 3
    assert metrics["uk"]["n_in"] == 0
