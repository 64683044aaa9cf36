"""Search logic on the real knowledge base with a fake encoder (the real model: test_quality)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.kb import load_kb
from bot.search.config import SearchConfig, Thresholds
from bot.search.index import SearchIndex
from bot.search.searcher import Decision, Searcher, clarify_choices, decide_arrays
from bot.settings import ROOT
from tests.fakes import FakeEncoder


def _build(encoder, config=None):
    config = config or SearchConfig.load(ROOT / "data" / "search.yml")
    kb = load_kb(ROOT / "data" / "kb")
    return kb, Searcher(SearchIndex.build(kb, encoder, config), encoder, config)


@pytest.fixture(scope="module")
def built():
    return _build(FakeEncoder())


def test_a_phrasing_finds_its_own_entry(built):
    kb, searcher = built
    entry = kb.get("card.fees")
    result = searcher.search(entry.texts["uk"].phrasings[0])
    assert result.best.id == "card.fees"
    assert result.decision is Decision.ANSWER


def test_polish_term_in_cyrillic_finds_the_polish_entry(built):
    _, searcher = built
    assert searcher.search("карта побиту скільки коштує").best.id == "card.fees"


def test_out_of_scope_is_refused(built):
    _, searcher = built
    result = searcher.search("Jaka będzie jutro pogoda w Krakowie?")
    assert result.decision is Decision.NO_MATCH


def test_results_are_best_first_and_batch_matches_single(built):
    _, searcher = built
    questions = ["zgubiłem kartę pobytu", "how do I appeal a refusal"]
    batch = searcher.search_many(questions)
    for question, result in zip(questions, batch, strict=True):
        scores = [c.score for c in result.candidates]
        assert scores == sorted(scores, reverse=True)
        assert searcher.search(question).candidates[0].id == result.candidates[0].id


def test_decision_rules():
    t = Thresholds(answer=0.6, clarify=0.4, margin=0.1, none=0.5)
    top = np.array([0.9, 0.9, 0.65, 0.3, 0.9])
    second = np.array([0.2, 0.85, 0.6, 0.1, 0.1])
    none = np.array([0.0, 0.0, 0.0, 0.0, 0.7])
    assert list(decide_arrays(top, second, none, t)) == [0, 1, 1, 2, 2]


def test_clarify_offers_only_close_candidates(built):
    _, searcher = built
    result = searcher.search("opłata")
    choices = clarify_choices(result, searcher.config)
    assert 1 <= len(choices) <= searcher.config.max_candidates
    best = result.candidates[0].score
    assert all(best - c.score <= searcher.config.thresholds.window for c in choices)


def test_index_round_trips_through_disk(tmp_path, built):
    kb, searcher = built
    path = searcher.index.save(tmp_path / "idx")
    loaded = SearchIndex.load(path)
    assert loaded is not None and loaded.kb_hash == kb.content_hash()
    again = Searcher(loaded, searcher.encoder, searcher.config)
    assert again.search("zgubiłem kartę pobytu").best.id == "card.loss"


def test_search_with_and_without_lemmas():
    """The lemma view is one more signal when switched on, and absent otherwise."""
    from dataclasses import replace

    base = SearchConfig.load(ROOT / "data" / "search.yml")
    encoder = FakeEncoder()
    _, plain = _build(encoder, replace(base, lemmas=False))
    _, lemmas = _build(encoder, replace(base, lemmas=True))
    question = "що робити якщо загубив kartę pobytu"
    assert "lemma" not in plain.search(question).best.signals
    result = lemmas.search(question)
    assert result.best.id == "card.loss"
    assert result.best.signals["lemma"] > 0.3
