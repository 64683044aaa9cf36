"""Lemmas from the offline spaCy pipelines: inflected forms → lemma, per language."""

from __future__ import annotations

import sys

import pytest

from bot.lemmas import Lemmatizer, MissingLemmatizerError, build_pipeline


@pytest.fixture(scope="module")
def lemmatizer() -> Lemmatizer:
    lemmatizer = Lemmatizer()
    lemmatizer.warm_up()
    return lemmatizer


@pytest.mark.parametrize(
    ("lang", "word", "lemma"),
    [
        ("pl", "kartę", "karta"),
        ("pl", "karty", "karta"),
        ("pl", "kartą", "karta"),
        ("pl", "pobytu", "pobyt"),
        ("pl", "wniosku", "wniosek"),
        ("pl", "zezwolenia", "zezwolenie"),
        ("pl", "urzędzie", "urząd"),
        ("pl", "zgubiłam", "zgubić"),
        ("uk", "карту", "карта"),
        ("uk", "картою", "карта"),
        ("uk", "карти", "карта"),
        ("uk", "дозволу", "дозвіл"),
        ("uk", "втратив", "втратити"),
        ("ru", "картой", "карта"),
        ("ru", "карты", "карта"),
        ("ru", "разрешения", "разрешение"),
        ("ru", "потерял", "потерять"),
        ("ru", "заявления", "заявление"),
        ("en", "permits", "permit"),
        ("en", "applications", "application"),
        ("en", "fees", "fee"),
        ("en", "children", "child"),
    ],
)
def test_inflected_forms_give_their_lemma(lemmatizer, lang, word, lemma):
    assert lemmatizer.lemma(word, lang) == lemma


def test_a_polish_term_inside_a_ukrainian_question_is_lemmatised_as_polish(lemmatizer):
    lemmas = lemmatizer.lemmas("що робити якщо загубив kartę pobytu?")
    assert {"karta", "pobyt"} <= set(lemmas)
    assert "zagubyty" in lemmas  # загубити, folded to Latin letters


def test_cyrillic_polish_terms_meet_their_latin_originals(lemmatizer):
    assert "pobyt" in lemmatizer.lemmas("потерял карту побыту")
    assert set(lemmatizer.lemmas("kartą pobytu")) == set(lemmatizer.lemmas("karty pobytu"))


def test_a_missing_package_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymorphy3", None)  # what an uninstalled package looks like
    with pytest.raises(MissingLemmatizerError, match="'pymorphy3'"):
        build_pipeline("uk")
