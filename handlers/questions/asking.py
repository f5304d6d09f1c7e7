"""Asking a question: validate the fields, route it, store it and queue its card."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TypeVar

from handlers.dates import parse_date
from handlers.kernel import (
    ASK_FIELDS,
    STOCKHOLM,
    Ask,
    Consent,
    ConsentForm,
    ConsentGiven,
    ConsentMode,
    Context,
    Direction,
    NewQuestion,
    Question,
    Reply,
    Role,
    Status,
    Typed,
    Unit,
    UserError,
    fold,
    match_choice,
    texts,
)
from handlers.questions.routing import RouteDecision, RouteKind, route_question
from handlers.questions.views import ask_choices

T = TypeVar("T")
Flagged = Callable[[Context, Question], str]
"""What happens to a question asked with `puls:ja` (the meetings put it on an agenda);
returns the words added to the thanks."""
_YES = {"ja", "j", "yes", "y", "1", "true"}
_NO = {"nej", "n", "no", "0", "false"}
MAX_TEXT = 2000
EXAMPLE = "/fråga enhet:kristianstad kategori:sgi riktning:vård-fk Hur påverkas SGI vid 50 %?"
_DIRECTIONS: list[tuple[Direction, tuple[str, ...]]] = [
    (Direction.VARD_TILL_FK, ("vård-fk", "vård→fk", "vård till fk", "vardtillfk", "till fk")),
    (Direction.FK_TILL_VARD, ("fk-vård", "fk→vård", "fk till vård", "fktillvard", "till vård")),
]


def _pick(
    typed: str | None,
    key: str,
    label: str,
    plural: str,
    choices: list[tuple[T, tuple[str, ...]]],
    shown: Iterable[str],
) -> T:
    valid = texts.choices(shown)
    if not typed:
        raise UserError(texts.FIELD_MISSING.format(label=label, key=key, valid=valid), key)
    match = match_choice(typed, choices)
    if match.value is not None:
        return match.value
    if match.ambiguous:
        names = [n for v, names in choices if v in match.candidates for n in names[:1]]
        raise UserError(
            texts.FIELD_AMBIGUOUS.format(typed=typed, plural=plural, valid=texts.choices(names)),
            key,
        )
    raise UserError(texts.FIELD_UNKNOWN.format(typed=typed[:40], label=label, valid=valid), key)


def validate(ctx: Context, command: Ask, *, max_text: int = MAX_TEXT) -> NewQuestion:
    """Turn the command into a question, or refuse with the valid choices. Values typed
    as text are read here; values a form gave typed are taken as they are."""
    if command.unknown_fields:
        valid = texts.choices(ASK_FIELDS)
        raise UserError(
            texts.UNKNOWN_FIELD.format(field=command.unknown_fields[0][:30], valid=valid)
        )
    choices = ask_choices(ctx.store, ctx.actor, ctx.platform, ctx.channel)
    unit: Unit = _pick(
        command.unit or choices.unit,
        "enhet",
        "enhet",
        "enheter",
        [(u, (u.slug, u.name)) for u in choices.units],
        (u.slug for u in choices.units),
    )
    category: str = _pick(
        command.category,
        "kategori",
        "kategori",
        "kategorier",
        [(c.slug, (c.slug, c.name)) for c in choices.categories],
        (c.slug for c in choices.categories),
    )
    direction = command.direction or choices.direction
    if not isinstance(direction, Direction):
        direction = _pick(
            direction.text if direction else None,
            "riktning",
            "riktning",
            "riktningar",
            _DIRECTIONS,
            ("vård-fk", "fk-vård"),
        )
    text = command.text.strip()
    if not text:
        raise UserError(texts.TEXT_MISSING.format(example=EXAMPLE), "text")
    if len(text) > max_text:
        raise UserError(texts.TEXT_TOO_LONG.format(length=len(text), limit=max_text), "text")
    deadline = _deadline(ctx, command.deadline)
    mode, consent = _consent(ctx, command.consent)
    pulse = command.pulse if isinstance(command.pulse, bool) else _pulse_wanted(command.pulse.text)
    extra = {"puls": "ja"} if pulse else {}
    return NewQuestion(unit.id, direction, category, text, mode, consent, deadline, extra)


def _pulse_wanted(typed: str) -> bool:
    """Read the `puls:` field of /fråga: ja or nej (empty is nej)."""
    word = fold(typed)
    if not word or word in _NO:
        return False
    if word in _YES:
        return True
    raise UserError(texts.PULSE_BAD_FLAG, "puls")


def _deadline(ctx: Context, given: date | Typed | None) -> date | None:
    """The deadline: a day typed without a year is the nearest such day, and one already
    past is refused with the day named (never moved a year ahead)."""
    if given is None:
        return None
    today = ctx.now.astimezone(STOCKHOLM).date()
    day = given if isinstance(given, date) else parse_date(given.text, ctx.now, nearest=True)
    if day is None:
        raise UserError(_bad_date(given, _examples(today + timedelta(days=14))), "frist")
    if day < today:
        raise UserError(texts.PAST_DEADLINE.format(day=texts.day_label(day)), "frist")
    return day


def _bad_date(given: date | Typed, examples: str) -> str:
    typed = given.text if isinstance(given, Typed) else str(given)
    return texts.BAD_FIELD_DATE.format(typed=typed[:200], examples=examples)


def _examples(day: date, *, consent: bool = False) -> str:
    """Ways to write `day` that this field accepts (so a refusal never suggests one it
    would refuse): a deadline's two weeks ahead, a consent's a week back."""
    template = texts.CONSENT_DATE_EXAMPLES if consent else texts.DATE_EXAMPLES
    label = texts.day_label(day)
    return template.format(day=day.day, month=day.month, label=label, iso=day.isoformat())


def _consent(ctx: Context, given: ConsentGiven | None) -> tuple[ConsentMode, Consent | None]:
    if given is None:
        return ConsentMode.AVIDENTIFIERAD, None
    form = given.form
    if isinstance(form, Typed):
        form_typed = match_choice(form.text, [(f, (f.value,)) for f in ConsentForm]).value
        if form_typed is None:
            raise UserError(texts.BAD_CONSENT, "samtycke")
        form = form_typed
    today = ctx.now.astimezone(STOCKHOLM).date()
    obtained_on = _consent_day(ctx, given.obtained_on, today)
    if obtained_on > today:
        day, examples = texts.day_label(obtained_on), _consent_examples(today)
        raise UserError(texts.CONSENT_FUTURE.format(day=day, examples=examples), "samtycke_datum")
    obtained_by = given.obtained_by or ctx.actor.name
    return ConsentMode.SAMTYCKE, Consent(obtained_by[:80], obtained_on, form)


def _consent_examples(today: date) -> str:
    return _examples(today - timedelta(days=7), consent=True)


def _consent_day(ctx: Context, given: date | Typed | None, today: date) -> date:
    """The day consent was obtained: today when not given; a day typed without a year is
    the nearest such day (one in the future is refused by the caller, not moved a year)."""
    if given is None:
        return today
    if isinstance(given, date):
        return given
    parsed = parse_date(given.text, ctx.now, nearest=True)
    if parsed is None:
        raise UserError(_bad_date(given, _consent_examples(today)), "samtycke_datum")
    return parsed


def route_text(
    ctx: Context, decision: RouteDecision, unit: Unit, *, to_assignee: bool = False
) -> str:
    """The routing decision in words: for the asker ("Till Anna Berg, kontaktperson för …"),
    or `to_assignee` for the contact herself ("Du är kontaktperson för …")."""

    def name(person_id: int | None) -> str:
        return ctx.store.person(person_id=person_id).name if person_id else ""

    until = texts.short_day(decision.absent_until) if decision.absent_until else ""
    if decision.kind == RouteKind.PRIMARY:
        key = "shared" if decision.shared_with > 1 else "primary"
    elif decision.kind == RouteKind.SUBSTITUTE:
        key = "substitute"
    elif decision.kind == RouteKind.BACKUP:
        key = "backup_absent" if decision.absent_id else "backup"
    else:
        return texts.ROUTE_UNASSIGNED
    template = (texts.ROUTE_TO_YOU if to_assignee else texts.ROUTE_TO_ASKER)[key]
    return template.format(
        name=name(decision.assignee_id),
        unit=unit.name,
        absent=name(decision.absent_id),
        until=until,
    )


def ask(
    ctx: Context, command: Ask, *, max_text: int = MAX_TEXT, flagged: Flagged | None = None
) -> Reply:
    """Validate, route and store a new question; its card and notices go to the outbox in
    the same round of statements (the directory comes from memory, see `SqlStore`).
    A question asked with `puls:ja` goes to `flagged` (none: the flag is only stored)."""
    new = validate(ctx, command, max_text=max_text)
    store = ctx.store
    unit = store.unit(unit_id=new.unit_id)
    day = ctx.now.astimezone(STOCKHOLM).date()
    contacts = store.unit_contacts(unit_id=unit.id)
    decision = route_question(
        unit_id=unit.id,
        direction=new.direction,
        contacts=contacts,
        absences=store.absences_on(day=day),
        open_counts=lambda people: store.open_counts(person_ids=people),
        day=day,
    )
    reason = route_text(ctx, decision, unit)
    ref = store.next_reference(year=day.year)
    category = next(c.name for c in store.categories() if c.slug == new.category)
    if decision.assignee_id is not None:
        notice = texts.NOTICE_NEW.format(
            ref=ref,
            category=category,
            direction=texts.DIRECTION[new.direction],
            unit=unit.name,
            route=route_text(ctx, decision, unit, to_assignee=True),
        )
        recipients = [decision.assignee_id]
    else:
        notice = texts.NOTICE_UNASSIGNED.format(ref=ref, unit=unit.name)
        recipients = [p.id for p in store.people() if Role.ADMIN in p.roles]
    question = store.add_question(
        question=Question(
            id=0,
            ref=ref,
            unit_id=unit.id,
            direction=new.direction,
            category=new.category,
            consent_mode=new.consent_mode,
            consent=new.consent,
            deadline=new.deadline,
            text=new.text,
            asker_id=ctx.actor.id,
            assignee_id=decision.assignee_id,
            status=Status.NY,
            route_reason=reason,
            created_at=ctx.now,
            origin_platform=ctx.platform,
            origin_channel=ctx.channel,
        ),
        detail=f"route={decision.kind.value}",
        notices=[(person_id, notice) for person_id in recipients],
    )
    asked = texts.ASKED.format(ref=question.ref, route=reason)
    if isinstance(command.deadline, Typed) and new.deadline is not None:
        typed = command.deadline.text[:40]
        asked += texts.ASKED_DEADLINE.format(day=texts.long_day(new.deadline), typed=typed)
    if new.extra.get("puls") == "ja" and flagged is not None:
        asked += flagged(ctx, question)
    return Reply(asked, ref=question.ref)
