"""The finder's step API (the action server's side) and the public printable checklist."""

from __future__ import annotations

from bot.finder.usage import summarise


def step(client, **body):
    response = client.post("/api/finder/step", json={"sender_id": "s1", "lang": "uk", **body})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_walk_by_buttons_and_typed_answers_ends_in_a_checklist(staff_app):
    first = step(staff_app, start=True)
    assert first["question"]["id"] == "purpose" and first["question"]["number"] == 1
    assert first["question"]["text"] == "Яка основна мета вашого перебування в Польщі?"
    assert {o["id"] for o in first["question"]["options"]} >= {"work", "study", "ukraine"}

    second = step(staff_app, answers=[], choice="purpose:work")
    assert second["answers"] == ["work"] and second["question"]["id"] == "work_citizenship"

    typed = step(staff_app, answers=second["answers"], text="інше громадянство")
    assert typed["matched"] and typed["question"]["id"] == "work_kind"

    free = step(staff_app, answers=typed["answers"], text="скільки коштує карта побиту?")
    assert not free["matched"] and free["answers"] == typed["answers"]

    done = step(staff_app, answers=typed["answers"], choice="work_kind:company")
    assert done["question"] is None
    assert done["result"]["entries"][0] == "trp.business"
    assert [i["id"] for i in done["result"]["items"]] == done["result"]["entries"]
    assert done["result"]["url"].startswith("http://testserver/finder/checklist?lang=uk&entries=")

    page = staff_app.get(done["result"]["url"].removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "Ваш чек-лист – INFO.OPT" in page.text
    assert "INFO.OPT може перевірити вашу індивідуальну ситуацію" in page.text
    assert '<link rel="stylesheet" href="/static/checklist.css">' in page.text
    assert "@media print" in staff_app.get("/static/checklist.css").text
    assert 'id="trp.business"' in page.text

    with staff_app.app.state.db.session() as db:
        usage = summarise(db)
    assert usage.started == 1 and usage.finished == 1
    assert usage.results[",".join(done["result"]["entries"])] == 1


def test_an_unfinished_run_counts_as_abandoned_at_its_last_question(staff_app):
    step(staff_app, start=True)
    step(staff_app, answers=[], choice="purpose:long_term")
    step(staff_app, start=True, sender_id="s2")
    with staff_app.app.state.db.session() as db:
        usage = summarise(db)
    assert usage.started == 2 and usage.finished == 0
    assert usage.abandoned_at == {"years": 1, "purpose": 1}


def test_the_checklist_page_refuses_unknown_entries_and_the_api_needs_the_token(staff_app):
    assert staff_app.get("/finder/checklist?lang=en&entries=no.such").status_code == 404
    assert staff_app.get("/finder/checklist?lang=xx&entries=trp.work").status_code == 422
    app = staff_app.app
    app.state.settings = app.state.settings.model_copy(update={"internal_token": "t"})
    refused = staff_app.post("/api/finder/step", json={"sender_id": "s", "start": True})
    assert refused.status_code == 403
