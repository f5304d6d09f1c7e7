"""Moments Swedish users type: a day, a time, or both, read against an injected `now`.

The rules are described on the package (`handlers.dates`); the grammar lives in
`handlers.dates.words` and `handlers.dates.readings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handlers.dates.readings import DEFAULT_TIME, _local, _readings, _resolve, _worlds
from handlers.dates.words import _extract, _normalize
from handlers.kernel import MONTH_NAMES, STOCKHOLM, WEEKDAY_NAMES

__all__ = [
    "DEFAULT_TIME",
    "STOCKHOLM",
    "Ambiguous",
    "WhenResult",
    "day_text",
    "describe_when",
    "interpret_when",
    "is_date_phrase",
    "parse_date",
    "parse_when",
]

_ECHO = "Tolkat som {when}"
_QUESTION = "Menar du {options}?"


@dataclass(frozen=True)
class WhenResult:
    """One reading of a phrase: the moment, whether a time was given, and its Swedish echo.

    ``end`` is the end of a typed range ("kl 13-14"), for a caller that has use for a length.
    """

    value: datetime
    has_time: bool
    echo: str
    end: datetime | None = None


@dataclass(frozen=True)
class Ambiguous:
    """Several plausible readings: ask ``question``; ``candidates[0]`` is the likeliest."""

    question: str
    candidates: tuple[WhenResult, ...]

    @property
    def best(self) -> WhenResult:
        """The most likely reading."""
        return self.candidates[0]


# --- public API ------------------------------------------------------------------------------


def day_text(d: date) -> str:
    """A day the Swedish way: "tisdag 15 december 2026"."""
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def describe_when(dt: datetime, has_time: bool = True, end: datetime | None = None) -> str:
    """The echo shown after parsing: "Tolkat som tisdag 15 december 2026 kl 13:30", with the
    end of a range when one was typed ("... kl 13:00–14:00")."""
    local = _local(dt)
    when = day_text(local.date()) + (f" kl {local:%H:%M}" if has_time else "")
    if has_time and end is not None:
        when += f"–{_local(end):%H:%M}"
    return _ECHO.format(when=when)


def _question(candidates: tuple[WhenResult, ...]) -> str:
    values = [_local(c.value) for c in candidates]
    same_day = len({v.date() for v in values}) == 1
    labels = []
    for c, v in zip(candidates, values, strict=True):
        if same_day:
            labels.append(f"{v:%H:%M}")
        else:
            day = day_text(v.date()).rsplit(" ", 1)[0]
            labels.append(day + (f" kl {v:%H:%M}" if c.has_time else ""))
    options = " eller ".join([", ".join(labels[:-1]), labels[-1]])
    return _QUESTION.format(options=options)


def interpret_when(text: str, now: datetime) -> WhenResult | Ambiguous | None:
    """Read ``text`` as a moment; ``Ambiguous`` when the caller should ask which is meant."""
    results = tuple(
        WhenResult(r.value, r.has_time, describe_when(r.value, r.has_time, r.end), r.end)
        for r in _readings(text, now)
    )
    if not results:
        return None
    return results[0] if len(results) == 1 else Ambiguous(_question(results), results)


def parse_when(text: str, now: datetime) -> datetime | None:
    """The most likely moment ``text`` names (Europe/Stockholm), or None."""
    readings = _readings(text, now)
    return readings[0].value if readings else None


def parse_date(text: str, now: datetime, *, nearest: bool = False) -> date | None:
    """The day ``text`` names ("3/12", "nästa torsdag", "v. 50"), or None (also for "kl 10").

    ``nearest``: a day and month typed without a year ("29/11") is the such day nearest
    today, before or after it, not the next one: for a field whose caller refuses the wrong
    side (a deadline already past, a consent in the future) instead of moving it a year."""
    readings = _readings(text, now, nearest)
    return readings[0].value.date() if readings and readings[0].has_date else None


_ANY_DAY = datetime(2027, 6, 1, 12, tzinfo=STOCKHOLM)
"""A reference for `is_date_phrase`: whether a phrase reads at all hardly depends on the day
(a leap year within a year ahead, so that 29/2 reads)."""


def is_date_phrase(text: str) -> bool:
    """Whether this grammar alone (no dateparser) reads all of ``text`` as a day or moment:
    `15 dec`, `nästa fredag`, but not `15 dec Hur`. For a command grammar that must tell a
    typed date from the words after it, without a clock."""
    if len(text) > 200:  # no date is that long; a long word is not normalized at all
        return False
    s = _normalize(text)
    if not s or len(s) > 80:
        return False
    parts, left = _extract(s)
    if left or parts.conflicts:
        return False
    for world in _worlds(parts):
        try:
            if not world.conflicts and _resolve(world, _ANY_DAY):
                return True
        except (ValueError, OverflowError):
            continue
    return False
