"""The Swedish date and time lexicon, and pulling its words out of a phrase.

``_extract`` turns a normalized phrase into ``_Parts``: what the phrase mentions (a date, a
weekday, a clock time, an offset, "15.12" that could be either), before anything is resolved
against ``now``. It is pure pattern matching over the word tables below, kept apart from the
resolution rules in ``handlers.dates.readings`` so the vocabulary can grow without touching them.
``handlers.dates.recurrence_grammar`` reuses the same tables, patterns and extraction for the clock
time and weekdays of recurring meetings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from handlers.dates.named_days import DAY_ORDINALS, NAMED_DAYS
from handlers.kernel import MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES

_MONTHS = {name: i + 1 for i, name in enumerate(MONTH_NAMES)} | MONTH_ABBREVIATIONS
_WEEKDAYS = {name: i for i, name in enumerate(WEEKDAY_NAMES)} | {
    "mån": 0, "tis": 1, "ons": 2, "tor": 3, "tors": 3, "fre": 4, "lör": 5, "sön": 6,
}  # fmt: skip
_HOURS = {
    "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12,
}  # fmt: skip
_NUMBERS = _HOURS | {"en": 1, "femton": 15, "tjugo": 20, "ett par": 2, "några": 3}
_MINUTE_WORDS = {"fem": 5, "tio": 10, "kvart": 15, "tjugo": 20}
_DAY_PARTS = {"fm": 9, "förmiddag": 9, "morgon": 8, "em": 13, "eftermiddag": 13, "kväll": 19}
_RELATIVE_DAYS = {
    "idag": 0, "imorgon": 1, "iövermorgon": 2, "övermorgon": 2, "igår": -1, "iförrgår": -2,
}  # fmt: skip
_OFFSET_UNITS = {"mi": "minutes", "ti": "hours", "h": "hours", "da": "days", "ve": "weeks"}
_WEEKS = {
    "denna vecka": "this_week", "den här veckan": "this_week", "i veckan": "this_week",
    "nästa vecka": "next_week", "kommande vecka": "next_week", "veckan efter": "week_after",
    "veckan därpå": "week_after", "veckan efter nästa": "week_after_next",
    "förra veckan": "last_week",
}  # fmt: skip
"""Week phrases before or after a weekday ("onsdag nästa vecka", "nästa vecka onsdag")."""
_WEEK_PARTS = {"början": (0, 1), "mitten": (1, 2, 3), "slutet": (3, 4)}
"""The weekdays "i början/mitten/slutet av veckan" may mean: the reply asks which."""
_FILLERS = frozenset({"på", "den", "i", "vid", "ca", "cirka", "runt", "-", "–", "—"})


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_WEEKDAY_STEMS = {name.removesuffix("dag"): i for i, name in enumerate(WEEKDAY_NAMES)}
_WEEKDAY = rf"(?P<wd>{_alt(WEEKDAY_NAMES)})(?:en|ar|arna)?|(?P<wdabbr>{_alt(list(_WEEKDAYS)[7:])})"
_HOUR = rf"(?P<hour>\d{{1,2}}|{_alt(_HOURS)})"
_KL = r"(?:(?:kl\.?|klockan)\s*)"
_MINS = r"(?P<mins>\d{1,2}|fem|tio|kvart|tjugo)\s+(?P<dir>över|i)\s+"


def _rx(pattern: str) -> re.Pattern[str]:
    """A pattern that only matches whole words and never inside a date or time."""
    return re.compile(rf"(?<![\w:/.-])(?:{pattern})(?![\w:/])")


@dataclass
class _Parts:
    """What a phrase mentions, before any resolution against ``now``."""

    date: tuple[int, int, int | None] | None = None  # day, month, year
    relative_day: int | None = None
    offset: tuple[int, str] | None = None  # amount, unit
    day_of_month: int | None = None
    week: tuple[int, int | None] | None = None  # ISO week, year
    weekday: tuple[int, str] | None = None  # weekday, "" or a mode ("next", "last", "next_week")
    clock: tuple[int, int, bool] | None = None  # hour, minute, read on a 12-hour dial
    end_clock: tuple[int, int, bool] | None = None  # the end of a range ("kl 13-14")
    named: tuple[str, int, int | None] | None = None  # named day, days moved, year
    week_part: tuple[tuple[int, ...], str] | None = None  # weekdays it may mean, week mode
    day_or_clock: tuple[int, str] | None = None  # "15.12": 15 and "12"
    day_part: str | None = None
    conflicts: int = 0

    def put(self, slot: str, value: object) -> None:
        """Fill a slot; mentioning the same kind of thing twice makes the phrase unreadable."""
        if getattr(self, slot) is not None:
            self.conflicts += 1
        setattr(self, slot, value)


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBERS[token]


def _year(token: str | None) -> int | None:
    if not token:
        return None
    return int(token) + 2000 if len(token) == 2 else int(token)


def _flexible(hour: str) -> bool:
    """True when an hour may be meant on a 12-hour dial ("kl 7", "tre"), not "07" or "19"."""
    return not (hour.isdigit() and (hour.startswith("0") or int(hour) > 12))


def _minutes(token: str | None) -> int:
    if not token:
        return 0
    return int(token) if token.isdigit() else _MINUTE_WORDS[token]


def _date(m: re.Match[str]) -> tuple[int, int, int | None]:
    month = m["m"]
    return int(m["d"]), int(month) if month.isdigit() else _MONTHS[month], _year(m["y"])


def _digital(m: re.Match[str]) -> tuple[int, int, bool]:
    return int(m["hour"]), int(m["min"] or 0), _flexible(m["hour"])


def _half(m: re.Match[str]) -> tuple[int, int, bool]:
    """Read "halv tio" as 9:30 and "fem i halv tre" as 2:25, on a 12-hour dial."""
    minutes = 30 + _minutes(m["mins"]) * (-1 if m["dir"] == "i" else 1)
    return (_number(m["hour"]) - 1) % 12, minutes, True


def _past_to(m: re.Match[str]) -> tuple[int, int, bool]:
    """Read "kvart över två" as 2:15 and "kvart i tre" as 2:45, on a 12-hour dial."""
    minutes, hour = _minutes(m["mins"]), _number(m["hour"])
    if m["dir"] == "över":
        return hour % 12, minutes, True
    return (hour - 1) % 12, 60 - minutes, True


def _weekday(m: re.Match[str]) -> tuple[int, str] | None:
    weekday = _WEEKDAYS[m["wd"] or m["wdabbr"]]
    week = m["week1"] or m["week2"]
    if (week and m["next"]) or (m["week1"] and m["week2"]):
        return None
    if week:
        return weekday, _WEEKS[week]
    if m["next"]:
        return weekday, "last" if m["next"] == "förra" else "next"
    return weekday, ""


_OFFSET_MINUTES = {"minutes": 1, "hours": 60}


def _offset(m: re.Match[str]) -> tuple[int, str] | None:
    """ "om 1,5 timme" is 90 minutes; a fraction of a day, week or month is not read."""
    if m["quarter"]:
        return (45 if m["quarter"] == "tre" else 15), "minutes"
    if m["halfhour"]:
        return (90 if m["halfhour"].startswith("halvannan") else 30), "minutes"
    token = m["n"]
    amount = float(token) if token[0].isdigit() else float(_NUMBERS[token])
    amount += 0.5 if m["andhalf"] else 0
    unit = _OFFSET_UNITS.get(m["unit"][:2], "months")
    if unit in _OFFSET_MINUTES:
        minutes = amount * _OFFSET_MINUTES[unit]
        return (int(minutes), "minutes") if minutes == int(minutes) else None
    return (int(amount), unit) if amount == int(amount) else None


def _range(m: re.Match[str]) -> tuple[tuple[int, int, bool], tuple[int, int, bool]] | None:
    """ "kl 13-14", "13.00–14.30", "mellan 9 och 10": the start and the end as typed."""
    if m["sep"] == "och" and not m["between"]:
        return None
    start = int(m["hour"]), int(m["min"] or 0), _flexible(m["hour"])
    return start, (int(m["hour2"]), int(m["min2"] or 0), _flexible(m["hour2"]))


def _ordinal_date(m: re.Match[str]) -> tuple[int, int, int | None]:
    """ "första december" and "sista februari" (the day -1 stands for the last of the month)."""
    day = -1 if m["d"] == "sista" else DAY_ORDINALS[m["d"]]
    return day, _MONTHS[m["m"]], _year(m["y"])


def _named(m: re.Match[str]) -> tuple[str, int, int | None]:
    shift = {"före": -1, "innan": -1, "efter": 1}.get(m["rel"] or "", 0)
    return NAMED_DAYS[m["name"]], shift, _year(m["y"])


def _week_part(m: re.Match[str]) -> tuple[tuple[int, ...], str]:
    return _WEEK_PARTS[m["part"]], _WEEKS.get(m["week"], "this_week")


_NUMBER = rf"\d{{1,3}}(?:\.\d{{1,2}})?|{_alt(_NUMBERS)}"
_UNIT = r"minut(?:er)?|min|timm(?:e|ar)|tim|h|dag(?:ar)?|veck(?:a|or)|månad(?:er)?"
_CLOCK_END = r"(?P<hour2>\d{1,2})(?:[:.](?P<min2>\d{2}))?"
_ORDINAL = rf"(?P<d>{_alt(DAY_ORDINALS)}|sista)"

_Extractor = tuple[re.Pattern[str], str, Callable[[re.Match[str]], object]]
_EXTRACTORS: tuple[_Extractor, ...] = (
    (
        _rx(
            r"om\s+(?:(?P<quarter>en|ett|tre)\s+kvart(?:s\s+timme)?"
            r"|(?P<halfhour>(?:en\s+)?halvtimme|en\s+halv\s+timme|halvannan\s+timme)"
            rf"|(?P<n>{_NUMBER})(?P<andhalf>\s+och\s+en\s+halv)?\s+(?P<unit>{_UNIT}))"
        ),
        "offset",
        _offset,
    ),
    (_rx(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), "date", _date),
    (_rx(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:[/-](?P<y>\d{4}|\d{2}))?"), "date", _date),
    (_rx(r"(?P<d>\d{1,2})([.-])(?P<m>\d{1,2})\2(?P<y>\d{4})"), "date", _date),
    (
        _rx(rf"(?P<d>\d{{1,2}})(?::?[ae])?\s+(?P<m>{_alt(_MONTHS)})\.?(?:\s+(?P<y>\d{{4}}))?"),
        "date",
        _date,
    ),
    (
        _rx(
            rf"(?P<between>mellan\s+)?{_KL}?(?P<hour>\d{{1,2}})(?:[:.](?P<min>\d{{2}}))?"
            rf"\s*(?P<sep>-|–|—|till|och)\s*{_KL}?{_CLOCK_END}"
        ),
        "range",
        _range,
    ),
    (
        _rx(rf"(?:den\s+)?{_ORDINAL}\s+(?P<m>{_alt(_MONTHS)})\.?(?:\s+(?P<y>\d{{4}}))?"),
        "date",
        _ordinal_date,
    ),
    (
        _rx(
            rf"(?:dagen\s+(?P<rel>före|innan|efter)\s+)?(?P<name>{_alt(NAMED_DAYS)})"
            r"(?:\s+(?P<y>\d{4}))?"
        ),
        "named",
        _named,
    ),
    (_rx(rf"{_KL}(?P<hour>\d{{1,2}})(?:[:.](?P<min>\d{{2}}))?"), "clock", _digital),
    (
        _rx(r"(?:v\.?|vecka|veckan)\s*(?P<w>\d{1,2})(?:\s+(?P<y>\d{4}))?"),
        "week",
        lambda m: (int(m["w"]), _year(m["y"])),
    ),
    (_rx(rf"{_KL}?(?:{_MINS})?halv\s+{_HOUR}"), "clock", _half),
    (_rx(rf"{_KL}?{_MINS}{_HOUR}"), "clock", _past_to),
    (_rx(rf"{_KL}{_HOUR}"), "clock", lambda m: (_number(m["hour"]) % 12, 0, True)),
    (_rx(r"(?P<hour>\d{1,2}):(?P<min>\d{2})"), "clock", _digital),
    (_rx(r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})"), "day_or_clock", lambda m: (int(m["a"]), m["b"])),
    (_rx(_alt(_RELATIVE_DAYS)), "relative_day", lambda m: _RELATIVE_DAYS[m[0]]),
    (
        _rx(r"fm|f\.m\.?|em|e\.m\.?|(?:förmiddag|eftermiddag|kväll|morgon)(?:en)?"),
        "day_part",
        lambda m: m[0].replace(".", "").removesuffix("en"),
    ),
    (
        _rx(
            rf"om\s+(?:(?:en|ett)\s+(?P<half>halvtimme|kvart)|(?P<n>\d{{1,3}}|{_alt(_NUMBERS)})"
            r"\s+(?P<unit>minut(?:er)?|min|timm(?:e|ar)|tim|h|dag(?:ar)?|veck(?:a|or)|månad(?:er)?))"
        ),
        "offset",
        _offset,
    ),
    (
        _rx(rf"i\s+(?P<part>{_alt(_WEEK_PARTS)})\s+av\s+(?P<week>veckan|{_alt(_WEEKS)})"),
        "week_part",
        _week_part,
    ),
    (
        _rx(rf"i\s+(?P<stem>{_alt(_WEEKDAY_STEMS)})dags"),
        "weekday",
        lambda m: (_WEEKDAY_STEMS[m["stem"]], "last"),
    ),
    (
        _rx(
            rf"(?:(?P<week1>{_alt(_WEEKS)})\s+(?:på\s+)?|(?P<next>nästa|kommande|förra)\s+)?"
            rf"(?:{_WEEKDAY})(?:\s+(?:i\s+|på\s+)?(?P<week2>{_alt(_WEEKS)}))?"
        ),
        "weekday",
        _weekday,
    ),
    (
        _rx(rf"den\s+{_ORDINAL}"),
        "day_of_month",
        lambda m: -1 if m["d"] == "sista" else DAY_ORDINALS[m["d"]],
    ),
    (_rx(r"den\s+(?P<d>\d{1,2})(?::?[ae])?"), "day_of_month", lambda m: int(m["d"])),
)


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFC", text).lower().replace("\u00a0", " ")
    s = re.sub(r"(\d)t(\d)", r"\1 \2", s)
    s = re.sub(r"(\d),(\d)", r"\1.\2", s)
    s = re.sub(r"(\d)½", r"\1.5", s).replace("½", "0.5")
    s = re.sub(
        r"\b(tjugo|trettio) (första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde)\b",
        r"\1\2",
        s,
    )
    s = re.sub(r"[,;!?()]+", " ", s)
    s = re.sub(r"\bi\s*(kväll|eftermiddag|förmiddag)\b", r"idag \1", s)
    s = re.sub(r"\bi\s+(dag|morgon|övermorgon|går|förrgår)\b", r"i\1", s)
    return " ".join(s.split()).strip(" .")


def _extract(s: str) -> tuple[_Parts, str]:
    """Pull every known component out of ``s``; returns them and the unknown words left over."""
    parts = _Parts()
    for pattern, slot, convert in _EXTRACTORS:
        for match in pattern.finditer(s):
            value = convert(match)
            if value is None:
                parts.conflicts += 1
            elif slot == "range" and isinstance(value, tuple):
                parts.put("clock", value[0])
                parts.put("end_clock", value[1])
            else:
                parts.put(slot, value)
        s = pattern.sub(" ", s)
    return parts, " ".join(w for w in s.split() if w not in _FILLERS)
