"""Working hours in Europe/Warsaw, across daylight-saving time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.handoff.hours import HoursError, OfficeHours

DEFAULT = OfficeHours.parse("Mon-Fri 07:30-15:30")


@pytest.mark.parametrize(
    ("utc", "open_"),
    [
        (datetime(2026, 11, 23, 6, 29, tzinfo=UTC), False),  # Monday 07:29 in Kraków (CET)
        (datetime(2026, 11, 23, 6, 30, tzinfo=UTC), True),  # 07:30
        (datetime(2026, 11, 23, 14, 29, tzinfo=UTC), True),  # 15:29
        (datetime(2026, 11, 23, 14, 30, tzinfo=UTC), False),  # 15:30
        (datetime(2026, 7, 6, 5, 30, tzinfo=UTC), True),  # Monday 07:30 in summer (CEST)
        (datetime(2026, 11, 28, 10, 0, tzinfo=UTC), False),  # Saturday
        (datetime(2026, 11, 23, 22, 0, tzinfo=UTC), False),  # the student at 23:00
    ],
)
def test_default_hours(utc, open_):
    assert DEFAULT.is_open(utc) is open_


def test_several_spans_always_and_never():
    hours = OfficeHours.parse("Mon-Fri 07:30-15:30; Sat 09:00-12:00")
    assert hours.is_open(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))  # Saturday 10:00
    assert OfficeHours.parse("always").is_open(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    assert not OfficeHours.parse("never").is_open(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))


@pytest.mark.parametrize("spec", ["", "Mon-Fri", "Fri-Mon 07:30-15:30", "Mon 15:00-09:00",
                                  "Mon 25:00-26:00", "Xyz 07:00-08:00"])  # fmt: skip
def test_unreadable_hours_are_refused(spec):
    with pytest.raises(HoursError):
        OfficeHours.parse(spec)


def test_describe_uses_the_given_day_names():
    names = ["pon.", "wt.", "śr.", "czw.", "pt.", "sob.", "niedz."]
    assert DEFAULT.describe(names) == "pon.–pt. 7:30–15:30"
