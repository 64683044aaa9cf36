"""The inbox: unanswered and unhelpful questions, grouped; one click makes a phrasing."""

from __future__ import annotations

import re
import time

from bot.db import Feedback, Handoff, QuestionLog
from tests.bot.web.conftest import csrf_of

QUESTION = "czy mozna przyjsc do urzedu z psem"


def _log(app, text: str, lang: str = "pl", decision: str = "no_match") -> None:
    with app.app.state.db.session() as db:
        db.add(QuestionLog(text=text, lang=lang, decision=decision, sender_id="t"))


def test_similar_messages_are_grouped_with_counts(staff_app, login):
    client = login("curator")
    _log(client, QUESTION)
    _log(client, QUESTION + "?")
    _log(client, "zupełnie inne pytanie o parking", "pl")
    _log(client, "answered one", decision="answer")
    with client.app.state.db.session() as db:
        db.add(Feedback(kb_id="card.fees", lang="en", question="not what I asked", helpful=False))
        db.add(Feedback(kb_id="card.fees", lang="en", question="great", helpful=True))
    page = client.get("/staff/inbox").text
    groups = page.split('class="card inbox-group"')[1:]
    assert len(groups) == 3
    assert "2 messages" in groups[0] and "unanswered: 2" in groups[0]
    assert "not what I asked" in page and "not helpful" in page
    assert "answered one" not in page and "great" not in page


def test_add_as_phrasing_reaches_search_and_leaves_the_inbox(staff_app, login, settings):
    client = login("curator")
    _log(client, QUESTION + " i kotem")
    _log(client, "  Czy mozna przyjsc do urzedu  z psem")  # asked again: answered by the same
    _log(client, QUESTION)  # the newest: the page's first
    page = client.get("/staff/inbox").text
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    response = client.post(
        "/staff/inbox/phrasing",
        data={"csrf_token": csrf_of(page), "key": key, "entry_id": "office.location_hours"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert QUESTION in (settings.kb_dir / "office.yml").read_text(encoding="utf-8")
    left = client.get("/staff/inbox").text
    assert QUESTION + " i kotem" in left  # another question stays
    assert QUESTION + "<" not in left and "Czy mozna przyjsc" not in left
    deadline = time.monotonic() + 20
    while (
        QUESTION not in client.app.state.search.kb.get("office.location_hours").text("pl").phrasings
    ):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    history = client.get("/staff/entries/office.location_hours/history").text
    assert "phrasing" in history and QUESTION in history


def test_a_group_can_be_dismissed(staff_app, login):
    client = login("curator")
    _log(client, QUESTION)
    _log(client, QUESTION + "!")
    page = client.get("/staff/inbox").text
    keys = re.findall(r'name="keys" value="([^"]+)"', page)
    assert len(keys) == 2
    client.post("/staff/inbox/dismiss", data={"csrf_token": csrf_of(page), "keys": keys})
    assert "Nothing to review" in client.get("/staff/inbox").text


def test_questions_that_led_to_a_handoff_are_in_the_inbox(staff_app, login):
    client = login("curator")
    with client.app.state.db.session() as db:
        db.add(Handoff(sender_id="h", channel="rest", lang="uk", state="queued",
                       question="хочу поговорити про свою справу"))  # fmt: skip
    page = client.get("/staff/inbox").text
    assert "хочу поговорити про свою справу" in page and "handoff: 1" in page


def test_a_new_entry_can_start_from_an_inbox_message(staff_app, login):
    client = login("curator")
    _log(client, QUESTION, lang="pl")
    page = client.get("/staff/inbox").text
    link = re.search(r'href="(/staff/entries/new\?[^"]+)"', page).group(1).replace("&amp;", "&")
    editor = client.get(link).text
    phrasings = re.search(r'id="f-pl-phrasings"[^>]*>([^<]*)</textarea>', editor).group(1)
    assert phrasings == QUESTION


def test_a_phrasing_another_entry_has_is_refused_with_the_reason(staff_app, login):
    client = login("curator")
    _log(client, "odbiór karty pobytu")  # already a phrasing of card.pickup
    page = client.get("/staff/inbox").text
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)
    response = client.post(
        "/staff/inbox/phrasing",
        data={"csrf_token": csrf_of(page), "key": key, "entry_id": "office.location_hours"},
    )
    assert "Not added" in response.text and "duplicated phrasing" in response.text
    assert '<q lang="pl">odbiór karty pobytu</q>' in response.text  # still in the inbox
