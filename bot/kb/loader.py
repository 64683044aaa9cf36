"""Reading and validating the knowledge-base YAML files under `data/kb/`.

Every problem is reported with the file and line it comes from, so that curators can find it:
``data/kb/card.yml:42: card.fees: answer too long (951 > 900 characters)``. Its message is
written in English with `%(name)s` placeholders and marked with `N_`, so that the console shows
it in the curator's language (`Problem.translated`) while `faq validate` prints it in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from bot.kb.files import GLOSSARY_FILE, NEGATIVES_FILE, kb_files, read_yaml
from bot.kb.glossary import Glossary, GlossaryError, load_glossary
from bot.kb.model import LANGUAGES, Entry, KnowledgeBase, LocalText
from bot.safe_yaml import SafeLoader
from bot.translatable import N_, translate

MIN_PHRASINGS = 6
MAX_ANSWER_CHARS = 900
AUDIENCES = frozenset({"foreigner", "employer", "representative"})

_ID_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_ENTRY_KEYS = frozenset(
    {"id", "area", "audience", "related", "sources", "reviewed", "valid_until", *LANGUAGES}
)
_TEXT_KEYS = frozenset({"title", "phrasings", "answer"})
_LINES = "__lines__"
CONTROL_IN = {
    "title": N_("control character %(code)s in the title"),
    "phrasings": N_("control character %(code)s in the phrasings"),
    "answer": N_("control character %(code)s in the answer"),
}
"""A control character's problem, by the text it is in (the text's name is translated too)."""
# Control characters (a NUL, an escape…) cannot be stored everywhere and never belong in a
# text; tabs and line breaks do.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a knowledge-base file."""

    file: str
    line: int
    entry: str
    template: str
    """What is wrong, in English with `%(name)s` placeholders for `params`."""
    field: str = ""
    """The field at fault, e.g. `uk.answer` or `sources` (empty when not one field)."""
    params: Mapping[str, object] = dataclass_field(default_factory=dict)
    lang: str = ""
    """The language of the text at fault, which the message begins with (empty when none)."""

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return self.translated(str)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """What is wrong, in the language of `gettext`."""
        text = translate(gettext, self.template, self.params)
        return f"{self.lang}: {text}" if self.lang else text

    def located(self, gettext: Callable[[str], str]) -> str:
        """`file:line: entry: message`, the message in the language of `gettext`."""
        return f"{self.file}:{self.line}: {self.entry}: {self.translated(gettext)}"

    def __str__(self) -> str:
        return self.located(str)


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


def phrase_key(text: str) -> str:
    """What two phrasings share when they are the same (case and spacing aside)."""
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

    def add(
        self,
        file: str,
        line: int,
        entry: str,
        template: str,
        field: str = "",
        lang: str = "",
        /,
        **params: object,
    ) -> None:
        self.problems.append(Problem(file, line, entry, template, field, params, lang))

    def read_file(self, path: Path, shown: str) -> None:
        try:
            doc = read_yaml(path, _LineLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            reason = getattr(exc, "problem", exc)
            self.add(shown, line, "-", N_("not valid YAML: %(reason)s"), reason=reason)
            return
        except UnicodeDecodeError:
            self.add(shown, 1, "-", N_("not UTF-8 text"))
            return
        if not isinstance(doc, dict):
            self.add(shown, 1, "-", N_("the file must be a mapping with `area` and `entries`"))
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
            message = N_("`negatives` must map languages to lists of questions")
            self.add(shown, _line(doc), "-", message)
            return
        for lang, items in negatives.items():
            if lang == _LINES:
                continue
            if lang not in LANGUAGES:
                message = N_("unknown language `%(lang)s`")
                self.add(shown, _line(negatives, lang), "-", message, lang=lang)
            elif not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                message = N_("`%(lang)s` must be a list of strings")
                self.add(shown, _line(negatives, lang), "-", message, lang=lang)
            else:
                self.negatives[lang] = tuple(i.strip() for i in items if i.strip())

    def read_doc(self, doc: dict[str, Any], shown: str, stem: str) -> None:
        """Check one area document (`stem` is the area its file is named after)."""
        for key in doc:
            if key not in {"area", "entries", _LINES}:
                self.add(shown, _line(doc, key), "-", N_("unknown key `%(key)s`"), key=key)
        area = doc.get("area")
        if area != stem:
            message = N_("`area` must be `%(area)s` (the file's name)")
            self.add(shown, _line(doc, "area"), "-", message, area=stem)
        entries = doc.get("entries")
        if not isinstance(entries, list) or not entries:
            self.add(shown, _line(doc, "entries"), "-", N_("`entries` must be a non-empty list"))
            return
        for raw in entries:
            if not isinstance(raw, dict):
                self.add(shown, _line(doc, "entries"), "-", N_("every entry must be a mapping"))
                continue
            self._read_entry(raw, shown, stem)

    def _read_entry(self, raw: dict[str, Any], shown: str, area: str) -> None:
        line = _line(raw)
        entry_id = raw.get("id")
        label = entry_id if isinstance(entry_id, str) else "?"
        before = len(self.problems)

        def problem(template: str, key: str | None = None, /, **params: object) -> None:
            self.add(shown, _line(raw, key) if key else line, label, template, key or "", **params)

        for key in raw:
            if key != _LINES and key not in _ENTRY_KEYS:
                problem(N_("unknown key `%(key)s`"), key, key=key)
        if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
            problem(N_("`id` must be lowercase words joined by dots, e.g. `card.fees`"), "id")
        elif entry_id in self.seen_ids:
            problem(N_("duplicate id (also in %(file)s)"), "id", file=self.seen_ids[entry_id])
        else:
            self.seen_ids[entry_id] = shown
        if raw.get("area") != area:
            problem(N_("`area` must be `%(area)s`"), "area", area=area)

        sources = raw.get("sources")
        if not isinstance(sources, list) or not sources:
            problem(N_("`sources` must list at least one URL"), "sources")
            sources = []
        for url in sources:
            if not _is_url(url):
                problem(N_("malformed URL `%(url)s`"), "sources", url=url)

        reviewed = self._read_date(raw.get("reviewed"), problem)
        valid_until = self._read_valid_until(raw.get("valid_until"), problem)
        audience = raw.get("audience") or []
        if not isinstance(audience, list) or not set(audience) <= AUDIENCES:
            allowed = ", ".join(sorted(AUDIENCES))
            problem(N_("`audience` must be a list of %(allowed)s"), "audience", allowed=allowed)
            audience = []
        related = raw.get("related") or []
        if not isinstance(related, list):
            problem(N_("`related` must be a list of entry ids"), "related")
            related = []
        self.related.append((shown, _line(raw, "related"), label, related))

        texts = {}
        for lang in LANGUAGES:
            block = raw.get(lang)
            if not isinstance(block, dict):
                problem(N_("missing language `%(lang)s`"), lang, lang=lang)
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
            message = N_("`valid_until` must be a date like 2026-08-31, not `%(value)s`")
            problem(message, "valid_until", value=value)
            return None

    def _read_date(self, value: object, problem: Any) -> date | None:
        if value is None:
            problem(N_("`reviewed` date is missing"))
            return None
        try:
            reviewed = date.fromisoformat(str(value))
        except ValueError:
            message = N_("`reviewed` must be a date like 2026-01-31, not `%(value)s`")
            problem(message, "reviewed", value=value)
            return None
        if reviewed > self.today:
            message = N_("`reviewed` date %(date)s is in the future")
            problem(message, "reviewed", date=reviewed.isoformat())
            return None
        return reviewed

    def _read_text(
        self, block: dict[str, Any], lang: str, sources: list[str], shown: str, label: str
    ) -> LocalText | None:
        def problem(template: str, key: str | None = None, /, **params: object) -> None:
            field = f"{lang}.{key}" if key else lang
            self.add(shown, _line(block, key), label, template, field, lang, **params)

        before = len(self.problems)
        for key in block:
            if key != _LINES and key not in _TEXT_KEYS:
                problem(N_("unknown key `%(key)s`"), key, key=key)
        title = block.get("title")
        if not isinstance(title, str) or not title.strip():
            problem(N_("missing or empty title"), "title")
        for key in _TEXT_KEYS:
            value = block.get(key)
            values = value if isinstance(value, list) else [value]
            found = next(
                (m for v in values if isinstance(v, str) and (m := _CONTROL_RE.search(v))), None
            )
            if found:
                code = f"U+{ord(found.group()):04X}"
                message = CONTROL_IN[key]
                problem(message, key, code=code)
        answer = block.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            problem(N_("missing or empty answer"), "answer")
            answer = ""
        answer = answer.strip()
        if len(answer) > MAX_ANSWER_CHARS:
            message = N_("answer too long (%(length)s > %(limit)s characters)")
            problem(message, "answer", length=len(answer), limit=MAX_ANSWER_CHARS)
        elif answer and not any(answer.endswith(s) for s in sources if isinstance(s, str)):
            problem(N_("answer must end with one of the entry's source URLs"), "answer")
        phrasings = block.get("phrasings")
        if not isinstance(phrasings, list):
            phrasings = []
        clean = [p.strip() for p in phrasings if isinstance(p, str) and p.strip()]
        if len(clean) != len(phrasings):
            problem(N_("phrasings must be non-empty strings"), "phrasings")
        if len(clean) < MIN_PHRASINGS:
            message = N_("too few phrasings (%(count)s < %(minimum)s)")
            problem(message, "phrasings", count=len(clean), minimum=MIN_PHRASINGS)
        for key, value in (("title", title), ("answer", answer)):
            for conflict in self.glossary.conflicts(lang, str(value or "")):
                problem(conflict.message, key, **conflict.params)
        for phrase in clean:
            key = phrase_key(phrase)
            owner = self.seen_phrasings.get(key)
            if owner is not None:
                message = N_("duplicated phrasing `%(phrasing)s` (also in %(entry)s)")
                problem(message, "phrasings", phrasing=phrase, entry=owner)
            else:
                self.seen_phrasings[key] = label
        if len(self.problems) != before:
            return None
        return LocalText(title=str(title).strip(), phrasings=tuple(clean), answer=answer)

    def check_related(self) -> None:
        for shown, line, label, related in self.related:
            for rid in related:
                if rid == label or rid not in self.seen_ids:
                    message = N_("`related` names unknown entry `%(entry)s`")
                    self.add(shown, line, label, message, "related", entry=rid)


def validate(kb_dir: Path, today: date | None = None) -> tuple[KnowledgeBase, list[Problem]]:
    """Read every file under `kb_dir`; return the valid entries and every problem found."""
    collector = _Collector(today or date.today())
    try:
        collector.glossary = load_glossary(kb_dir)
    except GlossaryError as exc:
        shown = str(kb_dir / GLOSSARY_FILE)
        collector.add(shown, 1, "-", exc.message, **exc.params)
    files = kb_files(kb_dir)
    if not files:
        shown = str(kb_dir)
        collector.add(shown, 1, "-", N_("no knowledge-base files (*.yml) found"))
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
