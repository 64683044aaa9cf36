"""Every action run carries its conversation's ids to the web app and is timed; its messages say
their language."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TracedAction
from actions.webapp import WebAppClient
from bot import metrics
from bot.logs import CONVERSATION_ID, REQUEST_ID, conversation_id


def test_a_run_sends_the_conversation_and_request_ids_to_the_web_app():
    seen: list[httpx.Headers] = []

    def web_app(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, json={"lang": "pl"})

    client = WebAppClient("http://webapp.invalid", transport=httpx.MockTransport(web_app))

    class ActionProbe(TracedAction):
        def name(self) -> str:
            return "action_probe"

        async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
            await client.detect_language("Cześć")
            return []

    tracker = Tracker("user-42", {}, {}, [], False, None, {}, "")
    before = metrics.ACTION_SECONDS.labels(action="action_probe")._sum.get()
    asyncio.run(ActionProbe().run(CollectingDispatcher(), tracker, {}))

    [headers] = seen
    assert headers["x-conversation-id"] == conversation_id("user-42")
    assert len(headers["x-request-id"]) == 16
    assert CONVERSATION_ID.get() == "" and REQUEST_ID.get() == ""  # reset after the run
    assert metrics.ACTION_SECONDS.labels(action="action_probe")._sum.get() > before


def test_the_messages_an_action_writes_say_their_language():
    class ActionSwitch(TracedAction):
        def name(self) -> str:
            return "action_switch"

        async def run(self, dispatcher, tracker, domain) -> list[dict[str, Any]]:
            dispatcher.utter_message(text="Добре")
            dispatcher.utter_message(text="Okay", lang="en")  # said in the language it left
            dispatcher.utter_message(response="utter_greet")  # Rasa renders it: not labelled
            return [SlotSet("language", "uk")]

    dispatcher = CollectingDispatcher()
    tracker = Tracker("user-7", {"language": "en"}, {}, [], False, None, {}, "")
    asyncio.run(ActionSwitch().run(dispatcher, tracker, {}))
    assert [m.get("lang") for m in dispatcher.messages] == ["uk", "en", None]
