"""Fixes to Rasa Open Source 3.6's runtime, applied in the Rasa server process at start-up.

Every custom channel in connectors/ calls `install()` when Rasa imports it, which happens
while the server is being configured — before the agent, its tracker store and its action
endpoint exist — so `rasa run` with our credentials.yml always runs with these fixes. Each one
replaces a single method and keeps Rasa's interfaces and behaviour otherwise:

- **Checking action-server responses.** `RemoteAction._validate_action_result` calls
  `jsonschema.validate(result, schema)`, which checks the (constant) schema against the JSON
  Schema meta-schema before validating the response — on every action call. That was most of
  the Rasa process's CPU per message. Here the schema is checked once and one validator is
  reused; errors are the same (`best_match`, with Rasa's explanation appended).
- **Action timeout.** Rasa waits up to 5 minutes for the action server; a hung action server
  would hold every user that long. `FAQ_ACTION_TIMEOUT` seconds (default 15) instead: longer
  than the action server's own calls to the web app (`FAQ_WEBAPP_TIMEOUT`, 10 s).
- **A failed action call.** When the action server is down, times out or answers with an
  error, Rasa logs it and the user gets nothing. Here the user gets `utter_technical_problem`
  in their language (the `language` slot, else the channel's language hint) and the turn
  ends; the reply is a normal bot event, so it is stored in the tracker. A rejection
  (`ActionExecutionRejection`, used by forms) keeps Rasa's handling.
- **The SQL tracker store's database.** When the database is unreachable at start-up, Rasa
  logs "Could not create tables" and carries on; then every message falls back to an
  in-memory tracker (conversations are silently lost). Here start-up fails with one clear
  error instead, so the server never reports healthy without its store.
- **The SQL tracker store on SQLite** (the one-machine default). Rasa opens a new connection
  for every retrieve and save (SQLAlchemy 1.4's default for SQLite files) and each commit
  waits for the disk twice (rollback journal, `synchronous=FULL`): together the largest part
  of a turn once the schema check was cached. Here each thread keeps its connection, and the
  database uses write-ahead logging with `synchronous=NORMAL`: a commit survives the Rasa
  process being killed, only a power cut may undo the last ones. PostgreSQL is unchanged.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rasa.core.channels.channel import OutputChannel
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

log = logging.getLogger(__name__)

ACTION_TIMEOUT_VARIABLE = "FAQ_ACTION_TIMEOUT"
DEFAULT_ACTION_TIMEOUT = 15.0
"""Seconds Rasa waits for the action server."""
TECHNICAL_PROBLEM = "utter_technical_problem"
LANGUAGE_SLOT = "language"

_installed = False


def action_timeout() -> float:
    value = os.environ.get(ACTION_TIMEOUT_VARIABLE, "")
    try:
        seconds = float(value) if value else DEFAULT_ACTION_TIMEOUT
    except ValueError:
        log.warning("%s=%r is not a number; using %s", ACTION_TIMEOUT_VARIABLE, value,
                    DEFAULT_ACTION_TIMEOUT)  # fmt: skip
        return DEFAULT_ACTION_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_ACTION_TIMEOUT


def install() -> None:
    """Apply the fixes (once per process)."""
    global _installed
    if _installed:
        return
    import rasa.core.actions.action as action_module
    import rasa.core.tracker_store as tracker_store_module
    from rasa.core.tracker_store import SQLTrackerStore

    remote = action_module.RemoteAction
    remote._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    remote.run = _run_or_apologise(remote.run)  # type: ignore[method-assign]
    # RemoteAction.run passes this module-level constant to aiohttp on every call.
    action_module.DEFAULT_REQUEST_TIMEOUT = action_timeout()  # type: ignore[assignment]
    SQLTrackerStore.__init__ = _connected(SQLTrackerStore.__init__)  # type: ignore[method-assign]
    # SQLTrackerStore.__init__ looks this function up in its module when it creates the engine.
    tracker_store_module.create_engine_kwargs = _engine_kwargs(
        tracker_store_module.create_engine_kwargs
    )
    _installed = True


@functools.lru_cache(maxsize=1)
def _response_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def _run_or_apologise(run: Any) -> Any:
    @functools.wraps(run)
    async def wrapper(
        self: Any,
        output_channel: OutputChannel,
        nlg: NaturalLanguageGenerator,
        tracker: DialogueStateTracker,
        domain: Domain,
    ) -> list[Event]:
        from rasa.core.actions.action import ActionExecutionRejection

        try:
            return await run(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception as exc:  # any failure of the call gets the apology
            log.error("custom action %r failed (%s: %s); replying %s", self.name(),
                      type(exc).__name__, exc, TECHNICAL_PROBLEM)  # fmt: skip
            return await technical_problem(output_channel, nlg, tracker, domain)

    return wrapper


async def technical_problem(
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> list[Event]:
    """`utter_technical_problem` in the user's language, then wait for the next message."""
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import FollowupAction, SlotSet

    lang = _language(tracker, domain)
    if lang and tracker.get_slot(LANGUAGE_SLOT) != lang:
        tracker = tracker.copy()
        tracker.update(SlotSet(LANGUAGE_SLOT, lang))
    events: list[Event] = []
    draft = await nlg.generate(TECHNICAL_PROBLEM, tracker, output_channel.name())
    if draft:
        draft["utter_action"] = TECHNICAL_PROBLEM
        events.append(create_bot_utterance(draft))
    events.append(FollowupAction(ACTION_LISTEN_NAME))
    return events


def _language(tracker: DialogueStateTracker, domain: Domain) -> str | None:
    """The conversation's reply language, else the channel's hint if it is one we speak."""
    current = tracker.get_slot(LANGUAGE_SLOT)
    if current:
        return str(current)
    metadata = tracker.latest_message.metadata if tracker.latest_message else None
    hint = str((metadata or {}).get("language") or "").lower()
    short = hint.replace("_", "-").split("-")[0]
    slot = next((s for s in domain.slots if s.name == LANGUAGE_SLOT), None)
    values = getattr(slot, "values", None) or []
    return short if short in values else None


def _engine_kwargs(original: Any) -> Any:
    @functools.wraps(original)
    def wrapper(url: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = original(url)
        if str(url).startswith("sqlite"):
            from sqlalchemy.pool import SingletonThreadPool

            kwargs = {**kwargs, "poolclass": SingletonThreadPool}
        return kwargs

    return wrapper


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _connected(init: Any) -> Any:
    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        import sqlalchemy as sa
        from rasa.shared.exceptions import ConnectionException

        init(self, *args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.engine.dispose()  # the connection that created the tables had no pragmas
        try:
            with self.engine.connect() as connection:
                ready = sa.inspect(connection).has_table(self.SQLEvent.__tablename__)
        except sa.exc.SQLAlchemyError as exc:
            raise ConnectionException(
                f"tracker store: cannot reach {self.engine.url!r}: {exc.__class__.__name__}: "
                f"{str(exc.orig if hasattr(exc, 'orig') else exc).strip().splitlines()[0]}"
            ) from None
        if not ready:
            raise ConnectionException(
                f"tracker store: no table '{self.SQLEvent.__tablename__}' in "
                f"{self.engine.url!r} and it could not be created"
            )

    return wrapper
