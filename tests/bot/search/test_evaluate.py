"""The shared scoring code: ranks and metrics from any method's outcomes."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from bot.kb.model import LANGUAGES
from bot.search.evaluate import Bars, Metrics, Question, misses, ranks_from_scores, score
from bot.search.searcher import Decision


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


class _Outcomes:
    """An evaluation stand-in: fixed metrics per language, or fixed fused scores and decisions
    over three entries."""

    def __init__(self, by_lang=None, fused=None, decisions=None, questions=()):
        self.by_lang = by_lang or {}
        self.fused, self._decisions, self.questions = fused, decisions, list(questions)
        self.searcher = SimpleNamespace(index=SimpleNamespace(entry_ids=["a", "b", "redirect"]))

    def metrics(self, config, lang=None):
        return self.by_lang[lang]

    def decisions(self, config):
        return self.fused, np.array(self._decisions, dtype=object)


def _metrics(top1=1.0, recall=1.0, wrong=0.0, near=1.0):
    return Metrics(
        n_in=10, n_out=5, top1=top1, top3=1.0, mrr=1.0, no_match_precision=1.0,
        no_match_recall=recall, false_refusals=0.0, confidently_wrong=wrong, n_near=5,
        nearmiss_handled=near,
    )  # fmt: skip


def test_bars_name_each_language_and_overall_figure_that_falls_short():
    bars = Bars(top1=0.95, no_match_recall=0.85, nearmiss_handled=0.85, confidently_wrong=0.02)
    by_lang = {lang: _metrics() for lang in LANGUAGES}
    by_lang["uk"] = _metrics(top1=0.94)
    by_lang["ru"] = _metrics(recall=0.80)
    by_lang[None] = _metrics(wrong=0.03, near=0.84)
    assert bars.shortfalls(_Outcomes(by_lang), config=None) == [
        "uk: top-1 0.940 < 0.95",
        "ru: no_match recall 0.800 < 0.85",
        "all: near-miss handled 0.840 < 0.85",
        "all: confidently wrong 0.030 > 0.02",
    ]
    by_lang = {lang: _metrics(top1=0.95, recall=0.85) for lang in (*LANGUAGES, None)}
    assert bars.shortfalls(_Outcomes(by_lang), config=None) == []


def test_misses_list_wrong_answers_unrefused_out_of_scope_and_unhandled_near_misses():
    questions = [
        Question("right", "pl", "a"),
        Question("wrong entry", "en", "a"),
        Question("refused in scope", "uk", "b"),
        Question("weather", "ru", None),
        Question("weather refused", "ru", None),
        Question("licence redirected", "pl", "redirect", nearmiss=True),
        Question("licence offered", "pl", "redirect", nearmiss=True),
        Question("tuition refused", "en", None, nearmiss=True),
    ]
    best = [0, 1, 1, 0, 0, 2, 2, 0]
    fused = np.eye(3)[best]
    decisions = [
        Decision.ANSWER, Decision.ANSWER, Decision.NO_MATCH, Decision.CLARIFY,
        Decision.NO_MATCH, Decision.ANSWER, Decision.CLARIFY, Decision.NO_MATCH,
    ]  # fmt: skip
    lines = misses(_Outcomes(fused=fused, decisions=decisions, questions=questions), config=None)
    assert [line.split(" ", 1)[0] + " " + line.rsplit(") ", 1)[1] for line in lines] == [
        "en wrong entry", "uk refused in scope", "ru weather", "pl licence offered",
    ]  # fmt: skip
    assert lines[0].split() == ["en", "answer", "b", "(a)", "wrong", "entry"]
