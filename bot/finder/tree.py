"""The permit finder's decision tree (`data/finder.yml`): model, loading, validation, walking.

A conversation's place in the tree is the list of option ids chosen so far (kept in the Rasa
tracker); walking that list from the start question gives the next question or the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.kb.model import LANGUAGES
from bot.text import fold
from bot.translatable import N_, Translatable

MAX_QUESTIONS = 6
"""No path may ask more than this many questions."""


@dataclass(frozen=True)
class Option:
    id: str
    label: dict[str, str]
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    next: str | None = None
    result: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    text: dict[str, str]
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class FinderTree:
    start: str
    questions: dict[str, Question]


@dataclass(frozen=True)
class Step:
    """Where a list of answers leads: the next question, or the result's entry ids.

    `answers` is the valid prefix of the answers given (an unknown answer ends it).
    """

    answers: tuple[str, ...]
    question: Question | None = None
    result: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        return self.question is None


@dataclass(frozen=True)
class TreeProblem:
    """One thing wrong in the tree: `what`, and `where` (a question, an option, one's text).

    Both are English templates the finder editor shows in the console's language; `faq
    validate` prints them in English.
    """

    what: Translatable
    where: Translatable | None = None

    def translated(self, gettext: Callable[[str], str]) -> str:
        what = self.what.translated(gettext)
        return f"{self.where.translated(gettext)}: {what}" if self.where else what

    def __str__(self) -> str:
        return f"finder: {self.translated(str)}"


def _problem(where: Translatable | None, what: str, **params: object) -> TreeProblem:
    return TreeProblem(Translatable(what, params), where)


def _question(qid: object) -> Translatable:
    return Translatable(N_("question %(question)s"), {"question": qid})


def _question_text(qid: object) -> Translatable:
    return Translatable(N_("question %(question)s, its text"), {"question": qid})


def _option_at(qid: object, option: object) -> Translatable:
    return Translatable(
        N_("question %(question)s, option %(option)s"), {"question": qid, "option": option}
    )


def _option_label(qid: object, option: object) -> Translatable:
    return Translatable(
        N_("question %(question)s, option %(option)s, its label"),
        {"question": qid, "option": option},
    )


class FinderError(Exception):
    """The tree cannot be used; `problems` says why."""

    def __init__(self, problems: list[TreeProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _texts(raw: object, where: Translatable, problems: list[TreeProblem]) -> dict[str, str]:
    if not isinstance(raw, dict):
        languages = ", ".join(LANGUAGES)
        problems.append(_problem(where, N_("expected texts in %(languages)s"), languages=languages))
        return {}
    texts = {str(k): str(v).strip() for k, v in raw.items() if v is not None}
    for lang in LANGUAGES:
        if not texts.get(lang):
            problems.append(_problem(where, N_("missing the %(lang)s text"), lang=lang))
    for lang in texts:
        if lang not in LANGUAGES:
            problems.append(_problem(where, N_("unknown language '%(lang)s'"), lang=lang))
    return texts


def _option(raw: dict[str, Any], qid: str, problems: list[TreeProblem]) -> Option:
    words_raw = raw.get("words") or {}
    words = {
        str(lang): tuple(str(w) for w in (items or []))
        for lang, items in (words_raw.items() if isinstance(words_raw, dict) else [])
    }
    result = tuple(str(r) for r in (raw.get("result") or []))
    nxt = raw.get("next")
    option_id = raw.get("id")
    if bool(nxt) == bool(result):
        what = N_("needs either `next` (a question) or `result` (entry ids)")
        problems.append(_problem(_option_at(qid, option_id), what))
    return Option(
        id=str(option_id or ""),
        label=_texts(raw.get("label"), _option_label(qid, option_id), problems),
        words=words,
        next=str(nxt) if nxt else None,
        result=result,
    )


def parse_tree(doc: object) -> tuple[FinderTree, list[TreeProblem]]:
    """Build the tree from the YAML document; return it with every structural problem."""
    problems: list[TreeProblem] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("questions"), dict):
        what = N_("expected `start` and a `questions` mapping")
        return FinderTree("", {}), [_problem(None, what)]
    questions: dict[str, Question] = {}
    for qid, raw in doc["questions"].items():
        where = _question(qid)
        raw = raw if isinstance(raw, dict) else {}
        options: list[Option] = []
        for n, raw_option in enumerate(raw.get("options") or []):
            if not isinstance(raw_option, dict):
                what = N_("option no. %(number)s is not a mapping")
                problems.append(_problem(where, what, number=n + 1))
                continue
            options.append(_option(raw_option, str(qid), problems))
        ids = [o.id for o in options]
        if len(options) < 2:
            problems.append(_problem(where, N_("needs at least two options")))
        if "" in ids or len(set(ids)) != len(ids):
            problems.append(_problem(where, N_("option ids must be present and unique")))
        questions[str(qid)] = Question(
            str(qid), _texts(raw.get("text"), _question_text(qid), problems), tuple(options)
        )
    tree = FinderTree(str(doc.get("start") or ""), questions)
    if tree.start not in questions:
        what = N_("the start question '%(question)s' does not exist")
        problems.append(_problem(None, what, question=tree.start))
    return tree, problems


def check_tree(tree: FinderTree, kb_ids: Iterable[str]) -> list[TreeProblem]:
    """Links, entry ids, reachability and path length."""
    problems: list[TreeProblem] = []
    known = set(kb_ids)
    for question in tree.questions.values():
        for option in question.options:
            where = _option_at(question.id, option.id)
            if option.next and option.next not in tree.questions:
                what = N_("the next question '%(next)s' does not exist")
                problems.append(_problem(where, what, next=option.next))
            for entry_id in option.result:
                if entry_id not in known:
                    what = N_("no knowledge-base entry '%(entry)s'")
                    problems.append(_problem(where, what, entry=entry_id))
    if tree.start not in tree.questions:
        return problems
    reached: set[str] = set()

    def walk(qid: str, depth: int, seen: tuple[str, ...]) -> None:
        if qid in seen:
            problems.append(_problem(_question(qid), N_("a path loops back to it")))
            return
        if depth > MAX_QUESTIONS:
            what = N_("a path asks more than %(max)s questions")
            problems.append(_problem(_question(qid), what, max=MAX_QUESTIONS))
            return
        reached.add(qid)
        for option in tree.questions[qid].options:
            if option.next in tree.questions:
                walk(option.next, depth + 1, (*seen, qid))

    walk(tree.start, 1, ())
    for qid in tree.questions:
        if qid not in reached:
            what = N_("not reachable from '%(start)s'")
            problems.append(_problem(_question(qid), what, start=tree.start))
    return problems


def read_doc(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def file_problem(path: Path, what: str, **params: object) -> TreeProblem:
    """A problem of the tree file as a whole (it cannot be read, or is no tree)."""
    return _problem(Translatable("%(file)s", {"file": path.name}), what, **params)


def validate_tree(path: Path, kb_ids: Iterable[str]) -> tuple[FinderTree, list[TreeProblem]]:
    """Read and check `path`; return the tree and every problem found."""
    try:
        doc = read_doc(path)
    except (OSError, yaml.YAMLError) as exc:
        return FinderTree("", {}), [file_problem(path, N_("cannot be read: %(error)s"), error=exc)]
    tree, problems = parse_tree(doc)
    return tree, problems + check_tree(tree, kb_ids)


def load_tree(path: Path, kb_ids: Iterable[str]) -> FinderTree:
    """The tree, refused whole if anything is wrong.

    Raises:
        FinderError: listing every problem.
    """
    tree, problems = validate_tree(path, kb_ids)
    if problems:
        raise FinderError(problems)
    return tree


def walk(tree: FinderTree, answers: Iterable[str]) -> Step:
    """Follow `answers` from the start; stop at the first one the tree does not know."""
    question = tree.questions[tree.start]
    taken: list[str] = []
    for answer in answers:
        option = question.option(answer)
        if option is None:
            break
        taken.append(answer)
        if option.next is None:
            return Step(tuple(taken), None, option.result)
        question = tree.questions[option.next]
    return Step(tuple(taken), question)


def choose(tree: FinderTree, answers: Iterable[str], question_id: str, option_id: str) -> Step:
    """Answer `question_id` with `option_id`.

    A button of an earlier question changes that answer (the later ones are dropped); a
    button of a question not on the current path leaves the path as it is.
    """
    path = list(walk(tree, answers).answers)
    cursor = tree.questions[tree.start]
    for depth in range(len(path) + 1):
        if cursor.id == question_id:
            if cursor.option(option_id) is None:
                break
            return walk(tree, [*path[:depth], option_id])
        if depth == len(path):
            break
        option = cursor.option(path[depth])
        if option is None or option.next is None:
            break
        cursor = tree.questions[option.next]
    return walk(tree, path)


def _starts_word(folded_text: str, folded_word: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(folded_word), folded_text) is not None


def match_option(question: Question, text: str) -> Option | None:
    """The one option a free-text answer names (its label or one of its words), if exactly one.

    Words of every language count: users mix languages and write without diacritics.
    """
    folded = fold(text)
    if not folded:
        return None
    hits = []
    for option in question.options:
        candidates = [*option.label.values(), *(w for ws in option.words.values() for w in ws)]
        if any(fold(c) and _starts_word(folded, fold(c)) for c in candidates):
            hits.append(option)
    return hits[0] if len(hits) == 1 else None


def question_number(tree: FinderTree, answers: Iterable[str]) -> int:
    """1 for the first question, and so on."""
    return len(walk(tree, answers).answers) + 1
