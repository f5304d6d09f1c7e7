"""Who may do what with a pulse meeting, and which series a command is about.

Admins create, move, call off and end series. Members of a series may add agenda points
and notes: admins, the contacts of its units, people whose home unit (`unit` in the config)
is one of them, anyone writing in one of its units' channels, and FK case officers
(handläggare) for the units they send questions to. Everyone Bryggan knows may
list the series and see their dates (they are not sensitive).
"""

from __future__ import annotations

import re

from handlers.kernel import Context, Direction, UserError, fold, texts
from handlers.meetings.model import PulseSeries, meeting_store
from handlers.meetings.views import label, title, units_text

_FIELD = re.compile(r"(?<!\S)(?P<key>[^\s:\"'/]+):(?P<value>\"[^\"]*\"|'[^']*'|\S+)")
_SERIES_FIELD = re.compile(r"(?<!\S)(?:serie:|#)(?P<n>\d{1,9})(?!\S)", re.IGNORECASE)
_SERIES_LEADING = re.compile(
    r"^\s*(?:pulsm[öo]te|nr\.?|nummer)\s*(?P<n>\d{1,9})(?!\S)(?:\s*\([^)]*\))?", re.IGNORECASE
)
"""The number as the lists write it ("pulsmöte 2", also "pulsmöte 2 (Utbildning)" copied
from a list, or "nr 2"), first in the arguments."""
_ASKED_LOOKBACK = 200
"""How many of an FK case officer's latest questions tell which units she works with."""
_LEADING_NUMBER = re.compile(r"^(?P<n>\d{1,9})(?:\s+(?P<rest>.*))?$", re.DOTALL)


def take_fields(text: str, aliases: dict[str, str]) -> tuple[dict[str, str], str, list[str]]:
    """Split `key:value` fields whose folded key has an alias from the rest of the text.

    Returns the fields, the remaining text, and unknown keys made of letters (a key of
    digits, as in "13:30", stays in the text)."""
    fields: dict[str, str] = {}
    unknown: list[str] = []

    def take(found: re.Match[str]) -> str:
        key = fold(found.group("key"))
        if key in aliases:
            fields[aliases[key]] = found.group("value").strip("\"'")
            return ""
        if key.isalpha():
            unknown.append(found.group("key"))
        return found.group(0)

    rest = _FIELD.sub(take, text)
    return fields, " ".join(rest.split()), unknown


def require_admin(ctx: Context) -> None:
    if not ctx.actor.is_admin:
        raise UserError(texts.ADMIN_ONLY)


def member_units(ctx: Context) -> set[int]:
    """The units the actor belongs to for pulse meetings: those she is a contact for, her
    home unit, the unit whose channel she writes in, and for an FK case officer
    (handläggare, side "fk") the units she has sent questions to: the meetings she takes
    part in, whose agendas and notes she may see."""
    store = ctx.store
    units = {c.unit_id for c in store.unit_contacts() if c.person_id == ctx.actor.id}
    defaults = store.person_defaults(person_id=ctx.actor.id)
    home = defaults.get("enhet")
    units |= {u.id for u in store.units() if u.slug == home}
    if defaults.get("riktning") == Direction.FK_TILL_VARD.value:
        asked = store.questions_for(asker_id=ctx.actor.id, limit=_ASKED_LOOKBACK)
        units |= {q.unit_id for q in asked}
    if ctx.channel:
        here = store.unit_by_channel(platform=ctx.platform, channel=ctx.channel)
        if here is not None:
            units.add(here.id)
    return units


def is_member(ctx: Context, series: PulseSeries) -> bool:
    return ctx.actor.is_admin or bool(member_units(ctx) & set(series.unit_ids))


def require_member(ctx: Context, series: PulseSeries) -> None:
    if not is_member(ctx, series):
        units = units_text(ctx.store, series.unit_ids)
        raise UserError(texts.PULSE_NOT_MEMBER.format(units=units, label=label(series)))


def series_by_number(ctx: Context, number: str) -> PulseSeries:
    series = meeting_store(ctx.store).series(series_id=int(number))
    if series is None:
        raise UserError(texts.PULSE_SERIES_UNKNOWN.format(number=number))
    if series.ended_at is not None:
        raise UserError(texts.PULSE_ENDED_ALREADY.format(label=title(series)))
    return series


def pick_series(ctx: Context, number: str | None, *, example: str) -> PulseSeries:
    """The series a command means: the typed number, else the only one that fits the
    actor (their units, or the unit whose channel they write in), else a question back."""
    if number:
        return series_by_number(ctx, number)
    active = meeting_store(ctx.store).active_series()
    mine = active if ctx.actor.is_admin else [s for s in active if is_member(ctx, s)]
    if ctx.channel:
        here = ctx.store.unit_by_channel(platform=ctx.platform, channel=ctx.channel)
        in_channel = [s for s in mine if here is not None and here.id in s.unit_ids]
        mine = in_channel or mine
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise UserError(texts.PULSE_NO_SERIES)
    valid = texts.choices(f"{label(s)} ({units_text(ctx.store, s.unit_ids)})" for s in mine)
    example = example.format(number=mine[0].id)
    raise UserError(texts.PULSE_SERIES_WHICH.format(example=example, valid=valid))


def split_series(text: str) -> tuple[str | None, str]:
    """The series number as the lists write it, "pulsmöte 2" (or "nr 2") first in the
    text, or `serie:2` or `#2` anywhere; and the text without it. A bare leading number is
    left to the commands without free text (`leading_number`)."""
    found = _SERIES_LEADING.match(text) or _SERIES_FIELD.search(text)
    if found is None:
        return None, text.strip()
    rest = text[: found.start()] + text[found.end() :]
    return found.group("n"), " ".join(rest.split())


def leading_number(text: str) -> tuple[str | None, str]:
    """A bare leading number ("2 24/12") and the rest; (None, text) when there is none."""
    found = _LEADING_NUMBER.match(text.strip())
    if found is None:
        return None, text.strip()
    return found.group("n"), (found.group("rest") or "").strip()
