"""Consultants read only the transcripts that are theirs to handle.

The attack: any consultant could read any conversation by counting through
`/consultant/api/state?conversation=N`. Allowed: their own, those waiting for a consultant
in their languages, and every one for admins.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.auth import create_user
from bot.db import Handoff, HandoffMessage, User
from tests.bot.web.conftest import PASSWORD, login, staff_app  # noqa: F401 - fixtures


def _handoff(app, lang: str, state: str, consultant: str | None = None) -> int:
    """A conversation with one user line, in `state`, claimed by `consultant` if given."""
    with app.state.db.session() as db:
        owner = db.scalar(select(User.id).where(User.username == consultant))
        handoff = Handoff(
            sender_id=f"s-{lang}-{state}-{consultant}", lang=lang, state=state, consultant_id=owner
        )
        db.add(handoff)
        db.flush()
        db.add(HandoffMessage(handoff_id=handoff.id, author="user", text="my residence card"))
        return handoff.id


def _reads(client, handoff_id: int) -> bool:
    response = client.get(f"/consultant/api/state?conversation={handoff_id}")
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200 and response.json()["conversation"]["id"] == handoff_id


def test_consultants_read_their_own_and_waiting_ones_in_their_languages(staff_app, login):  # noqa: F811
    app = staff_app.app
    with app.state.db.session() as db:
        create_user(db, "other", PASSWORD, "consultant", "uk,ru")
    own_active = _handoff(app, "uk", "active", "consultant")
    own_closed = _handoff(app, "pl", "closed", "consultant")
    queued_uk = _handoff(app, "uk", "queued")
    ticket_ru = _handoff(app, "ru", "ticket")
    queued_pl = _handoff(app, "pl", "queued")
    others_active = _handoff(app, "uk", "active", "other")
    others_closed = _handoff(app, "ru", "closed", "other")

    client = login("consultant")  # works in uk and ru
    for allowed in (own_active, own_closed, queued_uk, ticket_ru):
        assert _reads(client, allowed), allowed
    for refused in (queued_pl, others_active, others_closed):
        assert not _reads(client, refused), refused

    client.cookies.clear()
    admin = login("admin")
    for handoff_id in (queued_pl, others_active, others_closed, own_closed):
        assert _reads(admin, handoff_id), handoff_id
