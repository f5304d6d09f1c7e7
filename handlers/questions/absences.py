"""Recording a contact's absence, with an optional substitute."""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers.dates import parse_date
from handlers.kernel import STOCKHOLM, Context, Reply, ReportAbsence, UserError, texts
from handlers.questions.people import resolve_person

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_MAX_PERIOD_WORDS = 8
"""Two dates without a separator ("1 december 15 december 2026") are a few words."""
_SEPARATOR = re.compile(r"\s+(?:till|t\.o\.m\.?|tom|-|–|—)\s+|\s*[–—]\s*", re.IGNORECASE)


def parse_period(text: str, ctx: Context) -> tuple[date, date] | None:
    """Two dates, from and to, written with a separator or simply one after the other."""
    parts = [p for p in _SEPARATOR.split(text.strip(), maxsplit=1) if p.strip()]
    if len(parts) == 2:
        start, end = parse_date(parts[0], ctx.now), parse_date(parts[1], ctx.now)
        return (start, end) if start and end else None
    words = text.split()
    if len(words) > _MAX_PERIOD_WORDS:
        return None  # each cut below may reach dateparser (~35 ms): keep it bounded
    for cut in range(1, len(words)):
        start = parse_date(" ".join(words[:cut]), ctx.now)
        end = parse_date(" ".join(words[cut:]), ctx.now)
        if start and end:
            return start, end
    return None


def _recent_start(start: date, typed: str, today: date) -> date:
    """A start date typed without a year that just passed ("20/11" on 23 Nov) means this
    year's, not next year's: absences are often registered a few days late."""
    if _YEAR.search(typed):
        return start
    try:
        earlier = start.replace(year=start.year - 1)
    except ValueError:
        return start
    return earlier if earlier >= today - timedelta(days=31) else start


def register_absence(ctx: Context, command: ReportAbsence) -> Reply:
    period = parse_period(command.period, ctx) if command.period else None
    if period is None:
        raise UserError(texts.ABSENCE_BAD)
    today = ctx.now.astimezone(STOCKHOLM).date()
    start, end = period
    start = _recent_start(start, command.period, today)
    if end.replace(year=start.year) >= start and not _YEAR.search(command.period):
        end = end.replace(year=start.year)
    if end < start and end.replace(year=end.year + 1) >= start:
        end = end.replace(year=end.year + 1)
    if end < start:
        raise UserError(texts.ABSENCE_ORDER)
    if end < today:
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
