"""Outside working hours a handoff becomes a ticket, answered by e-mail (issue #6).

Its own stack: working hours `never` and an SMTP sink on a free port.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.e2e.chat import Chat, customs, response_text, texts
from tests.e2e.conftest import create_staff
from tests.e2e.consultant import Consultant
from tools.devstack import Stack, StackConfig, free_port

pytestmark = pytest.mark.e2e


class Sink:
    """An SMTP server that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Sink, int]]:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture(scope="module")
def closed_office(rasa_model, tmp_path_factory, smtp) -> Iterator[Stack]:
    _, port = smtp
    config = StackConfig.ephemeral(
        tmp_path_factory.mktemp("closed"),
        extra_env={"FAQ_HANDOFF_HOURS": "never", "FAQ_SMTP_HOST": "127.0.0.1",
                   "FAQ_SMTP_PORT": str(port), "FAQ_MAIL_FROM": "info.opt@example.org"},
    )  # fmt: skip
    with Stack(config, rasa_model).running() as stack:
        create_staff(stack.config.db_url)
        yield stack


def test_outside_hours_a_message_and_address_become_a_ticket_answered_by_email(
    closed_office, smtp, domain
):
    sink, _ = smtp
    consultant = Consultant(closed_office.config.web_url, "consultant")
    chat = Chat(closed_office.config.rasa_url)
    started = chat.say("Chcę porozmawiać z konsultantem")
    assert {"handoff": "ticket"} in customs(started)
    assert response_text(domain, "utter_handoff_unavailable", "pl").split("(")[0] in texts(started)
    asked = chat.say("Złożyłam wniosek w marcu. Kiedy mogę spodziewać się decyzji?")
    assert response_text(domain, "utter_ticket_ask_email", "pl") in texts(asked)
    done = chat.say("maria.k@example.com")
    assert response_text(domain, "utter_ticket_created", "pl") in texts(done)
    assert {"kb_id": "card.fees"} in customs(chat.say("Ile kosztuje karta pobytu?"))

    ticket = consultant.wait_for("tickets", "Chcę porozmawiać z konsultantem")
    assert ticket["state"] == "ticket" and ticket["email"] == "maria.k@example.com"
    lines = consultant.state(ticket["id"])["conversation"]["lines"]
    assert any("spodziewać się decyzji" in x["text"] for x in lines if x["author"] == "user")
    answer = "Dzień dobry, decyzja zwykle zapada w ciągu kilku miesięcy. INFO.OPT"
    assert consultant.post(f"tickets/{ticket['id']}/answer", {"text": answer}).is_success
    deadline = time.monotonic() + 10
    while not sink.messages:
        assert time.monotonic() < deadline, "no e-mail reached the SMTP sink"
        time.sleep(0.1)
    [mail] = sink.messages
    assert mail["To"] == "maria.k@example.com"
    assert mail["Subject"] == response_text(domain, "utter_ticket_mail_subject", "pl")
    assert answer in mail.get_content()
    assert not consultant.state()["tickets"]
