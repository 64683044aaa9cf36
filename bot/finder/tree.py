"""The permit finder's decision tree (`data/finder.yml`): model, loading, validation, walking.

A conversation's place in the tree is the list of option ids chosen so far (kept in the Rasa
tracker); walking that list from the start question gives the next question or the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.kb.model import LANGUAGES
from bot.text import fold

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


class FinderError(Exception):
    """The tree cannot be used; `problems` says why."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _texts(raw: object, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected texts in {', '.join(LANGUAGES)}")
        return {}
    texts = {str(k): str(v).strip() for k, v in raw.items() if v is not None}
    for lang in LANGUAGES:
        if not texts.get(lang):
            problems.append(f"{where}: missing the {lang} text")
    for lang in texts:
        if lang not in LANGUAGES:
            problems.append(f"{where}: unknown language '{lang}'")
    return texts


def _option(raw: dict[str, Any], where: str, problems: list[str]) -> Option:
    words_raw = raw.get("words") or {}
    words = {
        str(lang): tuple(str(w) for w in (items or []))
        for lang, items in (words_raw.items() if isinstance(words_raw, dict) else [])
    }
    result = tuple(str(r) for r in (raw.get("result") or []))
    nxt = raw.get("next")
    if bool(nxt) == bool(result):
        problems.append(f"{where}: needs either `next` (a question) or `result` (entry ids)")
    return Option(
        id=str(raw.get("id") or ""),
        label=_texts(raw.get("label"), f"{where}.label", problems),
        words=words,
        next=str(nxt) if nxt else None,
        result=result,
    )


def parse_tree(doc: object) -> tuple[FinderTree, list[str]]:
    """Build the tree from the YAML document; return it with every structural problem."""
    problems: list[str] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("questions"), dict):
        return FinderTree("", {}), ["finder: expected `start` and a `questions` mapping"]
    questions: dict[str, Question] = {}
    for qid, raw in doc["questions"].items():
        where = f"finder: question {qid}"
        raw = raw if isinstance(raw, dict) else {}
        options: list[Option] = []
        for n, raw_option in enumerate(raw.get("options") or []):
            if not isinstance(raw_option, dict):
                problems.append(f"{where}: option {n + 1} is not a mapping")
                continue
            options.append(_option(raw_option, f"{where}: option {raw_option.get('id')}", problems))
        ids = [o.id for o in options]
        if len(options) < 2:
            problems.append(f"{where}: needs at least two options")
        if "" in ids or len(set(ids)) != len(ids):
            problems.append(f"{where}: option ids must be present and unique")
        questions[str(qid)] = Question(
            str(qid), _texts(raw.get("text"), f"{where}.text", problems), tuple(options)
        )
    tree = FinderTree(str(doc.get("start") or ""), questions)
    if tree.start not in questions:
        problems.append(f"finder: start question '{tree.start}' does not exist")
    return tree, problems


def check_tree(tree: FinderTree, kb_ids: Iterable[str]) -> list[str]:
    """Links, entry ids, reachability and path length."""
    problems: list[str] = []
    known = set(kb_ids)
    for question in tree.questions.values():
        for option in question.options:
            where = f"finder: question {question.id}: option {option.id}"
            if option.next and option.next not in tree.questions:
                problems.append(f"{where}: next question '{option.next}' does not exist")
            for entry_id in option.result:
                if entry_id not in known:
                    problems.append(f"{where}: no knowledge-base entry '{entry_id}'")
    if tree.start not in tree.questions:
        return problems
    reached: set[str] = set()

    def walk(qid: str, depth: int, seen: tuple[str, ...]) -> None:
        if qid in seen:
            problems.append(f"finder: question {qid}: a path loops back to it")
            return
        if depth > MAX_QUESTIONS:
            problems.append(f"finder: question {qid}: a path asks more than {MAX_QUESTIONS}")
            return
        reached.add(qid)
        for option in tree.questions[qid].options:
            if option.next in tree.questions:
                walk(option.next, depth + 1, (*seen, qid))

    walk(tree.start, 1, ())
    for qid in tree.questions:
        if qid not in reached:
            problems.append(f"finder: question {qid}: not reachable from '{tree.start}'")
    return problems


def read_doc(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def validate_tree(path: Path, kb_ids: Iterable[str]) -> tuple[FinderTree, list[str]]:
    """Read and check `path`; return the tree and every problem found."""
    try:
        doc = read_doc(path)
    except (OSError, yaml.YAMLError) as exc:
        return FinderTree("", {}), [f"{path.name}: cannot be read: {exc}"]
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
