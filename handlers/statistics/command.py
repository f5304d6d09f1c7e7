"""`/statistik [tabell] [period] [enhet:<enhet>]`: the figures of the units the person may see.

Who sees what: administrators see every unit; contacts see the units they cover (as
primary or backup, in either direction); everyone else (askers) sees the figures of their
own questions only, never a unit's. `enhet:` narrows to one visible unit. Without a period
the reply covers the current month.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from handlers.dates import (
    Period,
    PeriodKind,
    containing,
    local_today,
    parse_period,
    reversed_range,
)
from handlers.kernel import (
    Context,
    Person,
    Reply,
    Role,
    Store,
    Unit,
    UserError,
    extension,
    fold,
    match_choice,
    texts,
)
from handlers.knowledge import statistics_lines
from handlers.statistics.report import Scope, StatisticsQueries, build_report
from handlers.statistics.text import StatisticsReply, report_reply

_UNIT_FIELD = re.compile(r"\benhet:(\S+)", re.IGNORECASE)


def statistics_queries(store: Store) -> StatisticsQueries:
    """The store's statistics queries (SqlStore implements both protocols)."""
    if not isinstance(store, StatisticsQueries):
        raise TypeError("the store offers no statistics queries")
    return store


def visible_scope(store: Store, actor: Person) -> tuple[Scope, list[Unit]]:
    """Which questions `actor` may count, and the units to show."""
    units = store.units()
    if actor.is_admin:
        return Scope(), units
    if Role.CONTACT in actor.roles:
        covered = {c.unit_id for c in store.unit_contacts() if c.person_id == actor.id}
        if covered:
            return Scope(unit_ids=tuple(sorted(covered))), [u for u in units if u.id in covered]
    return Scope(asker_id=actor.id), units


def narrow_to_unit(scope: Scope, units: list[Unit], typed: str) -> tuple[Scope, list[Unit]]:
    """Only the unit `typed` names, which must be one the person may see."""
    allowed = [u for u in units if scope.unit_ids is None or u.id in scope.unit_ids]
    found = match_choice(typed, ((u, (u.slug, u.name)) for u in allowed))
    if found.value is None:
        names = texts.choices(u.slug for u in allowed)
        if found.ambiguous:
            raise UserError(
                texts.FIELD_AMBIGUOUS.format(typed=typed, plural="enheter", valid=names)
            )
        raise UserError(texts.STAT_UNIT_NOT_VISIBLE.format(units=names or texts.STAT_NO_UNITS))
    return Scope(unit_ids=(found.value.id,), asker_id=scope.asker_id), [found.value]


def requested_period(phrase: str, now: datetime) -> Period:
    if not phrase:
        return containing(PeriodKind.MONTH, local_today(now))
    period = parse_period(phrase, now)
    if period is None:
        backwards = reversed_range(phrase, now)
        if backwards:
            first, last = (texts.day_label(day) for day in backwards)
            raise UserError(texts.STAT_REVERSED_PERIOD.format(first=first, last=last))
        raise UserError(texts.STAT_BAD_PERIOD.format(typed=phrase[:60]))
    return period


def wants_tables(arguments: str) -> tuple[bool, str]:
    """Whether the first word asks for the tables (`tabell`), and the rest."""
    head, _, rest = arguments.strip().partition(" ")
    if fold(head) in {fold(word) for word in texts.STAT_TABLE_WORDS}:
        return True, rest.strip()
    return False, arguments.strip()


def statistics_command(ctx: Context, arguments: str) -> Reply:
    """The /statistik extension (registered in bot.wiring)."""
    store = ctx.store
    with_tables, arguments = wants_tables(arguments)
    unit_field = _UNIT_FIELD.search(arguments)
    phrase = _UNIT_FIELD.sub(" ", arguments).strip()
    period = requested_period(phrase, ctx.now)
    scope, units = visible_scope(store, ctx.actor)
    if unit_field:
        scope, units = narrow_to_unit(scope, units, unit_field.group(1))
    report = build_report(
        statistics_queries(store),
        scope=scope,
        period=period,
        now=ctx.now,
        units=units,
        categories=store.categories(include_inactive=True),
        unit_lookup=lambda unit_id: store.unit(unit_id=unit_id),
    )
    reply = report_reply(report, with_tables=with_tables, arguments=arguments)
    if scope.asker_id is not None or len(reply.summary) == 1:
        return reply  # an asker's own figures, or nothing asked in the period
    bank = statistics_lines(ctx, start=period.start, end=period.end, unit_ids=scope.unit_ids)
    return with_knowledge(reply, bank, with_tables=with_tables)


def with_knowledge(
    reply: StatisticsReply, bank: list[str], *, with_tables: bool
) -> StatisticsReply:
    """The knowledge bank's figures: in the summary one line (before the hint to the
    tables) when questions were resolved from the bank; with `tabell` every line after the
    tables."""
    resolved = bank[0]
    if with_tables:
        text = "\n".join([reply.text, "", *bank])
        return replace(reply, text=text)
    if resolved == texts.KNOWLEDGE_STAT_RESOLVED.format(count=0):
        return reply
    *summary, hint = reply.summary
    lines = (*summary, resolved, hint)
    return replace(reply, text="\n".join(lines), summary=lines)


STATISTICS_COMMAND = extension(
    "statistik",
    statistics_command,
    summary=texts.STATISTICS_SUMMARY,
    usage=texts.STATISTICS_USAGE,
    details=texts.STATISTICS_DETAILS,
)
"""`/statistik [tabell] [period] [enhet:…]`, registered with the core at wiring."""
