"""The console's own clock: the real time moved by an offset a newcomer sets.

`bryggan console --now "2026-12-07 09:00"` starts the chat at that moment, and `/klocka +2d`
(or `/klocka måndag 08:00`) moves it on while chatting, so reminders, escalations and the
Monday summary can be tried without waiting for them. Time then ticks on as usual from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from handlers.dates import parse_when

_SHIFT = re.compile(
    r"^\+\s*(?P<n>\d{1,4})\s*(?P<unit>m|min|minut|minuter|h|t|tim|timme|timmar|d|dag|dagar|"
    r"v|w|vecka|veckor)$",
    re.IGNORECASE,
)
_UNITS = {"m": "minutes", "h": "hours", "t": "hours", "d": "days", "v": "weeks", "w": "weeks"}


@dataclass
class ConsoleClock:
    """A callable clock (the core's `Clock`): now plus `offset`."""

    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def move_to(self, moment: datetime) -> None:
        self.offset = moment - datetime.now(UTC)


def read_moment(text: str, now: datetime) -> datetime | None:
    """The moment `text` names: `+2d`, `+3h`, `+30m`, `+1v` from `now`, or a date and time
    as in the commands (`2026-12-07 09:00`, `måndag 08:00`, `7/12 kl 9`); None when neither."""
    shift = _SHIFT.match(text.strip())
    if shift:
        unit = _UNITS[shift.group("unit")[0].lower()]
        return now + timedelta(**{unit: int(shift.group("n"))})
    return parse_when(text.strip(), now) if text.strip() else None
