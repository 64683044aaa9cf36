"""The console's entry list flags entries whose time-bound facts need a curator."""

from __future__ import annotations

from datetime import date

from bot.curation.listing import row_of
from bot.kb.freshness import Expiry

TODAY = date(2026, 11, 27)


def _raw(**extra: object) -> dict:
    return {"id": "ukr.protection", "area": "ukraine", "reviewed": date(2026, 11, 1), **extra}


def test_an_expired_fact_is_flagged():
    assert row_of(_raw(valid_until=date(2026, 8, 31)), [], TODAY).expiry is Expiry.EXPIRED


def test_a_fact_expiring_before_the_next_review_is_flagged():
    row = row_of(_raw(valid_until=date(2027, 3, 4)), [], TODAY)
    assert row.expiry is Expiry.BEFORE_REVIEW


def test_entries_without_time_bound_facts_are_not_flagged():
    assert row_of(_raw(), [], TODAY).expiry is None
