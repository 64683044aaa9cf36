"""Request and response bodies of the JSON API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from bot.handoff.states import HandoffState
from bot.inbound import MAX_CHANNEL_CHARS, MAX_MESSAGE_CHARS, MAX_SENDER_CHARS, check_text

Lang = Literal["pl", "en", "uk", "ru"]
MAX_TEXT = MAX_MESSAGE_CHARS


def _valid_text(value: object) -> object:
    # Checked before pydantic's own checks, so that a lone surrogate or a NUL gets this
    # module's short reason instead of reaching the database.
    return check_text(value) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_valid_text)]
"""Any text a client sends: valid UTF-8 without control characters (see `bot.inbound`)."""


def _clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError("the message is empty")
    return text


Message = Annotated[Text, AfterValidator(_clean)]


class SearchRequest(BaseModel):
    text: Message = Field(max_length=MAX_TEXT, description="the user's question")
    lang: Lang | None = Field(default=None, description="reply language; detected if absent")
    fallback_lang: Lang | None = Field(
        default=None, description="reply language when it is detected and the text does not tell"
    )
    sender_id: Text = Field(default="", max_length=MAX_SENDER_CHARS)
    channel: Text = Field(default="", max_length=MAX_CHANNEL_CHARS)
    log: bool = Field(default=True, description="record the question for curation")


class EntryOut(BaseModel):
    id: str
    score: float
    title: str
    answer: str
    sources: list[str]
    reviewed: date


class SearchResponse(BaseModel):
    decision: Literal["answer", "clarify", "no_match"]
    lang: Lang
    out_of_scope: float
    results: list[EntryOut]
    """Best first: one for `answer`, the choices for `clarify`, none for `no_match`."""


class FeedbackRequest(BaseModel):
    kb_id: Text = Field(max_length=128)
    helpful: bool
    lang: Lang = "pl"
    question: Text = Field(default="", max_length=MAX_TEXT)
    sender_id: Text = Field(default="", max_length=MAX_SENDER_CHARS)


class DetectRequest(BaseModel):
    text: Text = Field(max_length=MAX_TEXT)


class DetectResponse(BaseModel):
    lang: Lang | None


class TranscriptLine(BaseModel):
    author: Literal["user", "bot"]
    text: Text = Field(max_length=4000)
    kb_id: str | None = Field(default=None, max_length=128)
    ts: float | None = None


class HandoffRequest(BaseModel):
    """The action server asks for a consultant on behalf of a user."""

    sender_id: Text = Field(min_length=1, max_length=MAX_SENDER_CHARS)
    channel: Text = Field(default="", max_length=MAX_CHANNEL_CHARS)
    lang: Lang = "pl"
    question: Text = Field(default="", max_length=4000)
    transcript: list[TranscriptLine] = Field(default_factory=list, max_length=200)


class HandoffOut(BaseModel):
    open: bool
    state: str = ""
    reason: str = ""
    position: int = 0
    hours: str = ""
    needs: str | None = None
    """For a ticket draft: what the user still has to give, `message` or `email`."""


class RelayRequest(BaseModel):
    """A user's message during a handoff, relayed by the action server."""

    text: Text = Field(max_length=MAX_TEXT * 4)
    ts: float | None = None


class ReplyRequest(BaseModel):
    text: Message = Field(min_length=1, max_length=4000)


class HandBackRequest(BaseModel):
    resolved: bool = False


class PresenceRequest(BaseModel):
    available: bool


class TopicOut(BaseModel):
    id: str
    title: str
    payload: str = Field(description="what the widget sends when the topic is chosen")


class TopicsOut(BaseModel):
    lang: Lang
    topics: list[TopicOut] = Field(description="most asked first")
    finder_payload: str = Field(description="starts the permit finder")


class HandoffSummary(BaseModel):
    """A handoff as the consultant console lists it."""

    id: int
    state: HandoffState
    reason: str
    lang: str
    channel: str
    question: str
    waited: int
    """Seconds the user has waited (until claimed, or until now)."""
    created_at: str | None
    consultant: str | None
    """The username of the consultant holding it."""
    email: str | None


class TranscriptEntry(BaseModel):
    """One line of a handoff's transcript; a notice's text is shown in the user's language."""

    id: int
    author: str
    text: str
    kb_id: str | None
    at: str | None
    delivered: bool


class ConversationOut(HandoffSummary):
    lines: list[TranscriptEntry]


class ConsultantMe(BaseModel):
    username: str
    languages: list[str]
    available: bool
    """Online for new chats: marked available, and the console seen recently."""


class ConsoleState(BaseModel):
    """Everything the consultant console shows, polled every second."""

    me: ConsultantMe
    queue: list[HandoffSummary]
    mine: list[HandoffSummary]
    tickets: list[HandoffSummary]
    conversation: ConversationOut | None = None


class PresenceOut(BaseModel):
    available: bool


class InsertableAnswer(BaseModel):
    """A knowledge-base answer the consultant may insert into a reply."""

    id: str
    title: str
    answer: str
