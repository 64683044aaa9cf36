"""The consultant console's API: login, roles, the queue, claims, replies and the pump."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select, update

from bot.db import HandoffMessage
from bot.handoff.pump import HandoffPump
from bot.handoff.rasa_client import RasaError
from tests.bot.web.conftest import csrf_of


class RecordingRasa:
    """Stands in for the Rasa server's API (the e2e tests use the real one)."""

    def __init__(self) -> None:
        self.appended: list[tuple[str, list[dict]]] = []

    async def append(self, sender_id: str, events: list[dict]) -> None:
        self.appended.append((sender_id, events))

    async def events(self, sender_id: str) -> list[dict]:
        return []


def _start(client, lang="uk"):
    sender = f"s-{uuid.uuid4().hex}"
    body = {"sender_id": sender, "lang": lang, "question": "Хочу поговорити з консультантом"}
    return sender, client.post("/api/handoffs", json=body).json()


def _online(client) -> dict[str, str]:
    """Say the consultant is available, as the console's checkbox does; the CSRF header."""
    headers = {"X-CSRF-Token": csrf_of(client.get("/consultant/").text)}
    response = client.post("/consultant/api/presence", json={"available": True}, headers=headers)
    assert response.json() == {"available": True}
    return headers


def test_reading_the_console_does_not_bring_a_consultant_online(staff_app, login):
    client = login("consultant")  # speaks uk and ru; nobody else is online
    state = client.get("/consultant/api/state").json()
    assert state["me"]["available"] is False
    assert _start(client, "uk")[1]["state"] == "ticket_draft"
    _online(client)
    assert client.get("/consultant/api/state").json()["me"]["available"] is True
    assert _start(client, "uk")[1]["state"] == "queued"


def test_console_needs_a_consultant_login(staff_app, login):
    page = staff_app.get("/consultant/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert staff_app.get("/consultant/api/state").status_code == 401
    login("curator")
    assert staff_app.get("/consultant/").status_code == 403


def test_queue_claim_reply_and_hand_back(staff_app, login):
    client = login("consultant")
    headers = _online(client)
    sender, started = _start(client, "uk")
    assert started["state"] == "queued"
    state = client.get("/consultant/api/state").json()
    [queued] = [h for h in state["queue"] if h["id"]]
    assert queued["lang"] == "uk" and queued["question"].startswith("Хочу")
    hid = queued["id"]
    assert client.post(f"/consultant/api/conversations/{hid}/claim").status_code == 403  # no CSRF
    assert client.post(f"/consultant/api/conversations/{hid}/claim", headers=headers).is_success
    again = client.post(f"/consultant/api/conversations/{hid}/claim", headers=headers)
    assert again.status_code == 409 and "already taken" in again.json()["detail"]
    polish = {**headers, "Accept-Language": "pl"}  # a refusal in the console's language
    again = client.post(f"/consultant/api/conversations/{hid}/claim", headers=polish)
    assert again.json()["detail"] == "rozmowę przejął już consultant"
    sent = client.post(
        f"/consultant/api/conversations/{hid}/messages",
        json={"text": "<b>Вітаю!</b>"},
        headers=headers,
    )
    assert sent.status_code == 201
    lines = client.get(f"/consultant/api/state?conversation={hid}").json()["conversation"]["lines"]
    [notice] = [x for x in lines if x["author"] == "notice"]
    assert notice["text"].startswith("До розмови приєднався")  # rendered, in the user's language
    client.post(f"/consultant/api/conversations/{hid}/handback", json={}, headers=headers)

    rasa = RecordingRasa()
    app = client.app
    pump = HandoffPump(app.state.db, rasa, app.state.domain, app.state.hours, 600)  # type: ignore[arg-type]
    asyncio.run(pump.step())
    [(to, events)] = rasa.appended
    assert to == sender
    texts = [e.get("text") for e in events if e["event"] == "bot"]
    # Signed (this consultant has no display name), escaped by each channel, never interpreted.
    assert texts[1] == "**Консультант INFO.OPT:**\n<b>Вітаю!</b>"
    assert "консультант" in texts[0].lower()
    assert events[-1] == {**events[-1], "event": "slot", "name": "handoff_state", "value": None}
    asyncio.run(pump.step())
    assert len(rasa.appended) == 1  # delivered lines are not sent twice


def test_language_filter_hides_other_languages_unless_asked(staff_app, login):
    client = login("consultant")  # speaks uk and ru
    _online(client)
    _start(client, "uk")
    login("admin")  # present too, speaks Polish, so a Polish conversation is queued
    _online(staff_app)
    _start(staff_app, "pl")
    login("consultant")
    mine = staff_app.get("/consultant/api/state").json()["queue"]
    everything = staff_app.get("/consultant/api/state?all_languages=true").json()["queue"]
    assert {h["lang"] for h in mine} == {"uk"}
    assert {h["lang"] for h in everything} == {"uk", "pl"}


class RefusingRasa(RecordingRasa):
    """Rasa refusing one conversation's events."""

    def __init__(self, refused: str) -> None:
        super().__init__()
        self.refused = refused

    async def append(self, sender_id: str, events: list[dict]) -> None:
        if sender_id == self.refused:
            raise RasaError("400 Bad Request")
        await super().append(sender_id, events)


def test_a_conversation_rasa_refuses_does_not_hold_up_the_others(staff_app, login):
    client = login("consultant")
    headers = _online(client)
    senders = [_start(client, "uk")[0], _start(client, "ru")[0]]
    for handoff in client.get("/consultant/api/state").json()["queue"]:
        client.post(f"/consultant/api/conversations/{handoff['id']}/claim", headers=headers)
    app = client.app
    rasa = RefusingRasa(refused=senders[0])
    pump = HandoffPump(app.state.db, rasa, app.state.domain, app.state.hours, 600)  # type: ignore[arg-type]
    asyncio.run(pump.step())
    assert [sender for sender, _ in rasa.appended] == [senders[1]]
    rasa.refused = ""
    asyncio.run(pump.step())  # the refused notice is still due, and is sent once Rasa takes it
    assert [sender for sender, _ in rasa.appended] == [senders[1], senders[0]]


class RememberingRasa(RecordingRasa):
    """A tracker that keeps what was appended, as Rasa's does."""

    async def events(self, sender_id: str) -> list[dict]:
        return [e for to, events in self.appended if to == sender_id for e in events]


def test_a_line_rasa_already_took_is_not_sent_again(staff_app, login):
    client = login("consultant")
    headers = _online(client)
    _start(client, "uk")
    [handoff] = [h for h in client.get("/consultant/api/state").json()["queue"] if h["id"]]
    client.post(f"/consultant/api/conversations/{handoff['id']}/claim", headers=headers)
    app = client.app
    rasa = RememberingRasa()
    pump = HandoffPump(app.state.db, rasa, app.state.domain, app.state.hours, 600)  # type: ignore[arg-type]
    asyncio.run(pump.step())
    assert len(rasa.appended) == 1
    # A web app died after Rasa took the notice but before marking it delivered.
    with app.state.db.session() as db:
        db.execute(update(HandoffMessage).values(delivered=False))
    client.post(
        f"/consultant/api/conversations/{handoff['id']}/messages",
        json={"text": "Вітаю"},
        headers=headers,
    )
    asyncio.run(pump.step())
    texts = [e.get("text") for _, events in rasa.appended for e in events if e["event"] == "bot"]
    assert len(texts) == 2 and texts[1].endswith("\nВітаю")  # the notice once, then the line
    with app.state.db.session() as db:
        assert all(db.scalars(select(HandoffMessage.delivered)))
