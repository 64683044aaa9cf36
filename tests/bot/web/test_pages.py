"""The demo page and the widget's files."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from bot.inbound import MAX_MESSAGE_CHARS
from bot.search.service import SearchService
from bot.web.app import create_app
from tests.fakes import FakeEncoder


@pytest.fixture
def client(settings, tmp_path):
    settings = settings.model_copy(
        update={
            "database_url": f"sqlite:///{tmp_path / 'faq.db'}",
            "rasa_public_url": 'https://rasa.example.org/"x',
        }
    )
    with TestClient(create_app(settings, SearchService(settings, encoder=FakeEncoder()))) as c:
        yield c


def test_demo_page_embeds_the_widget_with_the_configured_server(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'data-server="https://rasa.example.org/&quot;x"' in page.text
    assert '<script src="/static/widget.js"' in page.text


def test_widget_and_socket_io_client_are_served_locally(client):
    widget = client.get("/static/widget.js")
    assert widget.status_code == 200
    assert "javascript" in widget.headers["content-type"]
    assert "user_uttered" in widget.text
    vendor = client.get("/static/vendor/socket.io.min.js")
    assert vendor.status_code == 200
    assert "Socket.IO" in vendor.text[:300]


def test_every_part_the_widget_loads_is_served_as_a_script(client):
    widget = client.get("/static/widget.js").text
    parts = re.search(r"const PARTS = \[([^\]]*)\]", widget)
    assert parts
    names = re.findall(r'"([^"]+\.js)"', parts[1])
    assert "format.js" in names and "widget-config.js" in names
    for name in names:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert "javascript" in response.headers["content-type"], name


def test_the_widget_takes_its_message_limit_from_the_server(client):
    config = client.get("/static/widget-config.js").text
    assert re.search(rf'"maxChars": {MAX_MESSAGE_CHARS}\b', config)
    # No second copy of the number in the widget's own files.
    assert str(MAX_MESSAGE_CHARS) not in client.get("/static/widget-strings.js").text
    widget = client.get("/static/widget.js").text
    assert "MAX_CHARS = parts.widgetConfig.maxChars" in widget
    assert not re.search(r"MAX_CHARS = \d", widget)
