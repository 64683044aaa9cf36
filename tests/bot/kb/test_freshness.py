"""When a time-bound fact needs a curator."""

from __future__ import annotations

from datetime import date

import pytest

from bot.kb.freshness import REVIEW_INTERVAL, Expiry, expiry

REVIEWED = date(2026, 11, 1)
TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (None, None),
        (date(2026, 11, 26), Expiry.EXPIRED),
        (TODAY, Expiry.BEFORE_REVIEW),
        (REVIEWED + REVIEW_INTERVAL, Expiry.BEFORE_REVIEW),
        (REVIEWED + REVIEW_INTERVAL + (REVIEW_INTERVAL / 180), None),
    ],
)
def test_expiry(valid_until, expected):
    assert expiry(valid_until, REVIEWED, TODAY) is expected


def test_an_entry_never_reviewed_is_checked_whenever_it_has_an_expiry():
    assert expiry(date(2030, 1, 1), None, TODAY) is Expiry.BEFORE_REVIEW
