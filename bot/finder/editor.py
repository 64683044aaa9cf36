"""Editing the tree's texts from the staff console: questions and option labels, per language.

Only texts change here; the structure (options, links, results) is edited in the file. The
edited document is checked like `faq validate` does, and written in one rename only when it
is valid; the web app reads the new tree at the next step of any conversation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.finder.tree import TreeProblem, check_tree, file_problem, parse_tree, read_doc
from bot.kb.model import LANGUAGES
from bot.kb.writer import write_atomically
from bot.translatable import N_


def field_name(question_id: str, option_id: str | None, lang: str) -> str:
    """The form field of a question's text (`option_id` None) or of an option's label."""
    return f"{question_id}|{option_id or ''}|{lang}"


def apply_texts(doc: dict[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """A copy of `doc` with every text the form sends (unknown fields are ignored)."""
    edited: dict[str, Any] = yaml.safe_load(yaml.safe_dump(doc, allow_unicode=True))
    for qid, question in (edited.get("questions") or {}).items():
        for lang in LANGUAGES:
            value = form.get(field_name(qid, None, lang))
            if value is not None:
                question.setdefault("text", {})[lang] = value.strip()
        for option in question.get("options") or []:
            for lang in LANGUAGES:
                value = form.get(field_name(qid, str(option.get("id")), lang))
                if value is not None:
                    option.setdefault("label", {})[lang] = value.strip()
    return edited


def _header(path: Path) -> str:
    """The file's leading comment block, kept across saves."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def save_texts(path: Path, form: Mapping[str, str], kb_ids: Iterable[str]) -> list[TreeProblem]:
    """Apply the form's texts and write the file if the result is valid; return the problems."""
    doc = read_doc(path)
    if not isinstance(doc, dict):
        return [file_problem(path, N_("not a finder tree"))]
    edited = apply_texts(doc, form)
    tree, problems = parse_tree(edited)
    problems += check_tree(tree, kb_ids)
    if not problems:
        body = yaml.safe_dump(edited, allow_unicode=True, sort_keys=False, width=float("inf"))
        write_atomically(path, _header(path) + body)
    return problems
