"""Import and export: spreadsheets for translators (XLSX, CSV) and the YAML area files.

A spreadsheet has one row per entry and language. An import never writes directly: it is
turned into the list of changes it would make (shown to the curator as diffs), and only that
list is applied, through the same validation as the editor.

Spreadsheet programs run a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula, and a user's question can become a phrasing through the inbox; so such cells
are exported behind an apostrophe, which the import takes off again.
"""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook

from bot import safe_yaml
from bot.curation.diff import changed_fields
from bot.curation.forms import answer_text, lines, parse_date
from bot.curation.store import Change, KbFiles, RawEntry
from bot.kb.files import kb_files
from bot.kb.model import LANGUAGES
from bot.translatable import N_, TranslatableError

COLUMNS = (
    "id", "area", "lang", "title", "phrasings", "answer",
    "sources", "reviewed", "valid_until", "audience", "related",
)  # fmt: skip
SHARED = ("area", "sources", "reviewed", "valid_until", "audience", "related")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape_cell(value: str) -> str:
    """A cell value no spreadsheet program runs as a formula (see the module docstring).

    Values already starting with the apostrophe get one more, so every value round-trips.
    """
    return ESCAPE + value if value.startswith((*FORMULA_STARTS, ESCAPE)) else value


def unescape_cell(value: str) -> str:
    """The value `escape_cell` was given."""
    if value.startswith(ESCAPE) and value[1:].startswith((*FORMULA_STARTS, ESCAPE)):
        return value[1:]
    return value


class TransferError(TranslatableError, ValueError):
    """The uploaded file cannot be read as a knowledge-base sheet or YAML file."""


def rows_of(files: KbFiles) -> Iterator[dict[str, str]]:
    """One row per entry and language, every cell a string (lists one item per line)."""
    for row in _plain_rows(files):
        yield {column: escape_cell(value) for column, value in row.items()}


def _plain_rows(files: KbFiles) -> Iterator[dict[str, str]]:
    for raw in sorted(files.entries(), key=lambda r: (str(r.get("area")), str(r.get("id")))):
        for lang in LANGUAGES:
            block = raw.get(lang) or {}
            yield {
                "id": str(raw.get("id", "")),
                "area": str(raw.get("area", "")),
                "lang": lang,
                "title": str(block.get("title", "")),
                "phrasings": "\n".join(block.get("phrasings") or []),
                "answer": str(block.get("answer", "")).strip(),
                "sources": "\n".join(raw.get("sources") or []),
                "reviewed": str(raw.get("reviewed", "")),
                "valid_until": str(raw.get("valid_until") or ""),
                "audience": ", ".join(raw.get("audience") or []),
                "related": ", ".join(raw.get("related") or []),
            }


def to_csv(files: KbFiles) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows_of(files))
    return out.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheet programs read UTF-8


def to_xlsx(files: KbFiles) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "knowledge base"
    sheet.append(list(COLUMNS))
    for row in rows_of(files):
        sheet.append([row[c] for c in COLUMNS])
    sheet.freeze_panes = "D2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_yaml_zip(kb_dir: Path) -> bytes:
    """Every file of the knowledge-base folder, as they are (what version control holds)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in kb_files(kb_dir):
            archive.write(path, f"kb/{path.name}")
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_sheet(name: str, data: bytes) -> list[dict[str, str]]:
    """Rows of an uploaded CSV or XLSX file, keyed by the header row.

    Raises:
        TransferError: when the file is not such a sheet.
    """
    try:
        if name.lower().endswith(".xlsx"):
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            cells = [[_cell(v) for v in row] for row in book.active.iter_rows(values_only=True)]
        else:
            cells = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    except Exception as exc:  # any unreadable upload is the user's file, not our bug
        unreadable = N_("cannot read %(name)s: %(error)s")
        raise TransferError(unreadable, name=name, error=str(exc)) from exc
    if not cells or "id" not in cells[0] or "lang" not in cells[0]:
        raise TransferError(N_("the first row must name the columns, including `id` and `lang`"))
    header = [h.strip() for h in cells[0]]
    return [
        dict(zip(header, map(unescape_cell, row), strict=False)) for row in cells[1:] if any(row)
    ]


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]


def _apply_row(raw: RawEntry, row: dict[str, str], shared: bool) -> None:
    lang = row.get("lang", "").strip()
    block = dict(raw.get(lang) or {})
    if "title" in row:
        block["title"] = row["title"].strip()
    if "phrasings" in row:
        block["phrasings"] = lines(row["phrasings"])
    if "answer" in row:
        block["answer"] = answer_text(row["answer"])
    raw[lang] = block
    if not shared:
        return
    if "area" in row:
        raw["area"] = row["area"].strip()
    if "sources" in row:
        raw["sources"] = lines(row["sources"])
    if "reviewed" in row:
        raw["reviewed"] = parse_date(row["reviewed"])
    if "valid_until" in row:
        if row["valid_until"].strip():
            raw["valid_until"] = parse_date(row["valid_until"])
        else:
            raw.pop("valid_until", None)
    for key in ("audience", "related"):
        if key in row:
            raw[key] = _split(row[key])


def changes_from_rows(files: KbFiles, rows: Iterable[dict[str, str]]) -> list[Change]:
    """What importing these rows would change; unchanged entries are left out.

    Shared fields (sources, review date…) are taken from an entry's Polish row, or its first
    row when it has no Polish one. Entries absent from the sheet are kept as they are.
    """
    by_id: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        entry_id, lang = row.get("id", "").strip(), row.get("lang", "").strip()
        if not entry_id:
            continue
        if lang not in LANGUAGES:
            raise TransferError(N_("%(id)s: unknown language `%(lang)s`"), id=entry_id, lang=lang)
        by_id.setdefault(entry_id, []).append(row)
    changes = []
    for entry_id, entry_rows in by_id.items():
        before = files.get(entry_id)
        after = copy.deepcopy(before) if before else {"id": entry_id}
        shared_row = next((r for r in entry_rows if r["lang"].strip() == "pl"), entry_rows[0])
        for row in entry_rows:
            _apply_row(after, row, shared=row is shared_row)
        if before is None or changed_fields(before, after):
            changes.append(Change(entry_id, before, after, "import"))
    return changes


def changes_from_yaml(files: KbFiles, uploads: list[tuple[str, bytes]]) -> list[Change]:
    """What importing these area files (`<area>.yml`) would change, entry by entry."""
    changes = []
    for name, data in uploads:
        try:
            doc = safe_yaml.load(data.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            not_yaml = N_("%(name)s is not YAML: %(error)s")
            raise TransferError(not_yaml, name=name, error=str(exc)) from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
            raise TransferError(
                N_("%(name)s: expected a knowledge-base area file with `entries`"), name=name
            )
        for after in doc["entries"]:
            if not isinstance(after, dict) or not after.get("id"):
                raise TransferError(N_("%(name)s: every entry needs an `id`"), name=name)
            before = files.get(str(after["id"]))
            if before is None or changed_fields(before, after):
                changes.append(Change(str(after["id"]), before, after, "import"))
    return changes
