"""Request and response bodies of the JSON API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

Lang = Literal["pl", "en", "uk", "ru"]
MAX_TEXT = 1000


def _clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError("the message is empty")
    return text


class SearchRequest(BaseModel):
    text: str = Field(max_length=MAX_TEXT, description="the user's question")
    lang: Lang | None = Field(default=None, description="reply language; detected if absent")
    fallback_lang: Lang | None = Field(
        default=None, description="reply language when it is detected and the text does not tell"
    )
    sender_id: str = Field(default="", max_length=128)
    channel: str = Field(default="", max_length=32)
    log: bool = Field(default=True, description="record the question for curation")

    _text = field_validator("text")(_clean)


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
    kb_id: str = Field(max_length=128)
    helpful: bool
    lang: Lang = "pl"
    question: str = Field(default="", max_length=MAX_TEXT)
    sender_id: str = Field(default="", max_length=128)


class DetectRequest(BaseModel):
    text: str = Field(max_length=MAX_TEXT)


class DetectResponse(BaseModel):
    lang: Lang | None


class TranscriptLine(BaseModel):
    author: Literal["user", "bot"]
    text: str = Field(max_length=4000)
    kb_id: str | None = Field(default=None, max_length=128)
    ts: float | None = None


class HandoffRequest(BaseModel):
    """The action server asks for a consultant on behalf of a user."""

    sender_id: str = Field(min_length=1, max_length=128)
    channel: str = Field(default="", max_length=32)
    lang: Lang = "pl"
    question: str = Field(default="", max_length=4000)
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

    text: str = Field(max_length=MAX_TEXT * 4)
    ts: float | None = None


class ReplyRequest(BaseModel):
    text: str = Field(min_length=1, max_length=4000)

    _text = field_validator("text")(_clean)


class HandBackRequest(BaseModel):
    resolved: bool = False


class PresenceRequest(BaseModel):
    available: bool
