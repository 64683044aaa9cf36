"""Reading and validating the knowledge-base YAML files under `data/kb/`.

Every problem is reported with the file and line it comes from, so that curators can find it:
``data/kb/card.yml:42: card.fees: answer too long (951 > 900 characters)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from bot.kb.files import GLOSSARY_FILE, NEGATIVES_FILE, kb_files, read_yaml
from bot.kb.glossary import Glossary, GlossaryError, load_glossary
from bot.kb.model import LANGUAGES, Entry, KnowledgeBase, LocalText
from bot.safe_yaml import SafeLoader

MIN_PHRASINGS = 6
MAX_ANSWER_CHARS = 900
AUDIENCES = frozenset({"foreigner", "employer", "representative"})

_ID_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_ENTRY_KEYS = frozenset(
    {"id", "area", "audience", "related", "sources", "reviewed", "valid_until", *LANGUAGES}
)
_TEXT_KEYS = frozenset({"title", "phrasings", "answer"})
_LINES = "__lines__"
# Control characters (a NUL, an escape…) cannot be stored everywhere and never belong in a
# text; tabs and line breaks do.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a knowledge-base file."""

    file: str
    line: int
    entry: str
    message: str
    field: str = ""
    """The field at fault, e.g. `uk.answer` or `sources` (empty when not one field)."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.entry}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be loaded; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _LineLoader(SafeLoader):
    """A safe loader that remembers the line of every mapping key (1-based)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINES] = {
            self.construct_object(k, deep=True): k.start_mark.line + 1 for k, _ in node.value
        }
        mapping[_LINES][None] = node.start_mark.line + 1
        return mapping


# Dates stay strings so that a malformed one can be reported instead of crashing the loader.
_LineLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line(mapping: dict[str, Any], key: str | None = None) -> int:
    lines: dict[Any, int] = mapping.get(_LINES, {})
    return lines.get(key, lines.get(None, 1))


def _is_url(value: object) -> bool:
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parsed = urlparse(value)
    return parsed.scheme in {"http", "https"} and "." in parsed.netloc


def _norm_phrase(text: str) -> str:
    return " ".join(text.casefold().split())


class _Collector:
    """Accumulates problems and valid entries while walking the files."""

    def __init__(self, today: date, glossary: Glossary | None = None):
        self.today = today
        self.glossary = glossary or Glossary()
        self.problems: list[Problem] = []
        self.entries: list[Entry] = []
        self.negatives: dict[str, tuple[str, ...]] = {}
        self.seen_ids: dict[str, str] = {}
        self.seen_phrasings: dict[str, str] = {}
        self.related: list[tuple[str, int, str, list[str]]] = []

    def add(self, file: str, line: int, entry: str, message: str, field: str = "") -> None:
        self.problems.append(Problem(file, line, entry, message, field))

    def read_file(self, path: Path, shown: str) -> None:
        try:
            doc = read_yaml(path, _LineLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            self.add(shown, line, "-", f"not valid YAML: {getattr(exc, 'problem', exc)}")
            return
        except UnicodeDecodeError:
            self.add(shown, 1, "-", "not UTF-8 text")
            return
        if not isinstance(doc, dict):
            self.add(shown, 1, "-", "the file must be a mapping with `area` and `entries`")
            return
        if path.name == NEGATIVES_FILE:
            self._read_negatives(doc, shown)
        elif path.name == GLOSSARY_FILE:
            return  # read before the entries, which it checks
        else:
            self.read_doc(doc, shown, path.stem)

    def _read_negatives(self, doc: dict[str, Any], shown: str) -> None:
        negatives = doc.get("negatives")
        if not isinstance(negatives, dict):
            self.add(shown, _line(doc), "-", "`negatives` must map languages to lists of questions")
            return
        for lang, items in negatives.items():
            if lang == _LINES:
                continue
            if lang not in LANGUAGES:
                self.add(shown, _line(negatives, lang), "-", f"unknown language `{lang}`")
            elif not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                self.add(shown, _line(negatives, lang), "-", f"`{lang}` must be a list of strings")
            else:
                self.negatives[lang] = tuple(i.strip() for i in items if i.strip())

    def read_doc(self, doc: dict[str, Any], shown: str, stem: str) -> None:
        """Check one area document (`stem` is the area its file is named after)."""
        for key in doc:
            if key not in {"area", "entries", _LINES}:
                self.add(shown, _line(doc, key), "-", f"unknown key `{key}`")
        area = doc.get("area")
        if area != stem:
            self.add(shown, _line(doc, "area"), "-", f"`area` must be `{stem}` (the file's name)")
        entries = doc.get("entries")
        if not isinstance(entries, list) or not entries:
            self.add(shown, _line(doc, "entries"), "-", "`entries` must be a non-empty list")
            return
        for raw in entries:
            if not isinstance(raw, dict):
                self.add(shown, _line(doc, "entries"), "-", "every entry must be a mapping")
                continue
            self._read_entry(raw, shown, stem)

    def _read_entry(self, raw: dict[str, Any], shown: str, area: str) -> None:
        line = _line(raw)
        entry_id = raw.get("id")
        label = entry_id if isinstance(entry_id, str) else "?"
        before = len(self.problems)

        def problem(message: str, key: str | None = None) -> None:
            self.add(shown, _line(raw, key) if key else line, label, message, key or "")

        for key in raw:
            if key != _LINES and key not in _ENTRY_KEYS:
                problem(f"unknown key `{key}`", key)
        if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
            problem("`id` must be lowercase words joined by dots, e.g. `card.fees`", "id")
        elif entry_id in self.seen_ids:
            problem(f"duplicate id (also in {self.seen_ids[entry_id]})", "id")
        else:
            self.seen_ids[entry_id] = shown
        if raw.get("area") != area:
            problem(f"`area` must be `{area}`", "area")

        sources = raw.get("sources")
        if not isinstance(sources, list) or not sources:
            problem("`sources` must list at least one URL", "sources")
            sources = []
        for url in sources:
            if not _is_url(url):
                problem(f"malformed URL `{url}`", "sources")

        reviewed = self._read_date(raw.get("reviewed"), problem)
        valid_until = self._read_valid_until(raw.get("valid_until"), problem)
        audience = raw.get("audience") or []
        if not isinstance(audience, list) or not set(audience) <= AUDIENCES:
            problem(f"`audience` must be a list of {', '.join(sorted(AUDIENCES))}", "audience")
            audience = []
        related = raw.get("related") or []
        if not isinstance(related, list):
            problem("`related` must be a list of entry ids", "related")
            related = []
        self.related.append((shown, _line(raw, "related"), label, related))

        texts = {}
        for lang in LANGUAGES:
            block = raw.get(lang)
            if not isinstance(block, dict):
                problem(f"missing language `{lang}`", lang)
                continue
            text = self._read_text(block, lang, sources, shown, label)
            if text is not None:
                texts[lang] = text

        if len(self.problems) == before and reviewed is not None:
            self.entries.append(
                Entry(
                    id=label,
                    area=area,
                    texts=texts,
                    sources=tuple(sources),
                    reviewed=reviewed,
                    audience=tuple(audience),
                    related=tuple(related),
                    valid_until=valid_until,
                )
            )

    @staticmethod
    def _read_valid_until(value: object, problem: Any) -> date | None:
        # May lie in the past: an expired fact is a warning for curators, not a broken file.
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            problem(f"`valid_until` must be a date like 2026-08-31, not `{value}`", "valid_until")
            return None

    def _read_date(self, value: object, problem: Any) -> date | None:
        if value is None:
            problem("`reviewed` date is missing")
            return None
        try:
            reviewed = date.fromisoformat(str(value))
        except ValueError:
            problem(f"`reviewed` must be a date like 2026-01-31, not `{value}`", "reviewed")
            return None
        if reviewed > self.today:
            problem(f"`reviewed` date {reviewed} is in the future", "reviewed")
            return None
        return reviewed

    def _read_text(
        self, block: dict[str, Any], lang: str, sources: list[str], shown: str, label: str
    ) -> LocalText | None:
        def problem(message: str, key: str | None = None) -> None:
            field = f"{lang}.{key}" if key else lang
            self.add(shown, _line(block, key), label, f"{lang}: {message}", field)

        before = len(self.problems)
        for key in block:
            if key != _LINES and key not in _TEXT_KEYS:
                problem(f"unknown key `{key}`", key)
        title = block.get("title")
        if not isinstance(title, str) or not title.strip():
            problem("missing or empty title", "title")
        for key in _TEXT_KEYS:
            value = block.get(key)
            values = value if isinstance(value, list) else [value]
            found = next(
                (m for v in values if isinstance(v, str) and (m := _CONTROL_RE.search(v))), None
            )
            if found:
                problem(f"control character U+{ord(found.group()):04X} in the {key}", key)
        answer = block.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            problem("missing or empty answer", "answer")
            answer = ""
        answer = answer.strip()
        if len(answer) > MAX_ANSWER_CHARS:
            problem(f"answer too long ({len(answer)} > {MAX_ANSWER_CHARS} characters)", "answer")
        elif answer and not any(answer.endswith(s) for s in sources if isinstance(s, str)):
            problem("answer must end with one of the entry's source URLs", "answer")
        phrasings = block.get("phrasings")
        if not isinstance(phrasings, list):
            phrasings = []
        clean = [p.strip() for p in phrasings if isinstance(p, str) and p.strip()]
        if len(clean) != len(phrasings):
            problem("phrasings must be non-empty strings", "phrasings")
        if len(clean) < MIN_PHRASINGS:
            problem(f"too few phrasings ({len(clean)} < {MIN_PHRASINGS})", "phrasings")
        for key, value in (("title", title), ("answer", answer)):
            for conflict in self.glossary.conflicts(lang, str(value or "")):
                problem(conflict, key)
        for phrase in clean:
            key = _norm_phrase(phrase)
            owner = self.seen_phrasings.get(key)
            if owner is not None:
                problem(f"duplicated phrasing `{phrase}` (also in {owner})", "phrasings")
            else:
                self.seen_phrasings[key] = label
        if len(self.problems) != before:
            return None
        return LocalText(title=str(title).strip(), phrasings=tuple(clean), answer=answer)

    def check_related(self) -> None:
        for shown, line, label, related in self.related:
            for rid in related:
                if rid == label or rid not in self.seen_ids:
                    message = f"`related` names unknown entry `{rid}`"
                    self.add(shown, line, label, message, "related")


def validate(kb_dir: Path, today: date | None = None) -> tuple[KnowledgeBase, list[Problem]]:
    """Read every file under `kb_dir`; return the valid entries and every problem found."""
    collector = _Collector(today or date.today())
    try:
        collector.glossary = load_glossary(kb_dir)
    except GlossaryError as exc:
        collector.add(str(kb_dir / GLOSSARY_FILE), 1, "-", str(exc))
    files = kb_files(kb_dir)
    if not files:
        collector.add(str(kb_dir), 1, "-", "no knowledge-base files (*.yml) found")
    for path in files:
        try:
            shown = str(path.relative_to(Path.cwd()))
        except ValueError:
            shown = str(path)
        collector.read_file(path, shown)
    collector.check_related()
    kb = KnowledgeBase(entries=tuple(collector.entries), negatives=collector.negatives)
    return kb, collector.problems


def validate_docs(
    areas: dict[str, dict[str, Any]],
    negatives: dict[str, tuple[str, ...]],
    today: date | None = None,
    glossary: Glossary | None = None,
) -> tuple[KnowledgeBase, list[Problem]]:
    """Validate area documents already in memory (the console's edits) with the same rules.

    Args:
        areas: area name -> the document of `data/kb/<area>.yml` (`area`, `entries`).
        negatives: the out-of-scope examples, kept as they are.
        today: the date `reviewed` may not be after.
        glossary: the terms titles and answers must follow.
    """
    collector = _Collector(today or date.today(), glossary)
    for area, doc in sorted(areas.items()):
        collector.read_doc(doc, f"{area}.yml", area)
    collector.check_related()
    kb = KnowledgeBase(entries=tuple(collector.entries), negatives=dict(negatives))
    return kb, collector.problems


def load_kb(kb_dir: Path, today: date | None = None) -> KnowledgeBase:
    """Load the knowledge base, refusing it whole if any file has a problem.

    Raises:
        KnowledgeBaseError: listing every problem found.
    """
    kb, problems = validate(kb_dir, today)
    if problems:
        raise KnowledgeBaseError(problems)
    return kb
