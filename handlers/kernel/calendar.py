"""The zone and the Swedish names of the calendar, defined once for the whole core."""

from __future__ import annotations

from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
"""Every time a person reads or types is Stockholm time; the database keeps UTC."""

MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
MONTH_LABELS = (
    "jan",
    "feb",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)
"""Months as Bryggan writes them in a date: `15 dec 2026`, `3 mars`."""
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
"""Months as people shorten them when they type."""
WEEKDAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
