"""The staff console's finder page: texts edited in four languages, validated, previewed."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from bot.finder.usage import record
from bot.settings import ROOT
from tests.bot.web.conftest import csrf_of


@pytest.fixture
def settings(settings, tmp_path):
    copy = tmp_path / "finder.yml"
    shutil.copy(ROOT / "data" / "finder.yml", copy)
    return settings.model_copy(update={"finder_file": copy})


def form_of(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'name="([^"]+\|[^"]*\|[a-z]{2})" value="([^"]*)"', html))
    return {**fields, "csrf_token": csrf_of(html)}


def test_a_curator_edits_a_text_and_the_bot_asks_it_at_once(staff_app, login):
    client = login("curator")
    page = client.get("/staff/finder")
    assert page.status_code == 200 and 'id="finder-valid"' in page.text
    form = form_of(page.text)
    assert form["purpose||uk"] == "Яка основна мета вашого перебування в Польщі?"
    form["purpose||uk"] = "Навіщо ви в Польщі?"
    saved = client.post("/staff/finder", data=form, follow_redirects=False)
    assert saved.status_code == 303
    path = client.app.state.settings.finder_file
    assert path.read_text(encoding="utf-8").startswith("# The guided permit finder")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["questions"]["purpose"]["text"]["uk"] == "Навіщо ви в Польщі?"
    step = client.post("/api/finder/step", json={"sender_id": "s", "lang": "uk", "start": True})
    assert step.json()["question"]["text"] == "Навіщо ви в Польщі?"


def test_an_emptied_translation_is_refused_and_nothing_is_saved(staff_app, login):
    client = login("curator")
    path = client.app.state.settings.finder_file
    before = path.read_text(encoding="utf-8")
    form = form_of(client.get("/staff/finder").text)
    form["years|five_or_more|ru"] = " "
    refused = client.post("/staff/finder", data=form)
    assert refused.status_code == 422
    assert "question years, option five_or_more, its label: missing the ru text" in refused.text
    assert path.read_text(encoding="utf-8") == before
    client.get("/staff/finder?lang=pl")  # the choice is remembered
    refused = client.post("/staff/finder", data=form)
    assert "pytanie years, opcja five_or_more, jej etykieta: brak tekstu ru" in refused.text
    assert path.read_text(encoding="utf-8") == before


def test_preview_walks_a_path_to_its_entries_and_the_dashboard_counts_runs(staff_app, login):
    client = login("curator")
    page = client.get("/staff/finder?path=ukraine,cukr").text
    assert re.search(r'id="finder-result">.*ukr\.cukr', page, re.S)
    with client.app.state.db.session() as db:
        record(db, "a", "rest", "uk", "started")
        record(db, "a", "rest", "uk", "asked", question="ukr_status")
    dashboard = client.get("/staff/dashboard?lang=en").text
    assert "Started: 1 · finished: 0 · abandoned: 1" in dashboard
    assert "<td>ukr_status</td><td>1</td>" in dashboard


def test_consultants_cannot_edit_the_finder(staff_app, login):
    login("consultant")
    assert staff_app.get("/staff/finder").status_code == 403
