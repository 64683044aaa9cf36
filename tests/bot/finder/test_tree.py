"""The permit finder's tree: the real one is valid, and every kind of mistake is reported."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from bot.finder import MAX_QUESTIONS, choose, match_option, validate_tree, walk
from bot.finder.tree import check_tree, parse_tree
from bot.kb.loader import load_kb
from bot.settings import ROOT

TREE = ROOT / "data" / "finder.yml"


@pytest.fixture(scope="module")
def kb_ids() -> list[str]:
    return load_kb(ROOT / "data" / "kb").ids


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load(TREE.read_text(encoding="utf-8"))


def problems_of(doc: dict, kb_ids: list[str]) -> list[str]:
    tree, problems = parse_tree(doc)
    return [str(p) for p in problems + check_tree(tree, kb_ids)]


def all_paths(tree, answers=()):
    step = walk(tree, answers)
    if step.done:
        yield step
        return
    for option in step.question.options:
        yield from all_paths(tree, (*answers, option.id))


def test_the_real_tree_is_valid_and_every_path_ends_in_entries(kb_ids):
    tree, problems = validate_tree(TREE, kb_ids)
    assert problems == []
    results = list(all_paths(tree))
    assert len(results) >= 12
    for step in results:
        assert step.result and set(step.result) <= set(kb_ids)
        assert len(step.answers) <= MAX_QUESTIONS


def test_unknown_entry_missing_translation_and_dangling_link_are_reported(doc, kb_ids):
    broken = copy.deepcopy(doc)
    purpose = broken["questions"]["purpose"]
    purpose["options"][2]["result"] = ["no.such.entry"]
    del purpose["text"]["uk"]
    purpose["options"][0]["next"] = "nowhere"
    problems = "\n".join(problems_of(broken, kb_ids))
    assert "no knowledge-base entry 'no.such.entry'" in problems
    assert "finder: question purpose, its text: missing the uk text" in problems
    assert "the next question 'nowhere' does not exist" in problems


def test_unreachable_questions_loops_and_long_paths_are_reported(doc, kb_ids):
    broken = copy.deepcopy(doc)
    broken["questions"]["orphan"] = copy.deepcopy(broken["questions"]["years"])
    assert "finder: question orphan: not reachable from 'purpose'" in problems_of(broken, kb_ids)

    looping = copy.deepcopy(doc)
    looping["questions"]["years"]["options"][0] = {
        **looping["questions"]["years"]["options"][0],
        "result": None,
        "next": "purpose",
    }
    assert any("loops back" in p for p in problems_of(looping, kb_ids))

    chain = copy.deepcopy(doc)
    template = chain["questions"]["years"]
    names = [f"q{i}" for i in range(MAX_QUESTIONS)]
    chain["questions"]["purpose"]["options"][2] = {
        **chain["questions"]["purpose"]["options"][2],
        "result": None,
        "next": names[0],
    }
    for name, following in zip(names, [*names[1:], None], strict=True):
        question = copy.deepcopy(template)
        if following:
            question["options"][0] = {**question["options"][0], "result": None, "next": following}
        chain["questions"][name] = question
    assert any(f"more than {MAX_QUESTIONS}" in p for p in problems_of(chain, kb_ids))


def test_an_option_needs_exactly_one_of_next_and_result(doc, kb_ids):
    broken = copy.deepcopy(doc)
    broken["questions"]["years"]["options"][0]["next"] = "purpose"
    assert any("either `next`" in p for p in problems_of(broken, kb_ids))


def test_walk_stops_at_an_unknown_answer_and_choose_changes_an_earlier_answer(kb_ids):
    tree, _ = validate_tree(TREE, kb_ids)
    step = walk(tree, ["work", "bogus", "employer"])
    assert step.answers == ("work",) and step.question.id == "work_citizenship"

    step = choose(tree, ["work", "other"], "work_kind", "company")
    assert step.done and step.result[0] == "trp.business"
    # An old button of the first question restarts from there.
    step = choose(tree, ["work", "other"], "purpose", "study")
    assert step.answers == ("study",) and step.question.id == "study_where"
    # A button of a question that is not on the path changes nothing.
    step = choose(tree, ["work"], "years", "under_five")
    assert step.answers == ("work",)


@pytest.mark.parametrize(
    ("question", "text", "option"),
    [
        ("purpose", "chcę tu pracować", "work"),
        ("purpose", "I want to STUDY", "study"),
        ("purpose", "навчання в університеті", "study"),
        ("purpose", "работа", "work"),
        ("purpose", "zakladam firme", "business"),
        ("work_status", "mam karte pobytu", "card"),
        ("blue_card_where", "я в Польщі", "poland"),
        ("years", "более 5 лет", "five_or_more"),
        ("purpose", "how much is the fee?", None),
        ("purpose", "work or study", None),
    ],
)
def test_free_text_names_one_option_or_none(kb_ids, question, text, option):
    tree, _ = validate_tree(TREE, kb_ids)
    matched = match_option(tree.questions[question], text)
    assert (matched.id if matched else None) == option


def test_an_unreadable_file_is_a_problem(tmp_path: Path):
    path = tmp_path / "finder.yml"
    path.write_text("questions: [", encoding="utf-8")
    _, problems = validate_tree(path, [])
    assert problems and str(problems[0]).startswith("finder: finder.yml: cannot be read: ")


def test_problems_are_shown_in_the_consoles_language(doc, kb_ids):
    from bot.web.i18n import translations

    broken = copy.deepcopy(doc)
    del broken["questions"]["purpose"]["options"][0]["label"]["ru"]
    tree, problems = parse_tree(broken)
    polish = [p.translated(translations("pl").gettext) for p in problems]
    assert polish == [
        f"pytanie purpose, opcja {tree.questions['purpose'].options[0].id}, "
        "jej etykieta: brak tekstu ru"
    ]
