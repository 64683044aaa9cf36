"""The dialogue page: curators add intent examples (recorded) and start retraining."""

from __future__ import annotations

import shutil

from bot.settings import ROOT
from tests.bot.web.conftest import csrf_of


def test_adding_an_intent_example_from_the_console(staff_app, login, tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "data" / "nlu", project / "data" / "nlu")
    monkeypatch.setattr(staff_app.app.state.settings, "rasa_project_dir", project)
    client = login("curator")
    page = client.get("/staff/dialogue").text
    assert "human_handoff" in page and "ask_question" not in page
    response = client.post(
        "/staff/dialogue/examples",
        data={
            "csrf_token": csrf_of(page),
            "lang": "pl",
            "intent": "greet",
            "example": "witam serdecznie zespół urzędu",
        },
    )
    assert "Added to greet (pl)" in response.text
    assert "witam serdecznie zespół urzędu" in (project / "data" / "nlu" / "pl.yml").read_text(
        encoding="utf-8"
    )
    assert "nlu:pl:greet" in client.get("/staff/history").text
    again = client.post(
        "/staff/dialogue/examples",
        data={"csrf_token": csrf_of(page), "lang": "en", "intent": "greet",
              "example": "Witam serdecznie zespół urzędu"},
    )  # fmt: skip
    assert "already an example of `greet` (pl)" in again.text
