"""When an entry's time-bound facts need a curator: `valid_until` against the review cycle.

An entry states the last day its time-bound facts hold (`valid_until`, e.g. the end of a
transitional rule). Curators must act once that day has passed, and also when it falls before
the entry's next regular review — otherwise users would read an expired fact until then.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

REVIEW_INTERVAL = timedelta(days=180)
"""How long after `reviewed` an entry is due for its next regular review."""


class Expiry(StrEnum):
    EXPIRED = "expired"
    """`valid_until` has passed: the entry states something that may no longer hold."""
    BEFORE_REVIEW = "before_review"
    """`valid_until` falls before the next regular review: check it now."""


def next_review(reviewed: date) -> date:
    return reviewed + REVIEW_INTERVAL


def expiry(valid_until: date | None, reviewed: date | None, today: date) -> Expiry | None:
    """Whether an entry's `valid_until` needs a curator's attention today."""
    if valid_until is None:
        return None
    if valid_until < today:
        return Expiry.EXPIRED
    if reviewed is None or valid_until <= next_review(reviewed):
        return Expiry.BEFORE_REVIEW
    return None
