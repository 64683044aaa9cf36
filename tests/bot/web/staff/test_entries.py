"""The staff console's editor over the real app: saving reaches search, history, revert, flags."""

from __future__ import annotations

import re
import time
from html import unescape

import yaml

from tests.bot.web.conftest import csrf_of

UK_FEES = "/staff/entries/card.fees"
INPUT_RE = re.compile(r'<input id="f-[^"]*" name="([^"]+)"[^>]*? value="([^"]*)"')
TEXTAREA_RE = re.compile(r'<textarea id="f-[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>')


def _fields(client, path=UK_FEES) -> dict[str, object]:
    """The editor's form as the browser would submit it unchanged."""
    html = client.get(path).text
    data: dict[str, object] = {"csrf_token": csrf_of(html)}
    for name, value in INPUT_RE.findall(html):
        data[name] = unescape(value)
    for name, value in TEXTAREA_RE.findall(html):
        data[name] = unescape(value)
    base = re.search(r'name="base" value="([^"]*)"', html)
    assert base
    data["base"] = base.group(1)
    data["audience"] = re.findall(r'name="audience" value="([^"]+)" checked', html)
    return data


def _wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def _answer(app, entry_id: str, lang: str) -> str:
    return app.app.state.search.kb.get(entry_id).text(lang).answer


def test_the_console_needs_a_login_and_a_curator(staff_app, login):
    response = staff_app.get("/staff/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert staff_app.get("/staff/api/preview?text=x").status_code == 401
    login("consultant")
    assert staff_app.get("/staff/").status_code == 403
    assert staff_app.get(UK_FEES).status_code == 403


def test_a_ukrainian_edit_reaches_search_is_recorded_and_reverts(staff_app, login, settings):
    client = login("curator")
    old = _answer(client, "card.fees", "uk")
    data = _fields(client)
    source = data["sources"]
    assert isinstance(source, str)
    new = f"Нова відповідь про оплату картки.\n\n{source.splitlines()[0]}"
    data["uk.answer"] = new
    response = client.post("/staff/entries", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    on_disk = yaml.safe_load((settings.kb_dir / "card.yml").read_text(encoding="utf-8"))
    saved = next(e for e in on_disk["entries"] if e["id"] == "card.fees")
    assert saved["uk"]["answer"].strip() == new
    _wait_for(lambda: _answer(client, "card.fees", "uk") == new)

    history = client.get("/staff/entries/card.fees/history").text
    assert "curator" in history and "uk.answer" in history and "Нова відповідь" in history
    revision = int(history.split('action="/staff/revisions/')[1].split("/")[0])
    reverted = client.post(
        f"/staff/revisions/{revision}/revert",
        data={"csrf_token": csrf_of(history)},
        follow_redirects=False,
    )
    assert reverted.status_code == 303
    _wait_for(lambda: _answer(client, "card.fees", "uk") == old)


def test_a_polish_answer_change_flags_the_other_languages_until_confirmed(staff_app, login):
    client = login("curator")
    data = _fields(client)
    data["pl.answer"] = "Uwaga: " + str(data["pl.answer"])
    data["en.answer"] = str(data["en.answer"]) + " "  # unchanged after stripping
    assert client.post("/staff/entries", data=data, follow_redirects=False).status_code == 303
    page = client.get(UK_FEES).text
    assert page.count("needs translation review") == 3
    listing = client.get("/staff/?needs_review=true").text
    assert "card.fees" in listing and "card.loss" not in listing

    confirmed = client.post(
        "/staff/entries/card.fees/confirm/uk", data={"csrf_token": csrf_of(page)},
        follow_redirects=False,
    )  # fmt: skip
    assert confirmed.status_code == 303
    assert client.get(UK_FEES).text.count("needs translation review") == 2

    data = _fields(client)
    data["en.answer"] = "Updated.\n\n" + str(data["en.answer"])
    client.post("/staff/entries", data=data, follow_redirects=False)
    page = client.get(UK_FEES).text
    assert page.count("needs translation review") == 1 and 'id="h-ru"' in page


def test_an_invalid_edit_is_shown_next_to_its_field_and_not_saved(staff_app, login, settings):
    client = login("curator")
    before = (settings.kb_dir / "card.yml").read_bytes()
    data = _fields(client)
    data["ru.answer"] = "Без ссылки"
    data["en.phrasings"] = "only one"
    response = client.post("/staff/entries", data=data)
    assert response.status_code == 422
    assert 'id="err-ru-answer"' in response.text and "source URL" in response.text
    assert 'id="err-en-phrasings"' in response.text and "too few phrasings" in response.text
    assert (settings.kb_dir / "card.yml").read_bytes() == before


def test_a_form_post_without_the_csrf_token_is_refused(staff_app, login):
    client = login("curator")
    data = _fields(client)
    del data["csrf_token"]
    assert client.post("/staff/entries", data=data).status_code == 403


def test_a_stale_editor_cannot_overwrite_a_newer_change(staff_app, login):
    client = login("curator")
    first, second = _fields(client), _fields(client)
    first["uk.title"] = "Перша зміна"
    second["uk.title"] = "Друга зміна"
    assert client.post("/staff/entries", data=first, follow_redirects=False).status_code == 303
    assert client.post("/staff/entries", data=second).status_code == 409


def test_create_and_retire_an_entry(staff_app, login, settings):
    client = login("curator")
    data = _fields(client)
    data["base"] = ""
    data["id"] = "card.test_new"
    for lang in ("pl", "en", "uk", "ru"):
        data[f"{lang}.phrasings"] = "\n".join(f"unikalne pytanie {lang} {i}" for i in range(6))
    response = client.post("/staff/entries", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    _wait_for(lambda: client.app.state.search.kb.get("card.test_new") is not None)
    page = client.get("/staff/entries/card.test_new").text
    retired = client.post(
        "/staff/entries/card.test_new/retire", data={"csrf_token": csrf_of(page)},
        follow_redirects=False,
    )  # fmt: skip
    assert retired.status_code == 303
    _wait_for(lambda: client.app.state.search.kb.get("card.test_new") is None)
    assert "card.test_new" not in (settings.kb_dir / "card.yml").read_text(encoding="utf-8")


def test_preview_shows_the_decision_and_scored_candidates(staff_app, login):
    client = login("curator")
    body = client.get("/staff/api/preview", params={"text": "Ile kosztuje karta pobytu?"}).json()
    assert body["decision"] in {"answer", "clarify"}
    assert body["candidates"][0]["id"] == "card.fees" and body["candidates"][0]["score"] > 0
    assert body["lang"] == "pl"


def test_the_list_shows_review_dates_in_the_console_language(staff_app, login):
    client = login("curator")
    data = _fields(client)
    data["reviewed"] = "2026-03-05"
    assert client.post("/staff/entries", data=data, follow_redirects=False).status_code == 303
    polish = client.get("/staff/?lang=pl").text
    assert '<time datetime="2026-03-05">5 mar 2026</time>' in polish
    english = client.get("/staff/?lang=en").text
    assert '<time datetime="2026-03-05">Mar 5, 2026</time>' in english
