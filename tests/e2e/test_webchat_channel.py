"""The web chat's socket.io channel (connectors/webchat.py) with a real socket.io client."""

from __future__ import annotations

import queue

import pytest
import socketio

from tests.e2e.chat import response_text

pytestmark = pytest.mark.e2e


class WebChatClient:
    """A socket.io client speaking the widget's protocol."""

    def __init__(self, url: str, session_id: str | None = None):
        self.inbox: queue.Queue[dict] = queue.Queue()
        self.confirmed: queue.Queue[str] = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", self.inbox.put)
        self.sio.on("session_confirm", self.confirmed.put)
        self.sio.connect(url, transports=["websocket"], socketio_path="/socket.io")
        # The server issues session ids; one it issued before is confirmed as it is.
        self.sio.emit("session_request", {"session_id": session_id})
        self.session_id = self.confirmed.get(timeout=10)
        assert session_id is None or self.session_id == session_id

    def say(self, text: str, lang: str | None = None) -> None:
        metadata = {"language": lang} if lang else {}
        self.sio.emit(
            "user_uttered", {"message": text, "session_id": self.session_id, "metadata": metadata}
        )

    def replies(self, until: str, timeout: float = 30) -> list[dict]:
        """Messages up to and including the first one containing key `until`."""
        out = []
        while True:
            message = self.inbox.get(timeout=timeout)
            out.append(message)
            if until in message:
                return out

    def close(self) -> None:
        self.sio.disconnect()


def test_answer_arrives_with_buttons_and_a_hidden_payload(stack):
    client = WebChatClient(stack.config.rasa_url)
    try:
        client.say("скільки коштує карта побиту?", lang="uk")
        messages = client.replies(until="quick_replies")
        assert {"kb_id": "card.fees"} in [m.get("custom") for m in messages]
        answer = next(m["text"] for m in messages if "100" in m.get("text", ""))
        assert "https://mos.cudzoziemcy.gov.pl" in answer
        # One bubble per answer: the channel does not cut texts at blank lines.
        assert "\n\n" in answer or len(answer) > 200
        buttons = messages[-1]["quick_replies"]
        assert [b["payload"] for b in buttons] == [
            '/feedback{"helpful": "yes"}',
            '/feedback{"helpful": "no"}',
        ]
    finally:
        client.close()


def test_a_reconnected_session_keeps_its_conversation(stack, domain):
    first = WebChatClient(stack.config.rasa_url)
    first.say("in English please")
    first.replies(until="text")
    first.close()
    again = WebChatClient(stack.config.rasa_url, session_id=first.session_id)
    try:
        again.say("Ile kosztuje karta pobytu?")
        messages = again.replies(until="quick_replies")
        assert {"kb_id": "card.fees"} in [m.get("custom") for m in messages]
        assert messages[-1]["text"] == response_text(domain, "utter_ask_helpful", "en")
    finally:
        again.close()


def test_malformed_events_are_ignored_and_the_server_keeps_serving(stack):
    client = WebChatClient(stack.config.rasa_url)
    try:
        client.sio.emit("user_uttered", "not a dict")
        client.sio.emit("user_uttered", {"message": 42, "session_id": client.session_id})
        client.say("Cześć")
        assert client.replies(until="text")
    finally:
        client.close()
