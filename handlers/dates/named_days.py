"""Days people name instead of dating: holidays ("julafton", "påskdagen") and day ordinals.

``next_named_day(key, shift, year, today)`` finds the next such day (today included) in the
holiday calendar of ``handlers.dates.holidays``: a day the calendar names (julafton, påskdagen,
midsommarafton, alla helgons dag ...) or one a fixed number of days from such a day
(skärtorsdagen is three days before påskdagen). Only valborgsmässoafton and trettondagsafton,
which no calendar keeps, are fixed dates here. ``DAY_ORDINALS`` are the words for the 1st to
the 31st ("första" ... "trettioförsta"), used for "första december" and "den tjugonde".
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from handlers.dates.holidays import swedish_holidays

# Key -> (a day the calendar names, days from it) or (month, day) for a fixed date.
_FROM_CALENDAR: dict[str, tuple[str, int]] = {
    "julafton": ("julafton", 0),
    "juldagen": ("juldagen", 0),
    "annandag jul": ("annandag jul", 0),
    "nyårsafton": ("nyårsafton", 0),
    "nyårsdagen": ("nyårsdagen", 0),
    "trettondedag jul": ("trettondedag jul", 0),
    "skärtorsdagen": ("påskdagen", -3),
    "långfredagen": ("långfredagen", 0),
    "påskafton": ("påskdagen", -1),
    "påskdagen": ("påskdagen", 0),
    "annandag påsk": ("annandag påsk", 0),
    "kristi himmelsfärdsdag": ("kristi himmelsfärdsdag", 0),
    "pingstafton": ("pingstdagen", -1),
    "pingstdagen": ("pingstdagen", 0),
    "nationaldagen": ("nationaldagen", 0),
    "midsommarafton": ("midsommarafton", 0),
    "midsommardagen": ("midsommardagen", 0),
    "alla helgons dag": ("alla helgons dag", 0),
}
_FIXED: dict[str, tuple[int, int]] = {"valborg": (4, 30), "trettondagsafton": (1, 5)}

NAMED_DAYS: dict[str, str] = {
    "julafton": "julafton", "julaftonen": "julafton",
    "juldagen": "juldagen", "juldag": "juldagen",
    "annandag jul": "annandag jul", "annandagen jul": "annandag jul",
    "nyårsafton": "nyårsafton", "nyårsaftonen": "nyårsafton",
    "nyårsdagen": "nyårsdagen", "nyårsdag": "nyårsdagen",
    "trettondedag jul": "trettondedag jul", "trettondag jul": "trettondedag jul",
    "trettondagen": "trettondedag jul", "trettondedagen": "trettondedag jul",
    "trettondagsafton": "trettondagsafton",
    "skärtorsdagen": "skärtorsdagen", "skärtorsdag": "skärtorsdagen",
    "långfredagen": "långfredagen", "långfredag": "långfredagen",
    "påskafton": "påskafton", "påskaftonen": "påskafton",
    "påskdagen": "påskdagen", "påskdag": "påskdagen",
    "annandag påsk": "annandag påsk", "annandagpåsk": "annandag påsk",
    "valborg": "valborg", "valborgsmässoafton": "valborg", "valborgsafton": "valborg",
    "valborgsmässoaftonen": "valborg",
    "kristi himmelsfärdsdag": "kristi himmelsfärdsdag",
    "kristi himmelsfärd": "kristi himmelsfärdsdag", "kristi himmelfärd": "kristi himmelsfärdsdag",
    "kristi himmelfärdsdag": "kristi himmelsfärdsdag",
    "himmelsfärdsdagen": "kristi himmelsfärdsdag",
    "pingstafton": "pingstafton", "pingstdagen": "pingstdagen", "pingstdag": "pingstdagen",
    "nationaldagen": "nationaldagen", "sveriges nationaldag": "nationaldagen",
    "midsommarafton": "midsommarafton", "midsommaraftonen": "midsommarafton",
    "midsommardagen": "midsommardagen", "midsommardag": "midsommardagen",
    "alla helgons dag": "alla helgons dag", "allhelgonadagen": "alla helgons dag",
}  # fmt: skip
"""Every way of writing a named day (lower case), to its key. Words that name more than one
day ("annandagen", "midsommar", "nyår") are left out: the reply asks for a date, never guesses."""

_UNITS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde")
_TEENS = (
    "tionde", "elfte", "tolfte", "trettonde", "fjortonde", "femtonde", "sextonde", "sjuttonde",
    "artonde", "nittonde",
)  # fmt: skip
DAY_ORDINALS: dict[str, int] = (
    {word: n + 1 for n, word in enumerate(_UNITS)}
    | {word: n + 10 for n, word in enumerate(_TEENS)}
    | {"tjugonde": 20, "trettionde": 30, "trettioförsta": 31}
    | {"tjugo" + word: n + 21 for n, word in enumerate(_UNITS)}
)
"""The ordinals of the days of a month: "första" = 1 ... "trettioförsta" = 31."""


@lru_cache(maxsize=256)
def _calendar_names(year: int) -> dict[str, date]:
    names: dict[str, date] = {}
    for day, joined in swedish_holidays(year).items():
        for name in joined.split(" och "):
            names[name.lower()] = day
    return names


def _in_year(key: str, year: int) -> date | None:
    if key in _FIXED:
        month, day = _FIXED[key]
        return date(year, month, day)
    name, offset = _FROM_CALENDAR[key]
    found = _calendar_names(year).get(name)
    return None if found is None else found + timedelta(days=offset)


def next_named_day(key: str, shift: int, year: int | None, today: date) -> date | None:
    """The named day ``shift`` days moved ("dagen före" is -1): in ``year`` when one is given,
    else the next one from ``today`` on (today included). None outside the calendar's years."""
    # Last year's too: "dagen efter nyårsafton" on 1 January is today.
    for candidate in (year,) if year is not None else (today.year - 1, today.year, today.year + 1):
        if not 1900 <= candidate <= 2199:
            continue
        found = _in_year(key, candidate)
        if found is None:
            continue
        found += timedelta(days=shift)
        if year is not None or found >= today:
            return found
    return None
