"""`/frånvaro`: a contact's absences as editable state.

`/frånvaro` lists them (admins: everyone's, per unit), `/frånvaro <från> <till> [ersättare
@namn]` adds one, `/frånvaro ändra <nr> …` changes one and `/frånvaro ta-bort <nr>` (or
`avbryt`) cancels one. Every check runs before anything is written: a reversed or past
range, an absence longer than `LONG_DAYS` without `bekräfta`, an overlap with another of
the same person's absences and an unfit substitute are refused and change nothing.
"""

from __future__ import annotations

from handlers.kernel import Context, Reply, ReportAbsence, fold, texts
from handlers.questions.absence_list import cancel_absence, change_absence, list_absences
from handlers.questions.absence_period import read_absence_period
from handlers.questions.absence_rules import (
    Planned,
    after_saving,
    audit,
    check_plan,
    named_substitute,
)

_CONFIRM = frozenset({"bekrafta", "bekraftat", "bekraftar"})
_CHANGE = frozenset({"andra", "andring"})
_CANCEL = frozenset({"ta-bort", "tabort", "avbryt", "radera", "stryk"})
_LIST = frozenset({"lista", "visa"})


def absence_command(ctx: Context, command: ReportAbsence) -> Reply:
    """Dispatch `/frånvaro` to listing, adding, changing or cancelling."""
    substitute, sub_confirmed = _confirmed(command.substitute or "")
    period, confirmed = _confirmed(command.period)
    confirmed = confirmed or sub_confirmed
    words = period.split()
    head = fold(words[0]) if words else ""
    if head == "ta" and len(words) > 1 and fold(words[1]) == "bort":
        words, head = ["ta-bort", *words[2:]], "ta-bort"
    if not words and not substitute:
        return list_absences(ctx)
    if head in _LIST and len(words) == 1:
        return list_absences(ctx)
    if head in _CHANGE:
        return change_absence(ctx, words[1:], substitute or None, confirmed, _typed(command))
    if head in _CANCEL:
        return cancel_absence(ctx, words[1:])
    return register_absence(ctx, period, substitute or None, confirmed, _typed(command))


def _confirmed(text: str) -> tuple[str, bool]:
    """The text without `bekräfta`, and whether it was there."""
    words = text.split()
    kept = [w for w in words if fold(w) not in _CONFIRM]
    return " ".join(kept), len(kept) != len(words)


def _typed(command: ReportAbsence) -> str:
    """The arguments as typed, without `bekräfta`, for the confirmation hint."""
    period, _ = _confirmed(command.period)
    substitute, _ = _confirmed(command.substitute or "")
    return f"{period} ersättare {substitute}" if substitute else period


def register_absence(
    ctx: Context, period: str, substitute: str | None, confirmed: bool, typed: str
) -> Reply:
    """A new absence of the actor's own."""
    start, end = read_absence_period(period, ctx.now)
    plan = Planned(ctx.actor, start, end, named_substitute(ctx, substitute) if substitute else None)
    question = check_plan(ctx, plan, confirmed=confirmed, typed=typed, replacing=None)
    if question is not None:
        return question
    absence = ctx.store.add_absence(
        person_id=ctx.actor.id,
        start=start,
        end=end,
        substitute_id=plan.substitute.id if plan.substitute else None,
    )
    audit(ctx, absence, "absence")
    text = texts.ABSENCE_SAVED.format(
        start=texts.day_label(start),
        end=texts.day_label(end),
        number=absence.id,
        substitute=after_saving(ctx, absence, plan),
    )
    return Reply(text)
