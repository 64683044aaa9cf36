"""Spreadsheet and YAML round trips: export, change one cell, preview exactly that, apply."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from html import unescape

import pytest
from openpyxl import load_workbook

from tests.bot.web.conftest import csrf_of

NEW_TITLE = "Скільки коштує карта побиту — оновлено"


def _preview(client, name: str, data: bytes, mime: str):
    page = client.get("/staff/transfer").text
    return client.post(
        "/staff/transfer/preview",
        data={"csrf_token": csrf_of(page)},
        files={"files": (name, data, mime)},
    )


def _apply(client, preview_html: str):
    payload = unescape(re.search(r'name="payload" value="([^"]*)"', preview_html).group(1))
    return client.post(
        "/staff/transfer/apply",
        data={"csrf_token": csrf_of(preview_html), "payload": payload},
        follow_redirects=False,
    )


def _csv_with(body: bytes, entry_id: str, lang: str, column: str, value: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    for row in rows:
        if row["id"] == entry_id and row["lang"] == lang:
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_an_unchanged_export_imports_as_no_change(staff_app, login):
    client = login("curator")
    for kind, mime in (("csv", "text/csv"), ("xlsx", "application/octet-stream")):
        body = client.get(f"/staff/transfer/export.{kind}").content
        preview = _preview(client, f"kb.{kind}", body, mime)
        assert preview.status_code == 200 and 'id="no-changes"' in preview.text, kind


def test_csv_round_trip_previews_exactly_the_changed_cell(staff_app, login, settings):
    client = login("curator")
    exported = client.get("/staff/transfer/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    changed = _csv_with(exported.content, "card.fees", "uk", "title", NEW_TITLE)
    preview = _preview(client, "kb.csv", changed, "text/csv")
    assert preview.status_code == 200, preview.text
    assert "1 entry would change" in preview.text
    assert re.findall(r'class="d-field">([^<]+)<', preview.text) == ["uk.title"]
    assert NEW_TITLE in preview.text
    assert NEW_TITLE not in (settings.kb_dir / "card.yml").read_text(encoding="utf-8")
    assert _apply(client, preview.text).status_code == 303
    assert NEW_TITLE in (settings.kb_dir / "card.yml").read_text(encoding="utf-8")
    assert "import" in client.get("/staff/entries/card.fees/history").text


def test_xlsx_round_trip(staff_app, login):
    client = login("curator")
    book = load_workbook(io.BytesIO(client.get("/staff/transfer/export.xlsx").content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "card.fees" and row[header.index("lang")].value == "uk":
            row[header.index("title")].value = NEW_TITLE
    out = io.BytesIO()
    book.save(out)
    preview = _preview(client, "kb.xlsx", out.getvalue(), "application/octet-stream")
    assert re.findall(r'class="d-field">([^<]+)<', preview.text) == ["uk.title"]
    assert _apply(client, preview.text).status_code == 303
    assert client.app.state.kb_store.get("card.fees")["uk"]["title"] == NEW_TITLE


def test_an_invalid_import_shows_its_problems_and_cannot_be_applied(staff_app, login):
    client = login("curator")
    body = client.get("/staff/transfer/export.csv").content
    preview = _preview(
        client, "kb.csv", _csv_with(body, "card.fees", "ru", "answer", "x"), "text/csv"
    )
    assert preview.status_code == 422
    assert "source URL" in preview.text and 'name="payload"' not in preview.text


@pytest.mark.parametrize("name", ["card.yml"])
def test_yaml_export_and_import(staff_app, login, name):
    client = login("curator")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/staff/transfer/export.zip").content))
    text = archive.read(f"kb/{name}").decode("utf-8")
    assert 'id="no-changes"' in _preview(client, name, text.encode(), "text/yaml").text
    edited = text.replace("Opłata za kartę pobytu", "Opłata za kartę pobytu (2026)", 1)
    preview = _preview(client, name, edited.encode(), "text/yaml")
    assert re.findall(r'class="d-field">([^<]+)<', preview.text) == ["pl.title"]
