"""The knowledge base as the console edits it: the `data/kb/` files stay the source of truth.

Why files and not database rows: the files are what developers review in version control,
what `faq validate`, `faq rasa-data` and every test read, and what the search service already
watches; a second copy in the database would drift from them. The console therefore edits the
files (validated as a whole, written atomically) and keeps in the database only what the files
cannot hold: the history of changes and the translation-review flags.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.curation import KbRevision, TranslationFlag
from bot.kb.files import area_files, read_yaml
from bot.kb.glossary import load_glossary
from bot.kb.loader import Problem, validate_docs
from bot.kb.model import LANGUAGES
from bot.kb.writer import dump_area, write_atomically
from bot.translatable import N_, TranslatableError

RawEntry = dict[str, Any]
"""An entry as `yaml.safe_load` reads it from its file (plain dicts, lists and a date)."""

AREA_RE = re.compile(r"^[a-z][a-z0-9_]*$")
TRANSLATIONS = tuple(lang for lang in LANGUAGES if lang != "pl")


class InvalidEdit(TranslatableError):
    """The change would make the knowledge base invalid; nothing was saved.

    Its problems are the validator's (`faq validate`): English in `str()`, and in the staff
    member's language from `translated`.
    """

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems

    def translated(self, gettext: Callable[[str], str]) -> str:
        return "; ".join(p.located(gettext) for p in self.problems)


class EditConflict(TranslatableError):
    """The entry changed since the curator opened it; nothing was saved."""


CHANGED_MEANWHILE = N_("%(id)s was changed meanwhile; reload it")
BAD_AREA = N_("bad area `%(area)s`")


def fingerprint(raw: RawEntry | None) -> str:
    """A short hash of an entry's content (the editor sends it back to detect conflicts)."""
    return hashlib.sha256(to_json(raw).encode()).hexdigest()[:16] if raw else ""


def to_json(raw: RawEntry | None) -> str:
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)


def from_json(text: str | None) -> RawEntry | None:
    if not text:
        return None
    raw: RawEntry = json.loads(text)
    if isinstance(raw.get("reviewed"), str):
        raw["reviewed"] = date.fromisoformat(raw["reviewed"])
    return raw


def answer_of(raw: RawEntry | None, lang: str) -> str:
    block = (raw or {}).get(lang)
    return str(block.get("answer", "")).strip() if isinstance(block, dict) else ""


@dataclass
class Change:
    """One entry to write: `after` None retires it; `before` None creates it."""

    entry_id: str
    before: RawEntry | None
    after: RawEntry | None
    action: str


@dataclass
class KbFiles:
    """The area files as read: area -> entries, in file order."""

    areas: dict[str, list[RawEntry]] = field(default_factory=dict)

    def find(self, entry_id: str) -> tuple[str, int] | None:
        for area, entries in self.areas.items():
            for i, raw in enumerate(entries):
                if raw.get("id") == entry_id:
                    return area, i
        return None

    def get(self, entry_id: str) -> RawEntry | None:
        found = self.find(entry_id)
        return self.areas[found[0]][found[1]] if found else None

    def entries(self) -> list[RawEntry]:
        return [raw for entries in self.areas.values() for raw in entries]

    def put(self, entry_id: str, after: RawEntry | None) -> None:
        """Replace, add (at the end of its area) or remove one entry."""
        found = self.find(entry_id)
        if found and (after is None or after.get("area") != found[0]):
            del self.areas[found[0]][found[1]]
            found = None
        if after is None:
            return
        if found:
            self.areas[found[0]][found[1]] = after
        else:
            self.areas.setdefault(str(after.get("area")), []).append(after)


class KbStore:
    """Reads and writes the knowledge-base files of one folder, one writer at a time."""

    def __init__(self, kb_dir: Path, today: Callable[[], date] = date.today):
        self.kb_dir = kb_dir
        self.today = today
        self._lock = threading.Lock()

    def read(self) -> KbFiles:
        files = KbFiles()
        for path in area_files(self.kb_dir):
            doc = read_yaml(path) or {}
            files.areas[path.stem] = list(doc.get("entries") or [])
        return files

    def get(self, entry_id: str) -> RawEntry | None:
        return self.read().get(entry_id)

    def apply(
        self, db: Session, username: str, changes: list[Change], dry_run: bool = False
    ) -> list[KbRevision]:
        """Validate the knowledge base with `changes` applied; if valid, write and record them.

        With `dry_run`, only validate (an import's preview): nothing is written or recorded.

        Raises:
            InvalidEdit: listing every problem; no file is written.
            EditConflict: a change's `before` is not what the file holds now.
        """
        with self._lock:
            files = self.read()
            touched: set[str] = set()
            for change in changes:
                current = files.get(change.entry_id)
                if fingerprint(current) != fingerprint(change.before):
                    raise EditConflict(CHANGED_MEANWHILE, id=change.entry_id)
                found = files.find(change.entry_id)
                if found:
                    touched.add(found[0])
                if change.after is not None:
                    area = str(change.after.get("area", ""))
                    if not AREA_RE.match(area):
                        where = (f"{area}.yml", 1, change.entry_id)
                        raise InvalidEdit([Problem(*where, BAD_AREA, "area", {"area": area})])
                    touched.add(area)
                files.put(change.entry_id, change.after)
            docs = {area: {"area": area, "entries": e} for area, e in files.areas.items() if e}
            _kb, problems = validate_docs(docs, {}, self.today(), load_glossary(self.kb_dir))
            if problems:
                raise InvalidEdit(problems)
            if dry_run:
                return []
            revisions = [self._record(db, username, change) for change in changes]
            db.flush()  # a database failure must stop us before the files change
            for area in sorted(touched):
                path = self.kb_dir / f"{area}.yml"
                if files.areas.get(area):
                    write_atomically(path, dump_area(area, files.areas[area]))
                else:
                    path.unlink(missing_ok=True)  # its last entry was retired or moved
            return revisions

    def _record(self, db: Session, username: str, change: Change) -> KbRevision:
        revision = KbRevision(
            entry_id=change.entry_id,
            username=username,
            action=change.action,
            before=to_json(change.before) if change.before else None,
            after=to_json(change.after) if change.after else None,
        )
        db.add(revision)
        update_flags(db, change)
        return revision

    def save(
        self, db: Session, username: str, after: RawEntry, expected: str, action: str = "edit"
    ) -> KbRevision:
        """Create or edit one entry; `expected` is the fingerprint the editor started from.

        Raises:
            InvalidEdit, EditConflict: see `apply`.
        """
        entry_id = str(after.get("id", ""))
        before = self.get(entry_id)
        if fingerprint(before) != expected:
            raise EditConflict(CHANGED_MEANWHILE, id=entry_id)
        if before is None:
            action = "create"
        return self.apply(db, username, [Change(entry_id, before, after, action)])[0]

    def add_phrasing(
        self, db: Session, username: str, entry_id: str, lang: str, phrasing: str
    ) -> KbRevision:
        """Add a user's message as a phrasing of an entry (from the inbox).

        Raises:
            InvalidEdit: e.g. the phrasing already belongs to an entry.
            EditConflict: no such entry.
        """
        before = self.get(entry_id)
        if before is None or lang not in LANGUAGES:
            raise EditConflict(N_("no entry %(id)s in %(lang)s"), id=entry_id, lang=lang)
        block = dict(before.get(lang) or {})
        block["phrasings"] = [*(block.get("phrasings") or []), " ".join(phrasing.split())]
        after = {**before, lang: block}
        return self.apply(db, username, [Change(entry_id, before, after, "phrasing")])[0]

    def retire(self, db: Session, username: str, entry_id: str) -> list[KbRevision]:
        """Remove an entry, and remove it from other entries' `related` lists."""
        files = self.read()
        before = files.get(entry_id)
        if before is None:
            raise EditConflict(N_("no entry %(id)s"), id=entry_id)
        changes = [Change(entry_id, before, None, "retire")]
        for raw in files.entries():
            if entry_id in (raw.get("related") or []):
                after = {**raw, "related": [r for r in raw["related"] if r != entry_id]}
                changes.append(Change(str(raw["id"]), raw, after, "retire"))
        return self.apply(db, username, changes)

    def revert(self, db: Session, username: str, revision: KbRevision) -> KbRevision:
        """Put the entry back as it was before `revision` (a new change, itself revertible)."""
        current = self.get(revision.entry_id)
        target = from_json(revision.before)
        change = Change(revision.entry_id, current, target, "revert")
        return self.apply(db, username, [change])[0]


def changes_to_json(changes: list[Change]) -> str:
    """Changes to carry from an import's preview to its confirmation (a hidden form field)."""
    return json.dumps(
        [
            {"id": c.entry_id, "before": fingerprint(c.before), "after": to_json(c.after)}
            for c in changes
        ],
        ensure_ascii=False,
    )


def changes_from_json(store: KbStore, text: str) -> list[Change]:
    """The changes of a preview, checked against the files as they are now.

    Raises:
        EditConflict: an entry changed since the preview was shown.
    """
    files = store.read()
    changes = []
    for item in json.loads(text):
        current = files.get(item["id"])
        if fingerprint(current) != item["before"]:
            raise EditConflict(N_("%(id)s changed since the preview; import again"), id=item["id"])
        changes.append(Change(item["id"], current, from_json(item["after"]), "import"))
    return changes


def update_flags(db: Session, change: Change) -> None:
    """Flag translations for review when the Polish answer changes; clear them when updated."""
    if change.after is None:
        db.execute(delete(TranslationFlag).where(TranslationFlag.entry_id == change.entry_id))
        return
    if change.before is None:
        return
    updated = [
        lang
        for lang in TRANSLATIONS
        if answer_of(change.before, lang) != answer_of(change.after, lang)
    ]
    if updated:
        db.execute(
            delete(TranslationFlag).where(
                TranslationFlag.entry_id == change.entry_id, TranslationFlag.lang.in_(updated)
            )
        )
    if answer_of(change.before, "pl") == answer_of(change.after, "pl"):
        return
    flagged = set(flags_of(db, change.entry_id))
    for lang in TRANSLATIONS:
        if lang not in updated and lang not in flagged:
            db.add(TranslationFlag(entry_id=change.entry_id, lang=lang))


def flags_of(db: Session, entry_id: str) -> list[str]:
    """Languages of the entry that need translation review."""
    rows = db.scalars(select(TranslationFlag.lang).where(TranslationFlag.entry_id == entry_id))
    return sorted(rows, key=LANGUAGES.index)


def all_flags(db: Session) -> dict[str, list[str]]:
    """Entry id -> languages needing translation review."""
    out: dict[str, list[str]] = {}
    for entry_id, lang in db.execute(select(TranslationFlag.entry_id, TranslationFlag.lang)):
        out.setdefault(entry_id, []).append(lang)
    return out


def confirm_translation(db: Session, username: str, entry_id: str, lang: str) -> None:
    """A curator checked the translation: clear its flag and record who did."""
    db.execute(
        delete(TranslationFlag).where(
            TranslationFlag.entry_id == entry_id, TranslationFlag.lang == lang
        )
    )
    db.add(KbRevision(entry_id=entry_id, username=username, action=f"confirm:{lang}"))
