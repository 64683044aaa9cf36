"""The learning loop's inbox: what users asked that the bot could not answer well.

Three kinds of messages: questions search found no answer for, questions whose answer a user
marked "not helpful", and questions that led to a handoff. They are grouped by meaning across
languages (the search encoder's multilingual embeddings), so that a curator handles "how much
is the card" in four languages once. Within a language, inflected variants ("zgubiłam kartę
pobytu", "zgubiłem karty pobytu") are matched by their lemmas (`bot.lemmas`), which embeddings
of short messages often keep apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.curation.handoffs import handoff_question, handoff_questions
from bot.db import Feedback, InboxHandled, QuestionLog
from bot.db.models import as_utc
from bot.kb.loader import phrase_key
from bot.lemmas import shared_lemmatizer
from bot.search.encoders import Encoder

SOURCES = ("question", "feedback", "handoff")
REASONS = {"question": "unanswered", "feedback": "not helpful", "handoff": "handoff"}
SIMILAR = 0.72
"""Cosine similarity at which two messages count as the same question."""
EXAMPLES = 5


@dataclass(frozen=True)
class Message:
    source: str
    item_id: int
    text: str
    lang: str
    created_at: datetime
    kb_id: str | None = None

    @property
    def key(self) -> str:
        """`source:id`, how forms name a message."""
        return f"{self.source}:{self.item_id}"

    @property
    def reason(self) -> str:
        return REASONS[self.source]


@dataclass
class Group:
    messages: list[Message] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.messages)

    @property
    def examples(self) -> list[Message]:
        return self.messages[:EXAMPLES]

    @property
    def languages(self) -> list[str]:
        return sorted({m.lang for m in self.messages})

    @property
    def reasons(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for m in self.messages:
            out[m.reason] = out.get(m.reason, 0) + 1
        return out

    @property
    def keys(self) -> list[str]:
        return [m.key for m in self.messages]


def parse_key(key: str) -> tuple[str, int] | None:
    source, _, item = key.partition(":")
    return (source, int(item)) if source in SOURCES and item.isdigit() else None


def _handled(db: Session) -> set[tuple[str, int]]:
    return {(s, i) for s, i in db.execute(select(InboxHandled.source, InboxHandled.item_id))}


def pending(db: Session, days: int = 90, limit: int = 1000) -> list[Message]:
    """Messages nobody has dealt with yet, newest first."""
    since = datetime.now(UTC) - timedelta(days=days)
    out: list[Message] = []
    for q in db.scalars(
        select(QuestionLog)
        .where(QuestionLog.decision == "no_match", QuestionLog.created_at >= since)
        .order_by(QuestionLog.id.desc())
        .limit(limit)
    ):
        out.append(Message("question", q.id, q.text, q.lang, q.created_at, q.kb_id))
    for f in db.scalars(
        select(Feedback)
        .where(Feedback.helpful.is_(False), Feedback.question != "", Feedback.created_at >= since)
        .order_by(Feedback.id.desc())
        .limit(limit)
    ):
        out.append(Message("feedback", f.id, f.question, f.lang, f.created_at, f.kb_id))
    for h in handoff_questions(db, since, limit):
        out.append(Message("handoff", h["id"], h["question"], h["lang"] or "", h["created_at"]))
    done = _handled(db)
    fresh = [m for m in out if (m.source, m.item_id) not in done]
    return sorted(fresh, key=lambda m: as_utc(m.created_at), reverse=True)


def group(messages: Sequence[Message], encoder: Encoder, similar: float = SIMILAR) -> list[Group]:
    """Messages grouped greedily by similarity to each group's first message; largest first."""
    if not messages:
        return []
    vectors = encoder.encode([m.text for m in messages])
    lemmatizer = shared_lemmatizer()
    groups: list[Group] = []
    heads: list[np.ndarray] = []
    head_lemmas: list[set[str]] = []
    for message, vector in zip(messages, vectors, strict=True):
        lemmas = set(lemmatizer.lemmas(message.text, message.lang))
        best, best_sim = -1, similar
        for i, head in enumerate(heads):
            sim = max(float(np.dot(head, vector)), _overlap(head_lemmas[i], lemmas))
            if sim >= best_sim:
                best, best_sim = i, sim
        if best < 0:
            groups.append(Group([message]))
            heads.append(vector)
            head_lemmas.append(lemmas)
        else:
            groups[best].messages.append(message)
    return sorted(groups, key=lambda g: (-g.count, -as_utc(g.messages[0].created_at).timestamp()))


def _overlap(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two messages' lemmas (1.0 for the same words in any form)."""
    return len(a & b) / len(a | b) if a and b else 0.0


def mark(db: Session, keys: Sequence[str], outcome: str, username: str) -> int:
    """Record messages as dealt with (`dismissed` or `phrasing`); returns how many were new."""
    done = _handled(db)
    added = 0
    for key in keys:
        parsed = parse_key(key)
        if parsed is None or parsed in done:
            continue
        db.add(
            InboxHandled(source=parsed[0], item_id=parsed[1], outcome=outcome, username=username)
        )
        done.add(parsed)
        added += 1
    return added


def same_text(db: Session, text: str) -> list[str]:
    """Keys of the pending messages that are the same phrasing as `text`: once it is a
    phrasing, every one of them is answered."""
    wanted = phrase_key(text)
    return [m.key for m in pending(db) if phrase_key(m.text) == wanted]


def message_text(db: Session, key: str) -> tuple[str, str] | None:
    """The text and language of one inbox message."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    source, item_id = parsed
    if source == "question":
        q = db.get(QuestionLog, item_id)
        return (q.text, q.lang) if q else None
    if source == "feedback":
        f = db.get(Feedback, item_id)
        return (f.question, f.lang) if f else None
    h = handoff_question(db, item_id)
    return (h["question"], h["lang"] or "") if h else None
