"""Curators' example phrasings for the conversation intents (greetings, asking for a person…).

The hand-written NLU files `data/nlu/<lang>.yml` stay the source of truth, as for the
knowledge base: a new example is inserted as one line into its intent's block, so the rest of
the file (comments, order, style) is untouched and the change reads well in version control.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import yaml

from bot.kb.model import LANGUAGES
from bot.kb.writer import write_atomically
from bot.translatable import N_, TranslatableError

MAX_EXAMPLE = 200
PROTECTED = frozenset({"ask_question"})
"""Intents generated from the knowledge base; curators add those phrasings to entries."""
_MARKUP = re.compile(r"[\[\]{}()]|^/")

_lock = threading.Lock()


class DialogueError(TranslatableError, ValueError):
    """The example cannot be added; the message says why."""


def _file(nlu_dir: Path, lang: str) -> Path:
    if lang not in LANGUAGES:
        raise DialogueError(N_("unknown language `%(lang)s`"), lang=lang)
    return nlu_dir / f"{lang}.yml"


def intents(nlu_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Language -> intent -> examples, from the hand-written files."""
    out: dict[str, dict[str, list[str]]] = {}
    for lang in LANGUAGES:
        path = nlu_dir / f"{lang}.yml"
        if not path.exists():
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in doc.get("nlu") or []:
            if "intent" not in block:
                continue
            examples = [
                line.strip().removeprefix("- ").strip()
                for line in str(block.get("examples", "")).splitlines()
                if line.strip()
            ]
            out.setdefault(lang, {})[str(block["intent"])] = examples
    return out


def add_example(nlu_dir: Path, lang: str, intent: str, example: str) -> None:
    """Append `example` to `intent` in `data/nlu/<lang>.yml`.

    Raises:
        DialogueError: unknown language or intent, markup, too long, or already an example
            (of any intent: the same text under two intents would confuse the model).
    """
    example = " ".join(example.split())
    if not example or len(example) > MAX_EXAMPLE:
        raise DialogueError(
            N_("an example must be 1-%(count)s characters on one line"), count=MAX_EXAMPLE
        )
    if _MARKUP.search(example):
        raise DialogueError(N_("brackets, braces and a leading / are Rasa markup; leave them out"))
    if intent in PROTECTED:
        raise DialogueError(N_("`%(intent)s` is generated from the knowledge base"), intent=intent)
    with _lock:
        current = intents(nlu_dir)
        if intent not in current.get(lang, {}):
            raise DialogueError(N_("no intent `%(intent)s` in %(lang)s"), intent=intent, lang=lang)
        for other_lang, by_intent in current.items():
            for name, examples in by_intent.items():
                if example.casefold() in (e.casefold() for e in examples):
                    raise DialogueError(
                        N_("already an example of `%(intent)s` (%(lang)s)"),
                        intent=name,
                        lang=other_lang,
                    )
        path = _file(nlu_dir, lang)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        write_atomically(path, "".join(_insert(lines, intent, example)))


def _insert(lines: list[str], intent: str, example: str) -> list[str]:
    """The file's lines with `example` after the last example of `intent`."""
    start = next(
        i
        for i, line in enumerate(lines)
        if re.match(rf"^\s*- intent:\s*{re.escape(intent)}\s*$", line)
    )
    last = start
    indent = "    "
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith("- intent:") or (re.match(r"^\S", lines[i]) and stripped):
            break
        if stripped.startswith("- "):
            last = i
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    return [*lines[: last + 1], f"{indent}- {example}\n", *lines[last + 1 :]]
