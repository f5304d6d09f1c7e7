"""The /puls command: recurring pulse meetings between rehab coordinators and FK.

`PulseCommands` is registered as the core extension "puls" (`/puls …` in the console and
Slack, `!puls …` in Matrix). Subcommands: ny, lista, nästa, flytta, ställ in, avsluta,
punkt, dagordning, anteckning, anteckningar, hjälp. Date changes live in
`handlers.meetings.changes`, agenda points and notes in `handlers.meetings.agenda`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handlers.dates import describe_recurrence, interpret_recurrence, recurrence_start
from handlers.kernel import (
    CommandSpec,
    Context,
    Extension,
    Reply,
    UserError,
    extension,
    fold,
    match_choice,
    texts,
)
from handlers.meetings.access import pick_series, require_admin, split_series, take_fields
from handlers.meetings.agenda import add_item, add_note, preview_agenda, show_notes
from handlers.meetings.changes import cancel_occurrence, end_series, move_occurrence
from handlers.meetings.model import HolidayRule, PulseSeries, local, meeting_store
from handlers.meetings.occurrences import upcoming
from handlers.meetings.reminders import ScheduleSettings
from handlers.meetings.views import (
    agenda_when,
    date_lines,
    label,
    link_text,
    next_text,
    pattern,
    post_to_units,
    reminders_text,
    title,
    units_text,
    when_text,
)

_ACTIONS = {
    "ny": "new", "skapa": "new", "lista": "list", "serier": "list", "nasta": "next",
    "kommande": "next", "datum": "next", "flytta": "move", "stallin": "cancel",
    "installa": "cancel", "stryk": "cancel", "avsluta": "end", "punkt": "item",
    "anteckning": "note", "anteckna": "note", "anteckningar": "notes", "dagordning": "agenda",
    "agenda": "agenda", "hjalp": "help", "help": "help", "": "help",
}  # fmt: skip
_NEW_FIELDS = {
    "enheter": "enheter", "enhet": "enheter", "units": "enheter", "lank": "länk",
    "link": "länk", "url": "länk", "helgdag": "helgdag", "helgdagar": "helgdag",
    "rodadagar": "helgdag", "namn": "namn", "name": "namn",
}  # fmt: skip
_HOLIDAY_WORDS = {
    "hoppa": HolidayRule.SKIP, "hoppaover": HolidayRule.SKIP, "stryk": HolidayRule.SKIP,
    "installt": HolidayRule.SKIP, "skip": HolidayRule.SKIP, "flytta": HolidayRule.MOVE,
    "nastavardag": HolidayRule.MOVE, "move": HolidayRule.MOVE,
}  # fmt: skip
_LINK = re.compile(r"^https?://\S{3,490}$")
_SHOWN_DATES = 5


@dataclass(frozen=True)
class PulseCommand:
    action: str
    rest: str
    word: str = ""


def parse_pulse(text: str) -> PulseCommand:
    """The subcommand and its arguments; "ställ in" is two words."""
    words = text.strip().split(maxsplit=2)
    head = fold(words[0]) if words else ""
    if head == "stall" and len(words) > 1 and fold(words[1]) == "in":
        return PulseCommand("cancel", words[2] if len(words) > 2 else "")
    rest = text.strip().partition(" ")[2].strip()
    action = _ACTIONS.get(head)
    if action is None:
        return PulseCommand("unknown", rest, words[0][:40])
    return PulseCommand(action, rest)


@dataclass
class PulseCommands:
    """The "puls" extension of the core, with the schedule settings and the platforms whose
    unit channels get announcements."""

    settings: ScheduleSettings = field(default_factory=ScheduleSettings)
    platforms: tuple[str, ...] = ("console",)

    def __call__(self, ctx: Context, text: str) -> Reply:
        command = parse_pulse(text)
        platforms = (ctx.platform, *self.platforms)
        match command.action:
            case "new":
                return self.create(ctx, command.rest)
            case "list":
                return list_series(ctx)
            case "next":
                return next_dates(ctx, command.rest)
            case "move":
                return move_occurrence(ctx, command.rest, platforms)
            case "cancel":
                return cancel_occurrence(ctx, command.rest, platforms)
            case "end":
                return end_series(ctx, command.rest, platforms)
            case "item":
                return add_item(ctx, command.rest)
            case "note":
                return add_note(ctx, command.rest)
            case "notes":
                return show_notes(ctx, command.rest)
            case "agenda":
                return preview_agenda(ctx, command.rest, self.settings)
            case "unknown":
                return Reply(texts.PULSE_UNKNOWN.format(word=command.word))
            case _:
                return Reply(texts.PULSE_HELP)

    def create(self, ctx: Context, text: str) -> Reply:
        """`/puls ny varannan torsdag kl 13 enheter:lund,arlöv länk:https://…` (admins)."""
        require_admin(ctx)
        store = meeting_store(ctx.store)
        series = store.add_series(series=self._series(ctx, text))
        store.audit(
            actor_id=ctx.actor.id, action="pulse_created", at=ctx.now, detail=f"series={series.id}"
        )
        units = units_text(store, series.unit_ids)
        announcement = texts.PULSE_ANNOUNCE_NEW.format(
            units=units,
            pattern=pattern(series),
            first=when_text(series.rule.first),
            link=link_text(series),
        )
        platforms = (ctx.platform, *self.platforms)
        post_to_units(
            store, unit_ids=series.unit_ids, platforms=platforms, text=announcement, at=ctx.now
        )
        return Reply(
            texts.PULSE_CREATED.format(
                number=series.id,
                units=units,
                echo=describe_recurrence(series.rule),
                holiday=holiday_rule_text(series),
                reminders=reminders_text(self.settings.pulse),
                agenda=agenda_when(self.settings.pulse),
                dates=date_lines(upcoming(series, [], now=ctx.now, count=_SHOWN_DATES)),
            )
        )

    def _series(self, ctx: Context, text: str) -> PulseSeries:
        """The new series the admin typed, or a refusal naming what is wrong."""
        fields, phrase, unknown = take_fields(text, _NEW_FIELDS)
        if unknown:
            valid = texts.choices(sorted(set(_NEW_FIELDS.values())))
            raise UserError(texts.PULSE_BAD_FIELD.format(field=unknown[0][:30], valid=valid))
        unit_ids = _units(ctx, fields.get("enheter"))
        rule = interpret_recurrence(phrase, ctx.now)
        if rule is None:
            start = recurrence_start(phrase, ctx.now)
            if start is not None and start < local(ctx.now).date():
                raise UserError(texts.PULSE_START_PAST.format(day=texts.day_label(start)))
            raise UserError(texts.PULSE_BAD_RULE.format(typed=phrase[:80]))
        return PulseSeries(
            id=0,
            rule=rule,
            phrase=phrase[:200],
            unit_ids=unit_ids,
            holiday_rule=_holiday_rule(fields.get("helgdag"), self.settings),
            created_by=ctx.actor.id,
            created_at=ctx.now,
            name=(fields.get("namn") or "")[:80] or None,
            link=_link(fields.get("länk")),
        )


def _units(ctx: Context, typed: str | None) -> tuple[int, ...]:
    units = ctx.store.units()
    valid = texts.choices(u.slug for u in units)
    if not typed:
        here = (
            ctx.store.unit_by_channel(platform=ctx.platform, channel=ctx.channel)
            if ctx.channel
            else None
        )
        if here is None:
            raise UserError(texts.PULSE_UNITS_MISSING.format(valid=valid))
        return (here.id,)
    chosen: list[int] = []
    for name in (n.strip() for n in typed.split(",")):
        if not name:
            continue
        match = match_choice(name, [(u, (u.slug, u.name)) for u in units])
        if match.value is None:
            template = texts.FIELD_AMBIGUOUS if match.ambiguous else texts.FIELD_UNKNOWN
            raise UserError(
                template.format(typed=name[:40], label="enhet", plural="enheter", valid=valid)
            )
        if match.value.id not in chosen:
            chosen.append(match.value.id)
    if not chosen:
        raise UserError(texts.PULSE_UNITS_MISSING.format(valid=valid))
    return tuple(chosen)


def _holiday_rule(typed: str | None, settings: ScheduleSettings) -> HolidayRule:
    if not typed:
        return settings.pulse.holiday_rule
    rule = _HOLIDAY_WORDS.get(fold(typed))
    if rule is None:
        raise UserError(texts.PULSE_BAD_HOLIDAY)
    return rule


def holiday_rule_text(series: PulseSeries) -> str:
    """The series' holiday rule as its creation reply states it; a series on a date of the
    month also names its rule for Saturdays and Sundays."""
    rule = series.holiday_rule.value
    text = texts.PULSE_HOLIDAY_RULE[rule]
    if series.rule.day_of_month is not None:
        text = f"{text} {texts.PULSE_WEEKEND_RULE[rule]}"
    return text


def _link(typed: str | None) -> str | None:
    if not typed:
        return None
    if not _LINK.match(typed):
        raise UserError(texts.PULSE_BAD_LINK)
    return typed


def list_series(ctx: Context) -> Reply:
    """Every active series with its rule, units and next date."""
    store = meeting_store(ctx.store)
    active = store.active_series()
    if not active:
        return Reply(texts.PULSE_LIST_EMPTY)
    lines = [texts.PULSE_LIST_HEADER]
    for series in active:
        lines.append(
            texts.PULSE_LIST_LINE.format(
                label=label(series),
                pattern=pattern(series),
                units=units_text(store, series.unit_ids),
                next=next_text(store, series, ctx.now),
                link=texts.PULSE_LINK_SUFFIX.format(link=series.link) if series.link else "",
            )
        )
    return Reply("\n".join(lines))


def next_dates(ctx: Context, text: str) -> Reply:
    """The coming dates of one series (a number given) or of every active series."""
    store = meeting_store(ctx.store)
    number, rest = split_series(text)
    typed = number or (rest if rest.isdigit() else None)
    example = "/puls nästa pulsmöte {number}"
    chosen = [pick_series(ctx, typed, example=example)] if typed else store.active_series()
    if not chosen:
        return Reply(texts.PULSE_LIST_EMPTY)
    blocks = []
    for series in chosen:
        coming = upcoming(
            series, store.overrides(series_id=series.id), now=ctx.now, count=_SHOWN_DATES
        )
        header = texts.PULSE_NEXT_HEADER.format(
            label=title(series),
            pattern=pattern(series),
            units=units_text(store, series.unit_ids),
        )
        blocks.append(header + "\n" + date_lines(coming))
    return Reply("\n\n".join(blocks))


def pulse_command(settings: ScheduleSettings, platforms: tuple[str, ...]) -> CommandSpec[Extension]:
    """`/puls …`, for the core's registry; `platforms` get the units' announcements."""
    return extension(
        "puls",
        PulseCommands(settings, platforms),
        summary=texts.PULSE_SUMMARY,
        usage="<vad>",
        details=texts.PULSE_HELP,
    )
