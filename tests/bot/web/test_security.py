"""Role checks at the edge: a page for people, JSON for scripts."""

from __future__ import annotations


def test_a_wrong_role_gets_a_page_in_the_console_language(login) -> None:
    client = login("consultant")
    page = client.get("/staff/", headers={"Accept-Language": "pl"})
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "Brak dostępu" in page.text and 'href="/consultant/"' in page.text
    assert 'href="/staff/"' not in page.text  # no link to where the role may not go
    api = client.get("/staff/api/preview?text=x")
    assert api.status_code == 403 and api.json() == {"detail": "your role does not allow this"}
    client.get("/consultant/?lang=pl")  # the console's language, remembered
    api = client.get("/staff/api/preview?text=x")
    assert api.json() == {"detail": "twoja rola na to nie pozwala"}
