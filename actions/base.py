"""The base of every action: each run gets the conversation's log context and is timed.

rasa-sdk offers no per-request hook, so the context is set here, around `run`: log lines of the
action server, and the web-app requests the action makes (actions/webapp.py sends the ids as
headers), carry the same request and conversation ids (bot/logs.py).
"""

from __future__ import annotations

import abc
import functools
import logging
import time
import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.settings import get_action_settings
from bot import metrics
from bot.logs import CONVERSATION_ID, REQUEST_ID, conversation_id, keep_json_logging

log = logging.getLogger(__name__)
keep_json_logging()  # in Sanic's worker process, which starts without the logging setup


class TracedAction(Action, abc.ABC):
    """An action whose runs are logged with their conversation id, timed and counted."""

    @abc.abstractmethod
    def name(self) -> str: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "run" in cls.__dict__:
            cls.run = _traced(cls.run)


def _traced(run: Any) -> Any:
    @functools.wraps(run)
    async def traced(
        self: Action, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        serve_metrics()
        conversation = CONVERSATION_ID.set(conversation_id(tracker.sender_id or ""))
        request = REQUEST_ID.set(uuid.uuid4().hex[:16])
        started = time.perf_counter()
        try:
            events: list[EventType] = await run(self, dispatcher, tracker, domain)
            label_languages(dispatcher, tracker, events)
            return events
        except Exception:
            metrics.ERRORS.labels(where="action").inc()
            raise
        finally:
            seconds = time.perf_counter() - started
            metrics.ACTION_SECONDS.labels(action=self.name()).observe(seconds)
            log.debug("ran %s in %.3fs", self.name(), seconds)
            REQUEST_ID.reset(request)
            CONVERSATION_ID.reset(conversation)

    return traced


def label_languages(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType]
) -> None:
    """Every message an action wrote itself says its language (`lang`; the web chat marks each
    bubble with it): the reply language the action settled on, unless the message says one.

    Responses Rasa renders from the domain (`response=`) are left alone: Rasa passes on the
    condition of the variation it picked, which names the language it was rendered in.
    """
    chosen = [
        e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == "language"
    ]
    lang = chosen[-1] if chosen else tracker.get_slot("language")
    if not lang:
        return
    for message in dispatcher.messages:
        if not message.get("response"):
            message.setdefault("lang", lang)


@functools.cache
def serve_metrics() -> None:
    """Expose the action server's metrics on `FAQ_ACTIONS_METRICS_PORT`, when it is set.

    Started by the first action run, not at import: Sanic imports the actions in its manager
    process too, and only the worker that runs them has their numbers.
    """
    port = get_action_settings().actions_metrics_port
    if port:
        from prometheus_client import start_http_server

        start_http_server(port, addr="127.0.0.1", registry=metrics.REGISTRY)
        log.info("action-server metrics on 127.0.0.1:%d/metrics", port)
