"""The dashboard page and its CSV downloads, for curators only."""

from __future__ import annotations

import re

from bot.db import QuestionLog

PL_MONTHS = "sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru"
EN_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"


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


def test_days_and_channels_are_named_in_the_console_language(staff_app, login):
    client = login("curator")
    with client.app.state.db.session() as db:
        db.add(QuestionLog(sender_id="a", lang="pl", channel="webchat", text="q", decision="answer",
                           kb_id="card.fees"))  # fmt: skip
    polish = client.get("/staff/dashboard?lang=pl").text
    # The day of the table as "pt., 27 lis 2026", the charts' labels as "27 lis".
    assert re.search(rf'<time datetime="[\d-]+">\w+\., \d+ ({PL_MONTHS}) \d{{4}}</time>', polish)
    ticks = re.findall(r'<text class="chart-tick"[^>]*>([^<]*)</text>', polish)
    assert len(ticks) == 15  # five under each of the three charts of 30 days
    assert all(re.fullmatch(rf"\d+ ({PL_MONTHS})", tick) for tick in ticks), ticks
    # A channel's column says it is one, named so that "rest" or "uk" cannot pass for it.
    assert '<th scope="col" class="channel">Kanał: czat na stronie</th>' in polish
    english = client.get("/staff/dashboard?lang=en").text
    assert re.search(rf'<time datetime="[\d-]+">\w+, ({EN_MONTHS}) \d+, \d{{4}}</time>', english)
    ticks = re.findall(r'<text class="chart-tick"[^>]*>([^<]*)</text>', english)
    assert all(re.fullmatch(rf"({EN_MONTHS}) \d+", tick) for tick in ticks), ticks
    assert "Channel: web chat</th>" in english
