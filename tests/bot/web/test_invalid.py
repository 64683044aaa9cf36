"""A request that does not fit its route: the reason without the input; on the consoles in the
staff member's language, and as a page where a console page was asked for."""

from __future__ import annotations

from tests.bot.web.conftest import csrf_of


def test_a_console_page_refuses_a_form_with_a_page_in_the_console_language(staff_app, login):
    client = login("admin")
    token = csrf_of(client.get("/staff/users?lang=pl").text)  # the choice is remembered
    secret = "s3cret-" + "x" * 80
    refused = client.post(
        "/staff/users",
        data={"csrf_token": token, "username": secret, "password": "y" * 12, "role": "curator"},
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    assert "Żądanie odrzucone" in refused.text and 'role="alert"' in refused.text
    assert "<code>username</code>: maksymalna liczba znaków: 64" in refused.text
    assert secret not in refused.text


def test_the_consultant_api_refuses_in_the_console_language(staff_app, login):
    client = login("consultant")
    page = client.get("/consultant/?lang=pl").text
    headers = {"X-CSRF-Token": csrf_of(page)}
    refused = client.post("/consultant/api/presence", json={"available": "maybe"}, headers=headers)
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error == {"loc": ["body", "available"], "msg": "oczekiwano odpowiedzi tak lub nie"}
    client.get("/consultant/?lang=en")
    english = client.post("/consultant/api/presence", json={"available": "maybe"}, headers=headers)
    assert english.json()["detail"][0]["msg"] == "yes or no expected"


def test_other_clients_get_the_english_reason_and_never_their_input(staff_app):
    text = "x" * 5000
    refused = staff_app.get("/api/widget/topics", params={"lang": text})
    assert refused.status_code == 422
    body = refused.text
    assert "xxxxx" not in body and refused.json()["detail"][0]["msg"]
