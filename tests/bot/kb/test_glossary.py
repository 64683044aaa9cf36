"""The glossary's avoided forms: one stem catches its inflections, and only whole words."""

from __future__ import annotations

import pytest

from bot.kb.glossary import GlossaryError, Term, load_glossary, parse_glossary
from bot.settings import ROOT

TERMS = parse_glossary(
    {
        "glossary": [
            {"pl": "karta pobytu", "ru": "вид на жительство", "avoid": {"ru": ["карт побыт"]}},
            {"pl": "urząd", "uk": "управління", "avoid": {"uk": ["уженд"]}},
        ]
    }
)


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        ("ru", "Замена карты побыту стоит 100 злотых", "карты побыту"),
        ("ru", "Карту  побыту забирают лично", "Карту  побыту"),
        ("uk", "Зверніться до уженду", "уженду"),
        ("ru", "Вид на жительство (karta pobytu) забирают лично", None),
        ("uk", "Зверніться до управління", None),
        ("ru", "Уженд", None),  # another language's slang is that language's business
    ],
)
def test_conflicts(lang, text, found):
    conflicts = TERMS.conflicts(lang, text)
    if found is None:
        assert conflicts == []
    else:
        assert len(conflicts) == 1 and f"`{found}`" in str(conflicts[0])


def test_the_project_glossary_loads_and_names_every_language():
    glossary = load_glossary(ROOT / "data" / "kb")
    assert glossary.terms
    for term in glossary.terms:
        assert isinstance(term, Term)
        assert set(term.renderings) == {"en", "uk", "ru"}, term.pl


def test_a_folder_without_a_glossary_has_an_empty_one(tmp_path):
    assert load_glossary(tmp_path).terms == ()


@pytest.mark.parametrize(
    "doc",
    [None, {"glossary": [{"en": "stay"}]}, {"glossary": [{"pl": "pobyt", "avoid": {"xx": []}}]}],
)
def test_malformed_glossaries_are_refused(doc):
    with pytest.raises(GlossaryError):
        parse_glossary(doc)
