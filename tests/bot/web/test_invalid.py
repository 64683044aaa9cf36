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


def test_the_apps_own_reasons_are_translated_and_nothing_else_is_shown():
    from pydantic import TypeAdapter, ValidationError

    from bot.inbound import text_problem
    from bot.web.i18n import translations
    from bot.web.invalid import VALUE_REASONS, reason
    from bot.web.schemas import Message

    own = {text_problem(value) for value in (7, "a\ud800", "a\x00")}
    assert own <= VALUE_REASONS  # a new reason in bot.inbound must be added (and translated)
    polish = translations("pl").gettext
    try:
        TypeAdapter(Message).validate_python("   ")
    except ValidationError as exc:
        [error] = exc.errors()
    assert reason(error, polish) == polish("the message is empty") != "the message is empty"
    quoted = {"type": "value_error", "ctx": {"error": ValueError("Anna Kowalska, PESEL 1234")}}
    assert reason(quoted, polish) == "nieprawidłowa wartość"
    # A limit that is not a number is not shown, nor is its placeholder.
    assert reason({"type": "greater_than_equal", "ctx": {"ge": "2026-01-01"}}, polish) == (
        "nieprawidłowa wartość"
    )
    assert reason({"type": "string_too_long", "ctx": {"max_length": 64}}, polish) == (
        "maksymalna liczba znaków: 64"
    )


def test_the_password_page_is_a_console_page_too(staff_app, login):
    client = login("admin")
    token = csrf_of(client.get("/account/password?lang=pl").text)
    refused = client.post(
        "/account/password",
        data={"csrf_token": token, "current": "c" * 300, "new": "n" * 20},
    )
    assert refused.status_code == 422 and "Żądanie odrzucone" in refused.text
    assert refused.headers["cache-control"] == "no-store"
