"""The states of a handoff, one type for the action server, the web app and the database.

Dependency-free, so the action server imports it without the web app's packages. A handoff
row in the database is queued, active, a ticket draft, a ticket or closed; Rasa's
`handoff_state` slot holds the states of a conversation still in progress, and before one
the consultant offer (offered, declined). The same values are the `{"handoff": ...}` payloads
that REST clients and the widget read.
"""

from __future__ import annotations

from enum import StrEnum


class HandoffState(StrEnum):
    OFFERED = "offered"
    """A consultant was offered; the user's yes or no answers the offer."""
    DECLINED = "declined"
    """The user said no; not offered again until an answer helps."""
    QUEUED = "queued"
    """Waiting for a consultant to claim it."""
    ACTIVE = "active"
    """A consultant holds the conversation."""
    TICKET_DRAFT = "ticket_draft"
    """Nobody could take it: the user is asked for a message and an e-mail address."""
    TICKET = "ticket"
    """A complete ticket, answered by e-mail."""
    CLOSED = "closed"


OPEN_STATES = (HandoffState.QUEUED, HandoffState.ACTIVE, HandoffState.TICKET_DRAFT)
"""States in which the user's messages go to the consultants, not to the bot."""
TICKET_STATES = (HandoffState.TICKET_DRAFT, HandoffState.TICKET)
"""States of a conversation nobody took live: the consultants answer it by e-mail."""
