"""Consultants' working hours, e.g. `Mon-Fri 07:30-15:30; Sat 09:00-12:00`, in one time zone.

`always` and `never` are accepted too (tests and out-of-office periods use them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(
    r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$"
)


class HoursError(ValueError):
    """A working-hours specification that cannot be read."""


def _clock(value: str) -> time:
    hours, minutes = (int(part) for part in value.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise HoursError(f"not a time of day: {value}")
    return time(hours, minutes)


@dataclass(frozen=True)
class Span:
    """Open from `start` to `end` on the weekdays `days` (0 = Monday)."""

    days: tuple[int, ...]
    start: time
    end: time


@dataclass(frozen=True)
class OfficeHours:
    """When consultants work."""

    spans: tuple[Span, ...]
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, zone: str = "Europe/Warsaw") -> OfficeHours:
        """Read a specification.

        Raises:
            HoursError: naming the part that cannot be read.
        """
        text = spec.strip().lower()
        if text == "always":
            return cls((Span(tuple(range(7)), time.min, time.max),), ZoneInfo(zone))
        if text == "never":
            return cls((), ZoneInfo(zone))
        spans = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            match = _PART.match(part)
            if not match or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
                raise HoursError(f"cannot read '{part}' (expected e.g. 'Mon-Fri 07:30-15:30')")
            first = DAYS.index(match["first"])
            last = DAYS.index(match["last"]) if match["last"] else first
            start, end = _clock(match["start"]), _clock(match["end"])
            if last < first or end <= start:
                raise HoursError(f"empty range in '{part}'")
            spans.append(Span(tuple(range(first, last + 1)), start, end))
        if not spans:
            raise HoursError("no working hours given (use 'never' for none)")
        return cls(tuple(spans), ZoneInfo(zone))

    def is_open(self, moment: datetime) -> bool:
        """Whether consultants work at this (time-zone aware) moment."""
        local = moment.astimezone(self.zone)
        now = local.time()
        return any(
            local.weekday() in span.days and span.start <= now < span.end for span in self.spans
        )

    def describe(self, day_names: list[str]) -> str:
        """The hours for people, with the weekday names of their language (Monday first)."""

        def clock(value: time) -> str:
            return "24:00" if value == time.max else f"{value.hour}:{value.minute:02d}"

        parts = []
        for span in self.spans:
            days = day_names[span.days[0]]
            if len(span.days) > 1:
                days += "–" + day_names[span.days[-1]]
            parts.append(f"{days} {clock(span.start)}–{clock(span.end)}")
        return "; ".join(parts)
