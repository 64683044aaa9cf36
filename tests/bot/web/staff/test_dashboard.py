"""The dashboard page and its CSV downloads, for curators only."""

from __future__ import annotations

from bot.db import QuestionLog


def test_dashboard_shows_rates_charts_and_csv(staff_app, login):
    client = login("curator")
    with client.app.state.db.session() as db:
        db.add(QuestionLog(sender_id="a", lang="uk", channel="rest", text="q", decision="answer",
                           kb_id="card.fees"))  # fmt: skip
        db.add(QuestionLog(sender_id="a", lang="uk", channel="rest", text="q", decision="no_match"))
    page = client.get("/staff/dashboard").text
    assert "50.0 %" in page and "<svg" in page and "card.fees" in page
    daily = client.get("/staff/dashboard/daily.csv?days=7")
    assert daily.headers["content-type"].startswith("text/csv")
    assert len(daily.text.splitlines()) == 8
    assert "card.fees,1,0,0," in client.get("/staff/dashboard/entries.csv").text


def test_consultants_do_not_see_the_dashboard(staff_app, login):
    login("consultant")
    assert staff_app.get("/staff/dashboard").status_code == 403
