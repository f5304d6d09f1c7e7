"""Pulse meetings: series and their dates, changes, agendas and notes, the `/puls`
command, and the per-minute due job (meeting reminders, agendas, holiday notices and the
questions' reminders and escalations)."""

from handlers.meetings.agenda import flag_asked_question
from handlers.meetings.commands import pulse_command
from handlers.meetings.model import (
    AgendaItem,
    HolidayRule,
    OccurrenceOverride,
    PulseNote,
    PulseSeries,
    rule_from_json,
    rule_to_json,
)
from handlers.meetings.reminders import (
    PulseSettings,
    ReminderOffset,
    ScheduleSettings,
    SlaSettings,
    parse_offset,
)
from handlers.meetings.scheduling import DueReport, run_due

__all__ = [
    "AgendaItem",
    "DueReport",
    "HolidayRule",
    "OccurrenceOverride",
    "PulseNote",
    "PulseSeries",
    "PulseSettings",
    "ReminderOffset",
    "ScheduleSettings",
    "SlaSettings",
    "flag_asked_question",
    "parse_offset",
    "pulse_command",
    "rule_from_json",
    "rule_to_json",
    "run_due",
]
