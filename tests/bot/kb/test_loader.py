"""The knowledge-base files: the real ones are valid and complete, broken ones are reported."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.kb import LANGUAGES, KnowledgeBaseError, load_kb, validate
from bot.kb.loader import MAX_ANSWER_CHARS, MIN_PHRASINGS
from bot.settings import ROOT

TOPICS = ROOT.parent / "shared" / "domain" / "topics.yml"


def test_the_real_knowledge_base_is_valid():
    kb, problems = validate(ROOT / "data" / "kb")
    assert problems == []
    assert len(kb.entries) >= 41


@pytest.mark.skipif(not TOPICS.exists(), reason="shared/ is not beside this checkout")
def test_every_catalogue_topic_has_an_entry_in_all_languages():
    topics = yaml.safe_load(TOPICS.read_text(encoding="utf-8"))["topics"]
    kb = load_kb(ROOT / "data" / "kb")
    for topic in topics:
        entry = kb.get(topic["id"])
        assert entry is not None, topic["id"]
        for lang in LANGUAGES:
            text = entry.texts[lang]
            assert text.answer and text.title, (topic["id"], lang)
            assert len(text.phrasings) >= MIN_PHRASINGS


def _entry(**overrides: object) -> dict:
    lang = {
        "title": "Opłata za kartę",
        "phrasings": [f"pytanie numer {i}" for i in range(6)],
        "answer": "Karta kosztuje 100 zł. Więcej: https://example.gov.pl/oplaty",
    }
    entry = {
        "id": "card.fees",
        "area": "card",
        "sources": ["https://example.gov.pl/oplaty"],
        "reviewed": "2026-01-10",
    }
    for code in LANGUAGES:
        entry[code] = {**lang, "phrasings": [f"{p} {code}" for p in lang["phrasings"]]}
    entry.update(overrides)
    return entry


def _write(folder: Path, name: str, entries: list[dict]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(
        yaml.safe_dump({"area": path.stem, "entries": entries}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def _messages(folder: Path) -> list[str]:
    _, problems = validate(folder, today=date(2026, 6, 1))
    return [str(p) for p in problems]


def test_a_valid_file_has_no_problems(tmp_path):
    _write(tmp_path, "card.yml", [_entry()])
    assert _messages(tmp_path) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"pl": None}, "missing language `pl`"),
        ({"reviewed": "2027-01-01"}, "is in the future"),
        ({"reviewed": None}, "`reviewed` date is missing"),
        ({"reviewed": "yesterday"}, "must be a date"),
        ({"sources": ["not a url"]}, "malformed URL `not a url`"),
        ({"colour": "red"}, "unknown key `colour`"),
        ({"audience": ["tourist"]}, "`audience` must be"),
        ({"related": ["no.such"]}, "unknown entry `no.such`"),
        ({"id": "Card Fees"}, "`id` must be lowercase"),
    ],
)
def test_entry_problems_are_reported(tmp_path, overrides, expected):
    _write(tmp_path, "card.yml", [_entry(**overrides)])
    messages = _messages(tmp_path)
    assert any(expected in m for m in messages), messages


def test_language_block_problems(tmp_path):
    entry = _entry()
    entry["en"] = {**entry["en"], "answer": "", "phrasings": ["only one"]}
    entry["uk"] = {**entry["uk"], "answer": "x" * (MAX_ANSWER_CHARS + 1)}
    entry["ru"] = {**entry["ru"], "answer": "Без ссылки в конце."}
    _write(tmp_path, "card.yml", [entry])
    messages = "\n".join(_messages(tmp_path))
    assert "en: missing or empty answer" in messages
    assert f"en: too few phrasings (1 < {MIN_PHRASINGS})" in messages
    assert "uk: answer too long" in messages
    assert "ru: answer must end with one of the entry's source URLs" in messages


def test_duplicates_across_entries_and_files(tmp_path):
    _write(tmp_path, "card.yml", [_entry()])
    other = _entry(id="card.loss")
    other["pl"] = {
        **other["pl"],
        "phrasings": ["Pytanie numer 0 PL", *other["pl"]["phrasings"][1:]],
    }
    _write(tmp_path, "card2.yml", [_entry(area="card2"), {**other, "area": "card2"}])
    messages = "\n".join(_messages(tmp_path))
    assert "card.fees: duplicate id" in messages
    assert "duplicated phrasing `Pytanie numer 0 PL` (also in card.fees)" in messages


def test_problems_carry_file_and_line(tmp_path):
    path = tmp_path / "card.yml"
    entry = yaml.safe_dump([_entry(reviewed="2099-01-01")], allow_unicode=True)
    path.write_text("area: card\nentries:\n" + textwrap.indent(entry, "  "), encoding="utf-8")
    problems = validate(tmp_path, today=date(2026, 6, 1))[1]
    assert len(problems) == 1
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "reviewed:" in text)
    assert str(problems[0]) == (
        f"{path}:{line}: card.fees: `reviewed` date 2099-01-01 is in the future"
    )


def test_malformed_yaml_is_reported_not_raised(tmp_path):
    (tmp_path / "card.yml").write_text("area: card\nentries: [\n  - id: x\n", encoding="utf-8")
    messages = _messages(tmp_path)
    assert len(messages) == 1 and "not valid YAML" in messages[0]


def test_deep_nesting_is_a_file_and_line_problem_not_a_crash(tmp_path):
    brackets = 20_000
    path = tmp_path / "card.yml"
    path.write_text("area: card\nentries: " + "[" * brackets + "]" * brackets, encoding="utf-8")
    assert _messages(tmp_path) == [f"{path}:2: -: not valid YAML: nested more than 64 levels deep"]


def test_a_control_character_in_a_text_is_a_problem(tmp_path):
    nul = {**_entry()["pl"], "title": "Opłata\x00za kartę"}
    _write(tmp_path, "card.yml", [_entry(pl=nul)])
    [message] = _messages(tmp_path)
    assert "card.fees: pl: control character U+0000 in the title" in message
    assert message.startswith(f"{tmp_path / 'card.yml'}:")


def test_load_refuses_an_invalid_knowledge_base(tmp_path):
    _write(tmp_path, "card.yml", [_entry(pl=None)])
    with pytest.raises(KnowledgeBaseError) as err:
        load_kb(tmp_path, today=date(2026, 6, 1))
    assert "missing language `pl`" in str(err.value)


def test_an_id_may_be_a_single_word(tmp_path):
    # The topic catalogue names one service plainly `invitation`.
    _write(tmp_path, "visa.yml", [_entry(id="invitation", area="visa")])
    assert _messages(tmp_path) == []


def test_valid_until_is_read_and_may_lie_in_the_past(tmp_path):
    _write(tmp_path, "card.yml", [_entry(valid_until="2026-03-01")])
    kb, problems = validate(tmp_path, today=date(2026, 6, 1))
    assert problems == []
    assert kb.entries[0].valid_until == date(2026, 3, 1)


def test_a_malformed_valid_until_is_reported(tmp_path):
    _write(tmp_path, "card.yml", [_entry(valid_until="end of March")])
    assert any("`valid_until` must be a date" in m for m in _messages(tmp_path))


GLOSSARY = {
    "glossary": [
        {"pl": "pobyt", "en": "stay", "uk": "перебування", "avoid": {"uk": ["побут"]}},
    ]
}


def test_answers_and_titles_must_follow_the_glossary(tmp_path):
    (tmp_path / "glossary.yml").write_text(yaml.safe_dump(GLOSSARY, allow_unicode=True))
    entry = _entry()
    entry["uk"] = {
        **entry["uk"],
        "title": "Дозвіл на побут",
        "answer": "Заява щодо побуту. Більше: https://example.gov.pl/oplaty",
        # Users write what they write: phrasings are not checked.
        "phrasings": [*entry["uk"]["phrasings"][:5], "карта побуту скільки коштує"],
    }
    _write(tmp_path, "card.yml", [entry])
    messages = _messages(tmp_path)
    assert len(messages) == 2, messages
    assert any("uk: `побут` contradicts the glossary" in m for m in messages)
    assert any(
        "uk: `побуту` contradicts the glossary: `pobyt` is `перебування`" in m for m in messages
    )


def test_a_malformed_glossary_is_reported(tmp_path):
    (tmp_path / "glossary.yml").write_text("glossary: {pl: pobyt}\n")
    _write(tmp_path, "card.yml", [_entry()])
    assert any("`glossary` must be a list" in m for m in _messages(tmp_path))
