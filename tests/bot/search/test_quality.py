"""Search quality with the real default model on the dev and held-out sets, against the bars
in `bot.search.evaluate.BARS`."""

from __future__ import annotations

import pytest

from bot.kb import LANGUAGES
from bot.search.evaluate import BARS, Evaluation, read_questions
from bot.search.service import SearchService
from bot.settings import ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def real_service(tmp_path_factory):
    from bot.settings import Settings

    settings = Settings(models_dir=tmp_path_factory.mktemp("models"))
    service = SearchService(settings)
    service.warm_up()
    return service


@pytest.mark.parametrize("name", sorted(BARS))
def test_quality_bars(real_service, name):
    bars = BARS[name]
    evaluation = Evaluation(real_service.searcher, read_questions(ROOT / "tests" / "eval" / name))
    realistic = bars.nearmiss_handled is not None
    for lang in LANGUAGES:
        m = evaluation.metrics(real_service.config, lang)
        if realistic:
            assert m.n_near >= 5 and m.n_in >= 15, (lang, m)
        else:
            assert m.n_in >= 60 and m.n_out >= 20, (lang, m)
    if realistic:
        overall = evaluation.metrics(real_service.config)
        assert overall.n_near >= 0.25 * (overall.n_in + overall.n_out)
    assert bars.shortfalls(evaluation, real_service.config) == []


def test_cross_lingual_a_ukrainian_question_finds_entries_through_other_languages(tmp_path):
    """With only Polish and English texts left, Ukrainian and Russian questions still match."""
    from dataclasses import replace

    from bot.kb import load_kb
    from bot.search.config import SearchConfig
    from bot.search.encoders import UseEncoder
    from bot.search.index import SearchIndex
    from bot.search.searcher import Searcher

    kb = load_kb(ROOT / "data" / "kb")
    only_pl_en = replace(
        kb,
        entries=tuple(
            replace(e, texts={k: v for k, v in e.texts.items() if k in ("pl", "en")})
            for e in kb.entries
        ),
        negatives={k: v for k, v in kb.negatives.items() if k in ("pl", "en")},
    )
    config = SearchConfig.load(ROOT / "data" / "search.yml")
    encoder = UseEncoder()
    searcher = Searcher(SearchIndex.build(only_pl_en, encoder, config), encoder, config)
    assert searcher.search("скільки коштує карта побиту?").best.id == "card.fees"
    assert searcher.search("как подать ponaglenie если дело долго рассматривают").best.id == (
        "proc.inaction"
    )
    assert searcher.search("втратив карту побиту, що робити").best.id == "card.loss"
