"""Recording a contact's absence, with an optional substitute."""

from __future__ import annotations

import re
from datetime import date

from handlers import texts
from handlers.context import Context, Reply, UserError
from handlers.dates import parse_date
from handlers.grammar import AbsenceCommand
from handlers.people import resolve_person

_SEPARATOR = re.compile(r"\s+(?:till|t\.o\.m\.?|tom|-|–|—)\s+|\s*[–—]\s*", re.IGNORECASE)


def parse_period(text: str, ctx: Context) -> tuple[date, date] | None:
    """Two dates, from and to, written with a separator or simply one after the other."""
    parts = [p for p in _SEPARATOR.split(text.strip(), maxsplit=1) if p.strip()]
    if len(parts) == 2:
        start, end = parse_date(parts[0], ctx.now), parse_date(parts[1], ctx.now)
        return (start, end) if start and end else None
    words = text.split()
    for cut in range(1, len(words)):
        start = parse_date(" ".join(words[:cut]), ctx.now)
        end = parse_date(" ".join(words[cut:]), ctx.now)
        if start and end:
            return start, end
    return None


def register_absence(ctx: Context, command: AbsenceCommand) -> Reply:
    period = parse_period(command.period, ctx) if command.period else None
    if period is None:
        raise UserError(texts.ABSENCE_BAD)
    start, end = period
    if end < start and end.replace(year=end.year + 1) >= start:
        end = end.replace(year=end.year + 1)
    if end < start:
        raise UserError(texts.ABSENCE_ORDER)
    if end < ctx.now.astimezone(texts.STOCKHOLM).date():
        raise UserError(
            texts.ABSENCE_PAST.format(start=texts.short_day(start), end=texts.short_day(end))
        )
    substitute = (
        resolve_person(ctx.store, ctx.platform, command.substitute) if command.substitute else None
    )
    ctx.store.add_absence(
        person_id=ctx.actor.id,
        start=start,
        end=end,
        substitute_id=substitute.id if substitute else None,
    )
    ctx.store.audit(
        actor_id=ctx.actor.id,
        action="absence",
        at=ctx.now,
        detail=f"{start.isoformat()}..{end.isoformat()}",
    )
    note = texts.ABSENCE_SUBSTITUTE.format(name=substitute.name) if substitute else ""
    return Reply(
        texts.ABSENCE_SAVED.format(
            start=texts.day_label(start), end=texts.day_label(end), substitute=note
        )
    )
